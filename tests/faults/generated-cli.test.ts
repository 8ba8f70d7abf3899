// Generated bad input for the CLI's command line (src/cli/args.ts): thousands of argument lists,
// from token soup to valid commands with one value made wrong. Each is a command with checked
// options, or a refusal with a message and exit code; never a crash, never a write to its input.
import { isAbsolute } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { mayCarryToken, originOf, RESTATE_TOKEN_ENV } from "../../src/lab/origins.js";
import { findScenario, SCENARIOS } from "../../src/lab/replay/scenarios.js";
import { MAX_CONCURRENCY, MAX_COUNT } from "../../src/shared/protocol.js";
import { checkProperty, deepFreeze } from "./properties.js";
import { Table } from "./table.js";

const table = new Table();
afterAll(() => table.print());

const FLAGS = [
  "detach",
  "json",
  "node",
  "restate-server",
  "ingress-port",
  "admin-port",
  "gateway-port",
  "service-port",
  "restate-admin",
  "restate-ingress",
  "scenario",
  "count",
  "concurrency",
  "body",
];
const COMMANDS = ["scaffold", "up", "down", "status", "scenarios", "replay", "lab", "help", "--help", "-h"];

const value = fc.oneof(
  fc.integer({ min: -5, max: 70_000 }).map(String),
  fc.constantFrom("0", "1", "10000", "10001", "1000", "1001", "65535", "65536", "1.5", "1e3", "0x10", " 5", "", "NaN", "-0"),
  fc.constantFrom("http://127.0.0.1:9070", "https://restate.example.com", "http://example.com:8080", "ftp://x", "not a url", "http://user:pw@127.0.0.1:1"),
  fc.constantFrom('{"amount": 100, "currency": "EUR"}', "{x", "[]", "null", '"text"'),
  fc.constantFrom(...SCENARIOS.map((s) => s.id), "custom", "nope"),
  fc.string({ maxLength: 12 }),
);
const token = fc.oneof(
  fc.constantFrom(...FLAGS).map((f) => `--${f}`),
  fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => `--${f}=${v}`),
  fc.constantFrom("--unknown", "-d", "--", "-", "--json=yes"),
  value,
  fc.constantFrom("/tmp/lab", "lab", "./a b", "../x"),
);
const env = fc.record({ [RESTATE_TOKEN_ENV]: fc.oneof(fc.constant(undefined), fc.constantFrom("", "  ", "secret-token", "Bearer abc")) }, { requiredKeys: [] });

describe("the CLI's command line, generated", () => {
  it("token soup: a checked command or a refusal with a message and exit code", () => {
    const property = fc.property(
      fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 8 })),
      fc.array(token, { maxLength: 8 }),
      env,
      (command, args, environment) => {
        const argv = deepFreeze([command, ...args]);
        const parsed = parseCommandLine(argv, deepFreeze(environment));
        expect(parseCommandLine(argv, environment)).toEqual(parsed); // the same line, the same answer
        if (!parsed.ok) {
          expect(parsed.message.length).toBeGreaterThan(5);
          expect(parsed.exitCode === 2 ? parsed.showUsage : parsed.fix !== undefined && !parsed.showUsage).toBe(true);
          return;
        }
        const run = parsed.run;
        if ("dir" in run && run.dir !== undefined) expect(isAbsolute(run.dir)).toBe(true);
        if (run.command === "up") {
          for (const port of Object.values(run.ports)) expect(Number.isInteger(port) && port >= 0 && port <= 65535).toBe(true);
        }
        if (run.command === "replay") {
          expect(findScenario(run.request.scenario)).toBeDefined();
          if (run.request.count !== undefined)
            expect(Number.isInteger(run.request.count) && run.request.count >= 1 && run.request.count <= MAX_COUNT).toBe(true);
          if (run.request.concurrency !== undefined) expect(run.request.concurrency >= 1 && run.request.concurrency <= MAX_CONCURRENCY).toBe(true);
          if (run.request.body !== undefined) expect(() => JSON.parse(run.request.body!)).not.toThrow();
        }
        if ((run.command === "up" || run.command === "status" || run.command === "replay") && run.existingRestate) {
          const { admin, ingress, credential } = run.existingRestate;
          expect(originOf(admin) !== null && originOf(ingress) !== null).toBe(true);
          const secret = environment[RESTATE_TOKEN_ENV]?.trim();
          // A token goes only with the two URLs it was given for, and only where it may travel.
          if (secret) expect(credential?.origins).toEqual([originOf(admin), originOf(ingress)]);
          if (secret) expect(mayCarryToken(admin) && mayCarryToken(ingress)).toBe(true);
          else expect(credential).toBeUndefined();
        }
      },
    );
    checkProperty(table, "CLI: arbitrary argument lists", property, 6000);
  });

  it("valid replay lines, flags in any order and either form: accepted with exactly those values", () => {
    // A value that starts with "-" goes after "=": `--body -1` is ambiguous (the row below checks it is refused).
    const flag = (name: string, v: string) => fc.boolean().map((eq) => (eq || v.startsWith("-") ? [`--${name}=${v}`] : [`--${name}`, v]));
    const replayLine = fc
      .record({
        scenario: fc.constantFrom(...SCENARIOS.map((s) => s.id)),
        count: fc.option(fc.integer({ min: 1, max: MAX_COUNT }), { nil: undefined }),
        concurrency: fc.option(fc.integer({ min: 1, max: MAX_CONCURRENCY }), { nil: undefined }),
        body: fc.option(fc.json({ maxDepth: 1 }), { nil: undefined }),
        json: fc.boolean(),
      })
      .chain((m) =>
        fc
          .tuple(
            flag("scenario", m.scenario),
            m.count === undefined ? fc.constant([]) : flag("count", String(m.count)),
            m.concurrency === undefined ? fc.constant([]) : flag("concurrency", String(m.concurrency)),
            m.body === undefined ? fc.constant([]) : flag("body", m.body),
            fc.constant(m.json ? ["--json"] : []),
            fc.constant(["/tmp/some-lab"]),
          )
          .chain((parts) => fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }))
          .map((parts) => ({ model: m, argv: ["replay", ...parts.flat()] })),
      );
    const property = fc.property(replayLine, ({ model, argv }) => {
      const parsed = parseCommandLine(deepFreeze(argv), {});
      expect(parsed).toEqual({
        ok: true,
        run: {
          command: "replay",
          dir: "/tmp/some-lab",
          json: model.json,
          request: {
            scenario: model.scenario,
            ...(model.count === undefined ? {} : { count: model.count }),
            ...(model.concurrency === undefined ? {} : { concurrency: model.concurrency }),
            ...(model.body === undefined ? {} : { body: model.body }),
          },
        },
      });
    });
    checkProperty(table, "CLI: valid replay lines accepted as written", property, 3000);
  });

  it("a valid line with one value made wrong: refused, the message names the flag, exit 2", () => {
    const broken = fc.oneof(
      fc.record({
        args: fc.constantFrom(["--count", "0"], ["--count", "10001"], ["--count", "1.5"], ["--count=abc"], ["--count", " 5"]),
        says: fc.constant(/--count must be a whole number from 1 to 10,000/),
      }),
      fc.record({
        args: fc.constantFrom(["--concurrency", "0"], ["--concurrency=1001"], ["--concurrency", "-"]),
        says: fc.constant(/--concurrency must be a whole number/),
      }),
      fc.record({ args: fc.constantFrom(["--body", "{x"], ["--body="]), says: fc.constant(/--body is not valid JSON/) }),
      fc.record({ args: fc.constantFrom(["--body", "-1"], ["--count", "-5"]), says: fc.constant(/argument is ambiguous[^]*use '--(body|count)=-XYZ'/) }),
      fc.record({
        args: fc.constantFrom(["--restate-admin", "http://127.0.0.1:9070"]),
        says: fc.constant(/--restate-admin and --restate-ingress go together/),
      }),
      fc.record({
        args: fc.constantFrom(["--restate-admin", "ftp://x", "--restate-ingress", "http://127.0.0.1:8080"]),
        says: fc.constant(/--restate-admin must be an http\(s\) URL/),
      }),
      fc.record({ args: fc.constantFrom(["--surprise"], ["-x"]), says: fc.constant(/Unknown option/) }),
      fc.record({ args: fc.constantFrom(["/tmp/second-folder"]), says: fc.constant(/replay takes one folder, got 2/) }),
    );
    const property = fc.property(fc.constantFrom(...SCENARIOS.map((s) => s.id)), broken, fc.boolean(), (scenario, { args, says }, before) => {
      const good = ["/tmp/some-lab", "--scenario", scenario];
      const argv = deepFreeze(["replay", ...(before ? [...args, ...good] : [...good, ...args])]);
      const parsed = parseCommandLine(argv, {});
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.message).toMatch(says);
        expect(parsed.exitCode).toBe(2);
      }
    });
    checkProperty(table, "CLI: valid lines with one value broken", property, 2000);
  });
});
