// The CLI's command line, parsed with no side effects: the command to run with its options, or
// the message and exit code for a mistake. main.ts runs what this returns; a property test calls
// it with thousands of generated command lines.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { LabError } from "../lab/errors.js";
import { authorizationValue, mayCarryToken, originOf, RESTATE_TOKEN_ENV } from "../lab/origins.js";
import { checkChaosOptions, CHAOS_TARGETS, type ChaosRequestOptions } from "../lab/chaos/chaos.js";
import { checkRequest } from "../lab/replay/replay.js";
import { findScenario, SCENARIOS } from "../lab/replay/scenarios.js";
import type { UpOptions } from "../lab/stack.js";
import type { ExistingRestate } from "../lab/origins.js";
import { MAX_CONCURRENCY, MAX_COUNT, type RunRequest } from "../shared/protocol.js";
import { formatCount } from "../shared/wording.js";

/** How many runs --shrink may make: each is a whole chaos run. */
export const SHRINK_RUNS = { default: 12, max: 100 } as const;

export const USAGE = `Usage: idempotency-lab <command> [options]

Commands:
  scaffold <dir>                 Create a lab workspace in <dir> (never overwrites a file)
  up <dir> [--detach] [--json]   Start Restate, the gateway and the service; Ctrl-C stops them
  down <dir>                     Stop the lab (also what a killed run left behind)
  status <dir> [--json]          Is the lab running, and where
  scenarios                      The replay scenarios and what each one teaches
  replay <dir> --scenario <id> [--count N] [--concurrency C] [--body JSON] [--json]
                                 Run one scenario against the running lab
  lab [dir] [--json]             Scaffold (a temp folder when no dir), start, run every
                                 scenario, print the verdicts, stop; non-zero when any is unexpected
  chaos <dir> [--seed N] [--payments N] [--duplicates N] [--duration S] [--target T] [--json]
        [--faults I,J|none] [--shrink [--shrink-runs N]]
                                 The final exam: many payments and duplicates under a seeded schedule
                                 of faults, judged by a checker from the ledger; non-zero when the
                                 verdict is not the expected one. T: ${CHAOS_TARGETS.join(", ")}
                                 --faults: apply only these faults of the seed's schedule (by #).
                                 --shrink: after a run that broke an invariant, run again from the
                                 same seed with fewer payments and faults (at most N runs, default
                                 ${SHRINK_RUNS.default}) and print the smallest that still fails, with its command line.

Options for up:
  --node <path>                  Node.js 22+ for the service (default: this one, then PATH)
  --restate-server <path>        restate-server binary (default: the workspace's npm package)
  --ingress-port, --admin-port, --gateway-port, --service-port <n>
                                 Preferred ports (0 = any free port; a taken port falls back to a free one)

A Restate that runs elsewhere (up, status, replay, chaos):
  --restate-admin <url> --restate-ingress <url>
                                 Start no local restate-server; register and replay there. A token
                                 for it is read from ${RESTATE_TOKEN_ENV} only (https, or this
                                 machine), and sent only to these two URLs' origins.
`;

/** A command and its options. `dir` is absolute (resolved against the current folder), not yet followed through links. */
export type CliCommand =
  | { command: "help"; exitCode: 0 | 2 }
  | { command: "scaffold"; dir: string }
  | {
      command: "up";
      dir: string;
      detach: boolean;
      json: boolean;
      nodePath?: string;
      restateServerPath?: string;
      ports: NonNullable<UpOptions["ports"]>;
      existingRestate?: ExistingRestate;
    }
  | { command: "down"; dir: string }
  | { command: "status"; dir: string; json: boolean; existingRestate?: ExistingRestate }
  | { command: "scenarios"; json: boolean }
  | { command: "replay"; dir: string; json: boolean; existingRestate?: ExistingRestate; request: RunRequest }
  | { command: "lab"; dir?: string; json: boolean; nodePath?: string }
  | {
      command: "chaos";
      dir: string;
      json: boolean;
      existingRestate?: ExistingRestate;
      options: Required<ChaosRequestOptions>;
      /** Only these faults of the seed's schedule (their indexes). */
      faults?: number[];
      /** Shrink a failing run, with at most this many more runs. */
      shrinkRuns?: number;
    };

/** A mistake: a usage error (exit 2, the usage follows the message) or a refused request (exit 1, with a fix). */
export type CliParse = { ok: true; run: CliCommand } | { ok: false; message: string; fix?: string; exitCode: 1 | 2; showUsage: boolean };

class UsageError extends Error {}

export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliParse {
  try {
    return { ok: true, run: commandOf(argv, env) };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, message: err.message, exitCode: 2, showUsage: true };
    if (err instanceof LabError) return { ok: false, message: err.message, fix: err.fix, exitCode: 1, showUsage: false };
    throw err; // a bug, not a mistake of the user's
  }
}

const EXISTING_RESTATE_FLAGS = ["restate-admin", "restate-ingress"];

function commandOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const [command, ...args] = argv;
  if (command === undefined || ["help", "--help", "-h"].includes(command)) return { command: "help", exitCode: command === undefined ? 2 : 0 };
  switch (command) {
    case "scaffold":
      return { command, dir: oneDir(parse(args).positionals, command) };
    case "up": {
      const { values, positionals } = parse(args, {
        booleans: ["detach", "json"],
        strings: ["node", "restate-server", "ingress-port", "admin-port", "gateway-port", "service-port", ...EXISTING_RESTATE_FLAGS],
      });
      const dir = oneDir(positionals, command);
      const existingRestate = existingRestateOption(values, env);
      const ports: NonNullable<UpOptions["ports"]> = {};
      for (const name of ["ingress", "admin", "gateway", "service"] as const) {
        const raw = values[`${name}-port`] as string | undefined;
        if (raw !== undefined) ports[name] = portNumber(raw, `--${name}-port`);
      }
      return {
        command,
        dir,
        detach: values.detach === true,
        json: values.json === true,
        ...optional("nodePath", values.node as string | undefined),
        ...optional("restateServerPath", values["restate-server"] as string | undefined),
        ports,
        ...optional("existingRestate", existingRestate),
      };
    }
    case "down":
      return { command, dir: oneDir(parse(args).positionals, command) };
    case "status": {
      const { values, positionals } = parse(args, { booleans: ["json"], strings: EXISTING_RESTATE_FLAGS });
      const dir = oneDir(positionals, command);
      return { command, dir, json: values.json === true, ...optional("existingRestate", existingRestateOption(values, env)) };
    }
    case "scenarios":
      return { command, json: parse(args, { booleans: ["json"] }).values.json === true };
    case "replay":
      return replayCommand(args, env);
    case "chaos":
      return chaosCommand(args, env);
    case "lab": {
      const { values, positionals } = parse(args, { booleans: ["json"], strings: ["node"] });
      if (positionals.length > 1) throw new UsageError(`lab takes at most one folder, got ${positionals.length}`);
      return {
        command,
        json: values.json === true,
        ...optional("dir", positionals[0] === undefined ? undefined : resolve(positionals[0])),
        ...optional("nodePath", values.node as string | undefined),
      };
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

function replayCommand(args: string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const { values, positionals } = parse(args, { booleans: ["json"], strings: ["scenario", "count", "concurrency", "body", ...EXISTING_RESTATE_FLAGS] });
  const dir = oneDir(positionals, "replay");
  const existingRestate = existingRestateOption(values, env);
  const id = values.scenario as string | undefined;
  if (!id) throw new UsageError(`replay needs --scenario <id>; one of: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  if (!findScenario(id)) throw new UsageError(`Unknown scenario "${id}"; one of: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  const request: RunRequest = {
    scenario: id,
    ...(values.count === undefined ? {} : { count: wholeNumber(values.count as string, "--count", MAX_COUNT) }),
    ...(values.concurrency === undefined ? {} : { concurrency: wholeNumber(values.concurrency as string, "--concurrency", MAX_CONCURRENCY) }),
    ...(values.body === undefined ? {} : { body: jsonBody(values.body as string) }),
  };
  checkRequest(request); // everything is checked before anything is sent
  return { command: "replay", dir, json: values.json === true, ...optional("existingRestate", existingRestate), request };
}

function chaosCommand(args: string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const { values, positionals } = parse(args, {
    booleans: ["json", "shrink"],
    strings: ["seed", "payments", "duplicates", "duration", "target", "faults", "shrink-runs", ...EXISTING_RESTATE_FLAGS],
  });
  const dir = oneDir(positionals, "chaos");
  const rawFaults = values.faults as string | undefined;
  if (rawFaults !== undefined && rawFaults !== "none" && !/^\d{1,4}(,\d{1,4})*$/.test(rawFaults))
    throw new UsageError(`--faults must be fault numbers separated by commas (as the schedule numbers them), or none; got "${rawFaults}"`);
  const faults = rawFaults === undefined ? undefined : rawFaults === "none" ? [] : [...new Set(rawFaults.split(",").map(Number))].sort((a, b) => a - b);
  if (values["shrink-runs"] !== undefined && values.shrink !== true) throw new UsageError("--shrink-runs goes with --shrink");
  const shrinkRuns =
    values.shrink === true
      ? values["shrink-runs"] === undefined
        ? SHRINK_RUNS.default
        : wholeNumber(values["shrink-runs"] as string, "--shrink-runs", SHRINK_RUNS.max)
      : undefined;
  const existingRestate = existingRestateOption(values, env);
  const number = (flag: string) => {
    const raw = values[flag] as string | undefined;
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag} must be a whole number, got "${raw}"`);
    return Number(raw);
  };
  // Ranges and targets are checked by the engine, with the same message everywhere.
  const options = checkChaosOptions({
    ...optional("seed", number("seed")),
    ...optional("payments", number("payments")),
    ...optional("duplicates", number("duplicates")),
    ...optional("durationS", number("duration")),
    ...optional("target", values.target as string | undefined),
  });
  return {
    command: "chaos",
    dir,
    json: values.json === true,
    ...optional("existingRestate", existingRestate),
    options,
    ...optional("faults", faults),
    ...optional("shrinkRuns", shrinkRuns),
  };
}

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/** A command's folders (positionals) and flags, each flag named under its type. */
function parse(args: string[], flags: { strings?: readonly string[]; booleans?: readonly string[] } = {}): Parsed {
  const options: Record<string, { type: "string" | "boolean" }> = Object.fromEntries([
    ...(flags.strings ?? []).map((name) => [name, { type: "string" }]),
    ...(flags.booleans ?? []).map((name) => [name, { type: "boolean" }]),
  ]);
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function oneDir(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes one folder, got ${positionals.length}`);
  return resolve(positionals[0]!);
}

/** --restate-admin/--restate-ingress, with the token from the environment bound to their origins. */
function existingRestateOption(values: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): ExistingRestate | undefined {
  const admin = values["restate-admin"] as string | undefined;
  const ingress = values["restate-ingress"] as string | undefined;
  if (admin === undefined && ingress === undefined) return undefined;
  if (!admin || !ingress) throw new UsageError("--restate-admin and --restate-ingress go together");
  for (const [flag, url] of [
    ["--restate-admin", admin],
    ["--restate-ingress", ingress],
  ] as const) {
    if (originOf(url) === null) throw new UsageError(`${flag} must be an http(s) URL, got "${url}"`);
  }
  const token = env[RESTATE_TOKEN_ENV]?.trim();
  if (!token) return { admin, ingress };
  for (const url of [admin, ingress]) {
    if (!mayCarryToken(url)) throw new UsageError(`${RESTATE_TOKEN_ENV} is only sent over https (or to this machine), and ${url} is plain http elsewhere`);
  }
  return { admin, ingress, credential: { authorization: authorizationValue(token), origins: [originOf(admin)!, originOf(ingress)!] } };
}

function wholeNumber(raw: string, flag: string, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${formatCount(max)}, got "${raw}"`);
  return n;
}

/** The --body text, once it is known to be JSON. */
function jsonBody(raw: string): string {
  try {
    JSON.parse(raw);
    return raw;
  } catch (err) {
    throw new UsageError(`--body is not valid JSON (${(err as Error).message}); for example --body '{"amount": 1000, "currency": "USD"}'`);
  }
}

function portNumber(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port from 0 to 65535, got "${raw}"`);
  return n;
}

/** `{ [key]: value }` when the value is there, else nothing: options stay absent rather than undefined. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
