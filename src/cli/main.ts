// idempotency-lab: the lab engine from a terminal.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeError, LabError } from "../lab/errors.js";
import { readLabFileFrom, realWorkspace } from "../lab/lab-files.js";
import { authorizationValue, mayCarryToken, originOf, RESTATE_TOKEN_ENV } from "../lab/origins.js";
import { isOurs } from "../lab/processes.js";
import { sleep } from "../lab/poll.js";
import { workspacePaths } from "../lab/paths.js";
import { scaffold } from "../lab/scaffold.js";
import { down, status, up, type RunningStack, type UpOptions } from "../lab/stack.js";
import { describe, table, toJson } from "../lab/replay/report.js";
import { checkRequest, replay } from "../lab/replay/replay.js";
import { findScenario, SCENARIOS } from "../lab/replay/scenarios.js";
import { MAX_CONCURRENCY, MAX_COUNT, type RunRequest } from "../shared/protocol.js";
import { counted, formatCount } from "../shared/wording.js";
import type { ScenarioResult } from "../lab/replay/types.js";
import { identityOf, readState } from "../lab/state.js";
import type { ExistingRestate } from "../lab/supervisor.js";

const USAGE = `Usage: idempotency-lab <command> [options]

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

Options for up:
  --node <path>                  Node.js 22+ for the service (default: this one, then PATH)
  --restate-server <path>        restate-server binary (default: the workspace's npm package)
  --ingress-port, --admin-port, --gateway-port, --service-port <n>
                                 Preferred ports (0 = any free port; a taken port falls back to a free one)

A Restate that runs elsewhere (up, status, replay):
  --restate-admin <url> --restate-ingress <url>
                                 Start no local restate-server; register and replay there. A token
                                 for it is read from ${RESTATE_TOKEN_ENV} only (https, or this
                                 machine), and sent only to these two URLs' origins.
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ["help", "--help", "-h"].includes(command)) {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command as keyof typeof COMMANDS] : undefined;
  if (!run) throw new UsageError(`Unknown command "${command}"`);
  return run(rest);
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
  return realWorkspace(resolve(positionals[0]!));
}

const EXISTING_RESTATE_FLAGS = ["restate-admin", "restate-ingress"];

/** --restate-admin/--restate-ingress, with the token from the environment bound to their origins. */
function existingRestateOption(values: Record<string, unknown>): ExistingRestate | undefined {
  const admin = values["restate-admin"] as string | undefined;
  const ingress = values["restate-ingress"] as string | undefined;
  if (admin === undefined && ingress === undefined) return undefined;
  if (!admin || !ingress) throw new UsageError("--restate-admin and --restate-ingress go together");
  for (const [flag, url] of [["--restate-admin", admin], ["--restate-ingress", ingress]] as const) {
    if (originOf(url) === null) throw new UsageError(`${flag} must be an http(s) URL, got "${url}"`);
  }
  const token = process.env[RESTATE_TOKEN_ENV]?.trim();
  if (!token) return { admin, ingress };
  for (const url of [admin, ingress]) {
    if (!mayCarryToken(url)) throw new UsageError(`${RESTATE_TOKEN_ENV} is only sent over https (or to this machine), and ${url} is plain http elsewhere`);
  }
  return { admin, ingress, credential: { authorization: authorizationValue(token), origins: [originOf(admin)!, originOf(ingress)!] } };
}

const progress = (message: string) => process.stderr.write(`› ${message}\n`);

function scaffoldCommand(args: string[]): number {
  const { positionals } = parse(args);
  const result = scaffold(oneDir(positionals, "scaffold"));
  console.log(`Scaffolded ${result.workspace}: ${counted(result.created.length, "file")} created, ${result.kept.length} kept`);
  for (const file of result.kept) console.log(`  kept    ${file}`);
  console.log(`Next: idempotency-lab up ${result.workspace}`);
  return 0;
}

async function upCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    booleans: ["detach", "json"],
    strings: ["node", "restate-server", "ingress-port", "admin-port", "gateway-port", "service-port", ...EXISTING_RESTATE_FLAGS],
  });
  const workspace = oneDir(positionals, "up");
  const existingRestate = existingRestateOption(values);
  const ports: UpOptions["ports"] = {};
  for (const name of ["ingress", "admin", "gateway", "service"] as const) {
    const raw = values[`${name}-port`] as string | undefined;
    if (raw !== undefined) ports[name] = portNumber(raw, `--${name}-port`);
  }
  const json = values.json === true;
  const stack = await untilStopped((signal) =>
    up(workspace, {
      nodePath: values.node as string | undefined,
      restateServerPath: values["restate-server"] as string | undefined,
      // In the foreground the lab lives as long as this command, even if it is killed.
      ownerPid: values.detach ? undefined : process.pid,
      existingRestate,
      ports,
      onProgress: json ? undefined : progress,
      signal,
    }),
  );
  if (json) console.log(JSON.stringify(upJson(stack)));
  else printStack(stack);
  if (values.detach) {
    if (!json) console.log(`Running in the background. Stop it with: idempotency-lab down ${workspace}`);
    return 0;
  }
  if (!json) console.log("Logs follow. Ctrl-C stops the lab.");
  return followUntilStopped(workspace, !json);
}

function upJson(stack: RunningStack) {
  return { ingress: stack.urls.ingress, admin: stack.urls.admin, gateway: stack.urls.gateway, service: stack.urls.service, pids: stack.pids, adopted: stack.adopted };
}

/** Foreground `up`: print the lab's log until Ctrl-C (then stop it) or until it stops by itself. */
function followUntilStopped(workspace: string, printLogs: boolean): Promise<number> {
  const paths = workspacePaths(workspace);
  let offset = safeSize(paths.log);
  return untilStopped(async (stopRequested) => {
    for (;;) {
      if (printLogs) offset = printFrom(paths.log, offset);
      if (stopRequested.aborted) {
        progress("Stopping the lab");
        await down(workspace);
        return 0;
      }
      const state = readState(paths.state);
      if (!state || !isOurs(identityOf(paths, "supervisor", state.pids.supervisor, state.runToken))) {
        if (printLogs) printFrom(paths.log, offset);
        const error = state?.error;
        process.stderr.write(`The lab stopped${error ? `: ${error}` : ""}\n`);
        return error ? 1 : 0;
      }
      await sleep(200);
    }
  }, ["SIGINT", "SIGTERM", "SIGHUP"]);
}

async function downCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args);
  const workspace = oneDir(positionals, "down");
  const { stopped, problem } = await down(workspace, { onProgress: progress });
  if (problem) {
    console.log(`The lab's state file was not one this lab wrote, so nothing it names was stopped; it was removed.\n  (${problem})`);
    return 1;
  }
  console.log(stopped.length > 0 ? `Stopped the lab in ${workspace}` : `The lab in ${workspace} was not running`);
  return 0;
}

async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { booleans: ["json"], strings: EXISTING_RESTATE_FLAGS });
  const result = await status(oneDir(positionals, "status"), { existingRestate: existingRestateOption(values) });
  if (values.json) {
    console.log(JSON.stringify(result));
    return 0;
  }
  switch (result.state) {
    case "ready":
      printStack(result);
      if (!result.healthy) console.log("Warning: the lab is running but does not answer its health checks; see the log.");
      break;
    case "stopped":
      console.log(`The lab in ${result.workspace} is stopped.`);
      if (result.problem) console.log(`Its state file was ignored: ${result.problem}`);
      if (result.leftovers.length > 0) {
        console.log(`Processes left by a killed run are still alive (${result.leftovers.join(", ")}): run "idempotency-lab down ${result.workspace}".`);
      }
      break;
    case "failed":
      console.log(`The lab in ${result.workspace} failed: ${result.error}`);
      break;
    default:
      console.log(`The lab in ${result.workspace} is ${result.state}: ${result.detail}`);
  }
  return 0;
}

function scenariosCommand(args: string[]): number {
  const { values } = parse(args, { booleans: ["json"] });
  if (values.json) {
    console.log(JSON.stringify(SCENARIOS.map(({ id, title, lesson, kind, defaults }) => ({ id, title, lesson, kind, defaults }))));
    return 0;
  }
  const width = Math.max(...SCENARIOS.map((s) => s.id.length));
  for (const s of SCENARIOS) console.log(`${s.id.padEnd(width)}  ${s.lesson}`);
  return 0;
}

async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { booleans: ["json"], strings: ["scenario", "count", "concurrency", "body", ...EXISTING_RESTATE_FLAGS] });
  const workspace = oneDir(positionals, "replay");
  const existingRestate = existingRestateOption(values);
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
  const json = values.json === true;
  const { result } = await replay(workspace, request, { existingRestate, onStart: json ? undefined : () => progress(`Running ${id}`) });
  if (json) console.log(JSON.stringify(toJson([result]), null, 2));
  else console.log(describe(result));
  return result.verdict === "unexpected" ? 1 : 0;
}

async function labCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { booleans: ["json"], strings: ["node"] });
  if (positionals.length > 1) throw new UsageError(`lab takes at most one folder, got ${positionals.length}`);
  const json = values.json === true;
  const say = json ? () => {} : progress;
  const temporary = positionals[0] === undefined;
  const workspace = temporary ? join(mkdtempSync(join(tmpdir(), "idempotency-lab-")), "lab") : resolve(positionals[0]!);
  const scaffolded = scaffold(workspace);
  say(`Lab workspace: ${workspace} (${counted(scaffolded.created.length, "file")} created, ${scaffolded.kept.length} kept)`);
  const results: ScenarioResult[] = [];
  await untilStopped(async (signal) => {
    try {
      const stack = await up(workspace, { nodePath: values.node as string | undefined, onProgress: say, signal });
      say(`Restate ingress ${stack.urls.ingress}, admin ${stack.urls.admin}, gateway ${stack.urls.gateway}`);
      for (const scenario of SCENARIOS) {
        if (signal.aborted) break;
        say(`Running ${scenario.id}: ${scenario.lesson}`);
        results.push((await replay(workspace, { scenario: scenario.id }, { signal })).result);
      }
    } finally {
      say("Stopping the lab");
      await down(workspace);
      // A temporary lab holds ~400 MB (packages and Restate data): keep only a folder the user chose.
      if (temporary) rmSync(join(workspace, ".."), { recursive: true, force: true });
    }
  });
  if (json) console.log(JSON.stringify(toJson(results), null, 2));
  else {
    console.log(table(results));
    console.log("");
    for (const r of results) {
      // A scenario that did not behave as its lesson says gets the whole picture.
      console.log(r.verdict === r.expectedVerdict ? `${r.id}: ${r.explanation}\n` : `${describe(r)}\n`);
    }
    console.log(
      temporary
        ? "Details of one scenario: idempotency-lab scaffold <dir> && idempotency-lab up <dir> --detach && idempotency-lab replay <dir> --scenario <id>"
        : `Details of one scenario: idempotency-lab up ${workspace} --detach && idempotency-lab replay ${workspace} --scenario <id>`,
    );
  }
  const unexpected = results.filter((r) => r.verdict === "unexpected");
  if (unexpected.length > 0) {
    process.stderr.write(`error: ${counted(unexpected.length, "scenario")} did not behave as their lesson says: ${unexpected.map((r) => r.id).join(", ")}\n`);
    return 1;
  }
  return 0;
}

/**
 * Runs `work` with an AbortSignal that Ctrl-C (or another of `signals`) aborts instead of
 * killing this process, so the lab can be stopped first; the default handling is back afterwards.
 */
async function untilStopped<T>(work: (stopRequested: AbortSignal) => Promise<T>, signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"]): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  for (const signal of signals) process.once(signal, onSignal);
  try {
    return await work(abort.signal);
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
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

function printStack(stack: RunningStack): void {
  console.log(`${stack.adopted ? "The lab was already running" : "The lab is ready"} in ${stack.workspace}`);
  console.log(`  Restate ingress  ${stack.urls.ingress}`);
  console.log(`  Restate admin    ${stack.urls.admin}   (UI: ${stack.urls.admin}/ui/)`);
  console.log(`  Payment gateway  ${stack.urls.gateway}   (ledger: ${stack.urls.gateway}/ledger)`);
  console.log(`  Payment service  ${stack.urls.service}`);
  console.log(`  Log              ${workspacePaths(stack.workspace).log}`);
}

function portNumber(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port from 0 to 65535, got "${raw}"`);
  return n;
}

function safeSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function printFrom(file: string, offset: number): number {
  if (safeSize(file) < offset) return 0; // the log was reset
  const { text, end } = readLabFileFrom(file, offset); // never through a link
  process.stdout.write(text);
  return end;
}

const COMMANDS = { scaffold: scaffoldCommand, up: upCommand, down: downCommand, status: statusCommand, scenarios: scenariosCommand, replay: replayCommand, lab: labCommand };

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}`);
      return exitAfterOutput(2);
    }
    const { message, fix } = describeError(err);
    process.stderr.write(`error: ${message}\n${fix ? `fix: ${fix}\n` : ""}`);
    if (!(err instanceof LabError) && err instanceof Error && process.env.DEBUG) console.error(err.stack);
    exitAfterOutput(1);
  },
);

/**
 * Exits once stdout and stderr have written everything: into a pipe they write asynchronously,
 * and process.exit() right away cut `replay --json` off at 64 KiB.
 */
function exitAfterOutput(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
