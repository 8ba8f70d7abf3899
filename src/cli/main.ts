// idempotency-lab: the lab engine from a terminal.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeError, LabError } from "../lab/errors.js";
import { readLabFileFrom, realWorkspace } from "../lab/lab-files.js";
import { isOurs } from "../lab/processes.js";
import { sleep } from "../lab/poll.js";
import { workspacePaths } from "../lab/paths.js";
import { scaffold } from "../lab/scaffold.js";
import { down, status, up, type RunningStack } from "../lab/stack.js";
import { describe, table, toJson } from "../lab/replay/report.js";
import { replay } from "../lab/replay/replay.js";
import { SCENARIOS } from "../lab/replay/scenarios.js";
import { counted } from "../shared/wording.js";
import type { ScenarioResult } from "../lab/replay/types.js";
import { identityOf, readState } from "../lab/state.js";
import { runAndKeepChaos } from "../lab/chaos/record.js";
import { describeChaos } from "../lab/chaos/report.js";
import { describeSchedule, schedule } from "../lab/chaos/plan.js";
import type { ShrinkConfig } from "../lab/chaos/shrink.js";
import { shrinkChaos, type Shrunk } from "../lab/chaos/shrink-run.js";
import { stepText, violationChains } from "../shared/chaos-chain.js";
import type { ChaosResult } from "../shared/chaos-result.js";
import { parseCommandLine, USAGE, type CliCommand } from "./args.js";

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, process.env);
  if (!parsed.ok) {
    process.stderr.write(`error: ${parsed.message}\n${parsed.showUsage ? `\n${USAGE}` : parsed.fix ? `fix: ${parsed.fix}\n` : ""}`);
    return parsed.exitCode;
  }
  const run = parsed.run;
  switch (run.command) {
    case "help":
      process.stdout.write(USAGE);
      return run.exitCode;
    case "scaffold":
      return scaffoldCommand(run);
    case "up":
      return upCommand(run);
    case "down":
      return downCommand(run);
    case "status":
      return statusCommand(run);
    case "scenarios":
      return scenariosCommand(run);
    case "replay":
      return replayCommand(run);
    case "lab":
      return labCommand(run);
    case "chaos":
      return chaosCommand(run);
  }
  return 2; // unreachable: the parser names only the commands above
}

type Run<C extends CliCommand["command"]> = Extract<CliCommand, { command: C }>;

const progress = (message: string) => process.stderr.write(`› ${message}\n`);

function scaffoldCommand(run: Run<"scaffold">): number {
  const result = scaffold(realWorkspace(run.dir));
  console.log(`Scaffolded ${result.workspace}: ${counted(result.created.length, "file")} created, ${result.kept.length} kept`);
  for (const file of result.kept) console.log(`  kept    ${file}`);
  console.log(`Next: idempotency-lab up ${result.workspace}`);
  return 0;
}

async function upCommand(run: Run<"up">): Promise<number> {
  const workspace = realWorkspace(run.dir);
  const json = run.json;
  const stack = await untilStopped((signal) =>
    up(workspace, {
      nodePath: run.nodePath,
      restateServerPath: run.restateServerPath,
      // In the foreground the lab lives as long as this command, even if it is killed.
      ownerPid: run.detach ? undefined : process.pid,
      existingRestate: run.existingRestate,
      ports: run.ports,
      onProgress: json ? undefined : progress,
      onLog: json ? undefined : progress,
      signal,
    }),
  );
  if (json) console.log(JSON.stringify(upJson(stack)));
  else printStack(stack);
  if (run.detach) {
    if (!json) console.log(`Running in the background. Stop it with: idempotency-lab down ${workspace}`);
    return 0;
  }
  if (!json) console.log("Logs follow. Ctrl-C stops the lab.");
  return followUntilStopped(workspace, !json);
}

function upJson(stack: RunningStack) {
  return {
    ingress: stack.urls.ingress,
    admin: stack.urls.admin,
    gateway: stack.urls.gateway,
    service: stack.urls.service,
    pids: stack.pids,
    adopted: stack.adopted,
  };
}

/** Foreground `up`: print the lab's log until Ctrl-C (then stop it) or until it stops by itself. */
function followUntilStopped(workspace: string, printLogs: boolean): Promise<number> {
  const paths = workspacePaths(workspace);
  let offset = safeSize(paths.log);
  return untilStopped(
    async (stopRequested) => {
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
    },
    ["SIGINT", "SIGTERM", "SIGHUP"],
  );
}

async function downCommand(run: Run<"down">): Promise<number> {
  const workspace = realWorkspace(run.dir);
  const { stopped, problem, startStopped } = await down(workspace, { onProgress: progress });
  if (problem) {
    console.log(`The lab's state file was not one this lab wrote, so nothing it names was stopped; it was removed.\n  (${problem})`);
    return 1;
  }
  console.log(
    startStopped
      ? `Stopped the lab in ${workspace} while it was starting`
      : stopped.length > 0
        ? `Stopped the lab in ${workspace}`
        : `The lab in ${workspace} was not running`,
  );
  return 0;
}

async function statusCommand(run: Run<"status">): Promise<number> {
  const result = await status(realWorkspace(run.dir), { existingRestate: run.existingRestate });
  if (run.json) {
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

function scenariosCommand(run: Run<"scenarios">): number {
  if (run.json) {
    console.log(JSON.stringify(SCENARIOS.map(({ id, title, lesson, kind, defaults }) => ({ id, title, lesson, kind, defaults }))));
    return 0;
  }
  const width = Math.max(...SCENARIOS.map((s) => s.id.length));
  for (const s of SCENARIOS) console.log(`${s.id.padEnd(width)}  ${s.lesson}`);
  return 0;
}

async function replayCommand(run: Run<"replay">): Promise<number> {
  const workspace = realWorkspace(run.dir);
  const json = run.json;
  const { result } = await replay(workspace, run.request, {
    existingRestate: run.existingRestate,
    onStart: json ? undefined : () => progress(`Running ${run.request.scenario}`),
    onHistoryError: json ? undefined : progress,
  });
  if (json) console.log(JSON.stringify(toJson([result]), null, 2));
  else console.log(describe(result));
  return result.verdict === "unexpected" ? 1 : 0;
}

async function labCommand(run: Run<"lab">): Promise<number> {
  const json = run.json;
  const say = json ? () => {} : progress;
  const temporary = run.dir === undefined;
  const workspace = run.dir ?? join(mkdtempSync(join(tmpdir(), "idempotency-lab-")), "lab");
  const scaffolded = scaffold(workspace);
  say(`Lab workspace: ${workspace} (${counted(scaffolded.created.length, "file")} created, ${scaffolded.kept.length} kept)`);
  const results: ScenarioResult[] = [];
  await untilStopped(async (signal) => {
    try {
      const stack = await up(workspace, { nodePath: run.nodePath, onProgress: say, onLog: say, signal });
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

function printStack(stack: RunningStack): void {
  console.log(`${stack.adopted ? "The lab was already running" : "The lab is ready"} in ${stack.workspace}`);
  console.log(`  Restate ingress  ${stack.urls.ingress}`);
  console.log(`  Restate admin    ${stack.urls.admin}   (UI: ${stack.urls.admin}/ui/)`);
  console.log(`  Payment gateway  ${stack.urls.gateway}   (ledger: ${stack.urls.gateway}/ledger)`);
  console.log(`  Payment service  ${stack.urls.service}`);
  console.log(`  Log              ${workspacePaths(stack.workspace).log}`);
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

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (err: unknown) => {
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

async function chaosCommand(run: Run<"chaos">): Promise<number> {
  const workspace = realWorkspace(run.dir);
  const o = run.options;
  const only = (f: { index: number }) => run.faults === undefined || run.faults.includes(f.index);
  if (!run.json) {
    progress(`Chaos run against ${o.target}, seed ${o.seed}: ${counted(o.payments, "payment")}, ${o.duplicates} requests each, ${o.durationS} s`);
    // The plan before the run: the same seed prints (and runs) the same schedule.
    const plan = schedule({ ...o, processFaults: true });
    const lines = describeSchedule(plan);
    plan.forEach((f, i) => {
      if (only(f)) progress(`  #${f.index} ${lines[i]}`);
    });
    if (run.faults !== undefined)
      progress(`  (only ${run.faults.length === 0 ? "no fault" : `faults ${run.faults.map((i) => `#${i}`).join(", ")}`} of the seed's schedule)`);
  }
  // Kept in the history like a run from the panel, which opens it.
  const { record, historyError } = await untilStopped((signal) =>
    runAndKeepChaos(workspace, o, { existingRestate: run.existingRestate, signal, ...(run.faults === undefined ? {} : { faults: run.faults }) }),
  );
  const result = record.chaos;
  const shrunk = run.shrinkRuns !== undefined && result.violations.length > 0 && !result.stopped ? await shrinkFromCli(run, workspace, result) : null;
  if (run.json) console.log(JSON.stringify(run.shrinkRuns === undefined ? result : { chaos: result, shrink: shrunk }, null, 2));
  else console.log(describeChaos(result, record.evidence.ledger.length > 0 ? record.evidence.ledger : null, record.evidence.attempts));
  if (historyError) progress(historyError);
  else if (!run.json) progress(`Kept in the lab's history (.lab/history/, run ${record.runId}): the lab panel's History opens it.`);
  if (!run.json && run.shrinkRuns !== undefined) {
    if (shrunk) console.log(`\n${describeShrink(shrunk)}`);
    else console.log(`\n  Shrink: ${result.stopped ? "the run was stopped" : "the run broke no invariant"}, so there is nothing to shrink.`);
  }
  return result.verdict === result.expectedVerdict && !result.stopped ? 0 : 1;
}

/** Runs the failing run again, smaller, from the same seed (none of these runs is kept in the history). */
async function shrinkFromCli(run: Run<"chaos">, workspace: string, first: ChaosResult): Promise<Shrunk> {
  if (!run.json) progress(`Shrinking: at most ${counted(run.shrinkRuns!, "more run")}, from seed ${run.options.seed}, with fewer payments, then fewer faults`);
  return untilStopped((signal) =>
    shrinkChaos(workspace, first, {
      maxRuns: run.shrinkRuns!,
      dir: run.dir,
      signal,
      existingRestate: run.existingRestate,
      ...(run.faults === undefined ? {} : { faults: run.faults }),
      onTry: (t, n) => {
        if (!run.json) progress(`  run ${n}: ${shrinkLabel(t.config)} → ${t.failed ? `still breaks ${t.broken.join(", ")}` : "passes"}`);
      },
    }),
  );
}

const shrinkLabel = (c: ShrinkConfig) =>
  `${counted(c.payments, "payment")}, ${c.faults.length === 0 ? "no fault" : `faults ${c.faults.map((i) => `#${i}`).join(", ")}`}`;

function describeShrink(s: Shrunk): string {
  const out = [
    `  Smallest failing run${s.cutShort ? " found within the budget" : ""} (${counted(s.runs, "more run")}): seed ${s.smallest.seed}, ${shrinkLabel(s.smallest)}; it still breaks ${s.invariants.filter((i) => s.result.violations.some((v) => v.invariant === i)).join(", ")}`,
    s.cutShort ? "  (the search stopped at --shrink-runs before it tried every cut: a larger budget may find a smaller run)" : "",
    `  Run it again: ${s.command}`,
  ].filter((line) => line !== "");
  for (const chain of violationChains(s.result)) {
    out.push("", `  Causal chain, payment ${chain.paymentId} (${chain.broken.map((b) => b.invariant).join(", ")}):`);
    chain.steps.forEach((step, i) => out.push(`    ${i === 0 ? "  " : "→ "}${stepText(step)}`));
  }
  return out.join("\n");
}
