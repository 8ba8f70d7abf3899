// Extension-host tests: the real extension in a real VS Code, driving a real lab.
// The workspace folder is a scaffolded lab (its node_modules linked by the outer test).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import type { LabSession } from "../../src/extension/lab-session.js";
import { workspacePaths } from "../../src/lab/paths.js";
import type { ScenarioResult } from "../../src/lab/replay/types.js";
import type { ScaffoldResult } from "../../src/lab/scaffold.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { readState } from "../../src/lab/state.js";
import { listRuns } from "../../src/lab/history.js";
import type { LabTests } from "../../src/extension/test-explorer.js";
import { runningReplays } from "../../src/lab/replay/running.js";
import { SCENARIOS } from "../../src/lab/replay/scenarios.js";
import { startExternalRestate } from "./external-restate.js";
import { driverSignals, EXTENSION_ID, isAlive, runCases, waitFor } from "./harness.js";
import { paletteCases } from "./palette-suite.js";

function ok<T>(value: T | { error: string }): T {
  if (typeof value === "object" && value !== null && "error" in value) throw new Error(`command failed: ${JSON.stringify(value)}`);
  return value as T;
}

/** Why a run was not safe, for the assertion's message: its failed invariants, notes and failed answers. */
const whyNot = (r: ScenarioResult) =>
  JSON.stringify({
    failed: r.invariants.filter((i) => !i.ok),
    notes: r.notes,
    answers: r.requestsDetail.filter((d) => d.answer === "failed" || d.answer === "timed-out").slice(0, 3),
  });
const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const peek = () => run<{ text: string; state: string }>(COMMANDS.statusMenu, { peek: true });

export async function run_(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const workspace = folder.fsPath;
  const paths = workspacePaths(workspace);
  let session: LabSession;
  let stack: RunningStack;

  await runCases([
    [
      "a lab folder activates it (workspaceContains), and every command is registered",
      async () => {
        const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
        assert.equal(extension.isActive, true, "opening a lab folder activates the extension, with no command run");
        assert.match((await peek()).text, /Lab: stopped/);
        session = (extension.exports as { session: LabSession }).session;
        const all = await vscode.commands.getCommands(true);
        for (const id of Object.values(COMMANDS)) assert.ok(all.includes(id), `${id} is registered`);
      },
    ],
    [
      "Scaffold Lab into a new folder reports created files, and again keeps them",
      async () => {
        const target = join(mkdtempSync(join(tmpdir(), "host-scaffold-")), "lab");
        const first = ok(await run<ScaffoldResult>(COMMANDS.scaffold, { folder: target, openDocs: false }));
        assert.ok(first.created.includes("src/payment-service.ts"));
        assert.ok(existsSync(join(target, "idempotency-lab.json")));
        const again = ok(await run<ScaffoldResult>(COMMANDS.scaffold, { folder: target, openDocs: false }));
        assert.deepEqual(again.created, []);
        assert.equal(again.kept.length, first.created.length);
      },
    ],
    [
      "Scaffold Lab refuses a non-empty folder that is not a lab",
      async () => {
        const result = await run<{ error: string }>(COMMANDS.scaffold, { folder: join(workspace, "src"), openDocs: false });
        assert.match(result.error, /not empty and is not an Idempotency Lab workspace/);
      },
    ],
    [
      "a start that fails shows the error in the status bar, with what is wrong and how to fix it",
      async () => {
        const config = vscode.workspace.getConfiguration("idempotencyLab", folder);
        // A user setting: the path of what the lab runs is "machine" scoped, never a workspace's.
        await config.update("restateServerPath", "/nonexistent/restate-server", vscode.ConfigurationTarget.Global);
        try {
          const result = await run<{ error: string; fix: string }>(COMMANDS.start, { folder });
          assert.match(result.error, /restate-server was not found at \/nonexistent\/restate-server/);
          assert.match(result.fix, /restate-server path/);
          const bar = await peek();
          assert.equal(bar.state, "error");
          assert.match(bar.text, /Lab: error/);
          assert.ok(!existsSync(paths.state), "nothing was started");
        } finally {
          await config.update("restateServerPath", undefined, vscode.ConfigurationTarget.Global);
        }
      },
    ],
    [
      "Start Lab brings up Restate, the gateway and the service, saying what it does in words; the status bar says ready",
      async () => {
        // What the progress notification shows while it starts (the session's "starting" details).
        const details: string[] = [];
        const listening = session.onDidChange((state) => state.kind === "starting" && details.push(state.detail));
        stack = ok(await run<RunningStack>(COMMANDS.start, { folder }));
        listening.dispose();
        assert.ok(
          details.some((d) => /Starting Restate, the gateway and the service/.test(d)),
          details.join(" | "),
        );
        assert.ok(
          details.some((d) => /registering the service/i.test(d)),
          details.join(" | "),
        );
        assert.deepEqual(
          details.filter((d) => /^npm:|Using Node\.js/.test(d)),
          [],
          "raw npm lines and details go to the log, not the progress",
        );
        assert.equal(stack.adopted, false);
        assert.ok(stack.pids.restate && isAlive(stack.pids.restate));
        assert.ok((await fetch(`${stack.urls.admin}/health`)).ok);
        const bar = await peek();
        assert.equal(bar.state, "ready");
        assert.match(bar.text, new RegExp(`Lab: ready :${new URL(stack.urls.ingress).port}`));
      },
    ],
    [
      "the log channel carries the Restate server, service and gateway output with prefixes",
      async () => {
        await waitFor("restate, gateway and service lines in the channel", () =>
          ["[restate]", "[gateway]", "[service]"].every((p) => session.log.recent.some((l) => l.startsWith(p))),
        );
        assert.equal(await run(COMMANDS.showLogs), "Idempotency Lab");
      },
    ],
    [
      "Start Lab again adopts the running lab",
      async () => {
        const again = ok(await run<RunningStack>(COMMANDS.start, { folder }));
        assert.equal(again.adopted, true);
        assert.deepEqual(again.pids, stack.pids);
      },
    ],
    [
      "Replay Duplicates: duplicates in a row are safe with one charge",
      async () => {
        const result = ok(await run<ScenarioResult>(COMMANDS.replay, { scenario: "duplicates-in-a-row", count: 3 }));
        assert.equal(result.verdict, "safe", whyNot(result));
        assert.equal(result.requests, 3);
        const ledger = (await (await fetch(`${stack.urls.gateway}/ledger?paymentId=${result.paymentIds[0]}`)).json()) as unknown[];
        assert.equal(ledger.length, 1);
      },
    ],
    [
      "Replay Duplicates: an anti-pattern is unsafe with two charges in the ledger",
      async () => {
        const result = ok(await run<ScenarioResult>(COMMANDS.replay, { scenario: "anti-pattern-charge-outside-run" }));
        assert.equal(result.verdict, "unsafe");
        const ledger = (await (await fetch(`${stack.urls.gateway}/ledger?paymentId=${result.paymentIds[0]}`)).json()) as unknown[];
        assert.equal(ledger.length, 2);
      },
    ],
    [
      "Replay Duplicates rejects an unknown scenario and a count above the cap, sending nothing",
      async () => {
        const before = await (await fetch(`${stack.urls.gateway}/ledger`)).text();
        assert.match((await run<{ error: string }>(COMMANDS.replay, { scenario: "nope" })).error, /Unknown scenario "nope"/);
        assert.match((await run<{ error: string }>(COMMANDS.replay, { scenario: "concurrent-burst", count: 0 })).error, /count must be/);
        assert.equal(await (await fetch(`${stack.urls.gateway}/ledger`)).text(), before);
      },
    ],
    [
      "Open Restate UI and Open Docs point at the running lab",
      async () => {
        assert.equal(ok(await run<string>(COMMANDS.openRestateUi)), `${stack.urls.admin}/ui/`);
        const concepts = join(workspace, "docs", "01-concepts.md");
        assert.equal(ok(await run<string>(COMMANDS.openDocs, { folder })), existsSync(concepts) ? concepts : join(workspace, "README.md"));
      },
    ],
    [
      "a CodeLens above create replays it in the lab panel",
      async () => {
        const doc = await vscode.workspace.openTextDocument(join(workspace, "src", "payment-service.ts"));
        await vscode.window.showTextDocument(doc);
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", doc.uri);
        const lens = lenses.find((l) => l.command?.title.includes("Replay ×5 with one key"));
        assert.ok(lens, `lenses: ${lenses.map((l) => l.command?.title).join(", ")}`);
        assert.equal(doc.lineAt(lens.range.start.line).text.trim().startsWith("create:"), true);
        const before = listRuns(workspace).length;
        ok(await run(lens.command!.command, ...(lens.command!.arguments ?? [])));
        const runs = await waitFor("the panel's run", () => listRuns(workspace).length > before && listRuns(workspace), 60_000);
        assert.equal(runs[0]!.scenario, "duplicates-in-a-row");
        assert.equal(runs[0]!.verdict, "safe");
        assert.equal(runs[0]!.requests, 5);
      },
    ],
    [
      "the Test Explorer's Validation item runs a scenario against the live lab and passes",
      async () => {
        const tests = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { tests: LabTests }).tests;
        tests.discover();
        const validation = tests.controller.items.get("validation")!;
        const item = validation.children.get("validation/duplicates-in-a-row")!;
        assert.ok(item, "a validation item per scenario");
        assert.equal(validation.children.size, SCENARIOS.length);
        await tests.run(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
        assert.deepEqual(tests.lastResults.get(item.id), { passed: true });
        // The run tells its story in the test's output: the requests, the ledger, the verdict.
        const output = tests.lastOutput.get(item.id) ?? "";
        assert.match(output, /Requests: 5/);
        assert.match(output, /Gateway ledger: 1 charge, 0 refunds/);
        assert.match(output, /Verdict: safe/);
      },
    ],
    [
      "an exercise's starter fails in the Test Explorer with a message naming the broken promise; Show Solution opens a diff",
      async () => {
        const tests = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { tests: LabTests }).tests;
        const exercises = tests.controller.items.get("exercises")!;
        const item = exercises.children.get("exercises/01-order-creation");
        assert.ok(item, `exercise items: ${[...collect(exercises)].join(", ")}`);
        await tests.run(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
        const result = tests.lastResults.get(item.id)!;
        assert.equal(result.passed, false, "the untouched starter fails");
        assert.ok((result.message ?? "").length > 20, `a message that says what broke: ${result.message}`);
        const shown = ok(await run<{ mine: string; solution: string }>(COMMANDS.showSolution, { exercise: "01-order-creation" }));
        assert.equal(shown.solution, join(workspace, "solutions", "01-order-creation.ts"));
        const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
        assert.ok(tab?.input instanceof vscode.TabInputTextDiff, "the active tab is a diff");
      },
    ],
    [
      "once the learner's exercise does what the solution does, its Test Explorer item passes",
      async () => {
        const tests = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { tests: LabTests }).tests;
        const mine = join(workspace, "exercises", "01-order-creation.ts");
        const starter = readFileSync(mine, "utf8");
        writeFileSync(mine, readFileSync(join(workspace, "solutions", "01-order-creation.ts"), "utf8"));
        try {
          const item = tests.controller.items.get("exercises")!.children.get("exercises/01-order-creation")!;
          await tests.run(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
          assert.deepEqual(tests.lastResults.get(item.id), { passed: true });
        } finally {
          writeFileSync(mine, starter);
        }
      },
    ],
    [
      "the walkthrough opens",
      async () => {
        await run("workbench.action.openWalkthrough", `${EXTENSION_ID}#learn`, false);
      },
    ],
    [
      "Restart Lab gives a working lab with a new Restate process",
      async () => {
        const restarted = ok(await run<RunningStack>(COMMANDS.restart, { folder }));
        assert.notEqual(restarted.pids.restate, stack.pids.restate);
        assert.ok(!isAlive(stack.pids.restate!), "the old restate-server is gone");
        stack = restarted;
        assert.equal((await peek()).state, "ready");
      },
    ],
    [
      "Reset Lab State during a replay is refused, saying so: nothing is stopped or deleted, and the replay completes",
      async () => {
        const replaying = run<ScenarioResult>(COMMANDS.replay, { scenario: "concurrent-burst", count: 3000, concurrency: 50 });
        await waitFor("the replay to be running", () => runningReplays(workspace).length > 0, 60_000);
        const refused = await run<{ error: string; code: string }>(COMMANDS.resetLabState, { folder, confirmed: true });
        assert.equal(refused.code, "replay-running");
        assert.match(refused.error, /A replay is running in this lab \(concurrent-burst/);
        assert.ok(existsSync(paths.ledger) && existsSync(paths.restateData), "nothing deleted");
        for (const [role, pid] of Object.entries(stack.pids)) assert.ok(isAlive(pid!), `${role} (pid ${pid}) still running`);
        const result = ok(await replaying);
        assert.equal(result.verdict, "safe", whyNot(result));
        assert.equal(result.requests, 3000);
        assert.equal((await peek()).state, "ready");
      },
    ],
    [
      "Reset Lab State stops the lab and clears .restate and the ledger, and nothing else",
      async () => {
        assert.ok(existsSync(paths.ledger) && existsSync(paths.restateData));
        const service = readFileSync(join(workspace, "src", "payment-service.ts"), "utf8");
        ok(await run(COMMANDS.resetLabState, { folder, confirmed: true }));
        assert.ok(!existsSync(paths.ledger));
        assert.ok(!existsSync(paths.restateData));
        assert.equal(readFileSync(join(workspace, "src", "payment-service.ts"), "utf8"), service);
        for (const [role, pid] of Object.entries(stack.pids)) assert.ok(!isAlive(pid!), `${role} (pid ${pid}) stopped: ${describePid(pid!)}`);
        assert.equal((await peek()).state, "stopped");
      },
    ],
    [
      "the existing-Restate setting registers and replays on a separately started server, starting none",
      async () => {
        const external = await startExternalRestate(workspace);
        const config = vscode.workspace.getConfiguration("idempotencyLab", folder);
        try {
          // The user's own settings: URLs a workspace sets are asked about first (security-suite.ts).
          await config.update("existingRestate.enabled", true, vscode.ConfigurationTarget.Global);
          await config.update("existingRestate.adminUrl", external.admin, vscode.ConfigurationTarget.Global);
          await config.update("existingRestate.ingressUrl", external.ingress, vscode.ConfigurationTarget.Global);
          const lab = ok(await run<RunningStack>(COMMANDS.start, { folder }));
          assert.equal(lab.urls.admin, external.admin);
          assert.equal(lab.pids.restate, undefined, "no local restate-server");
          const deployments = (await (await fetch(`${external.admin}/deployments`)).json()) as { deployments: Array<{ uri: string }> };
          assert.ok(
            deployments.deployments.some((d) => d.uri.replace(/\/$/, "") === lab.urls.service),
            `the service (${lab.urls.service}) is registered on the external server: ${JSON.stringify(deployments)}`,
          );
          const result = ok(await run<ScenarioResult>(COMMANDS.replay, { scenario: "no-key-same-payment", count: 2 }));
          assert.equal(result.verdict, "safe", whyNot(result));
          ok(await run(COMMANDS.stop, { folder }));
          assert.ok(isAlive(external.pid), "stopping the lab leaves the external Restate alone");
        } finally {
          for (const key of ["enabled", "adminUrl", "ingressUrl"]) {
            await config.update(`existingRestate.${key}`, undefined, vscode.ConfigurationTarget.Global);
          }
          external.stop();
        }
      },
    ],
    [
      "Start Lab twice at once (a double click): one lab, both ready",
      async () => {
        const [a, b] = await Promise.all([run<RunningStack>(COMMANDS.start, { folder }), run<RunningStack>(COMMANDS.start, { folder })]);
        const both = [ok(a), ok(b)];
        assert.equal(both.filter((s) => !s.adopted).length, 1, "one of them started it, the other adopted it");
        assert.equal(both[0]!.pids.supervisor, both[1]!.pids.supervisor);
        assert.equal((await peek()).state, "ready");
      },
    ],
    [
      "Stop Lab leaves no process behind",
      async () => {
        stack = ok(await run<RunningStack>(COMMANDS.start, { folder }));
        const result = ok(await run<{ stopped: number[] }>(COMMANDS.stop, { folder }));
        assert.ok(result.stopped.length > 0);
        for (const pid of Object.values(stack.pids)) assert.ok(!isAlive(pid!), `pid ${pid} stopped`);
        assert.equal(readState(paths.state), null);
        assert.match((await peek()).text, /Lab: stopped/);
      },
    ],
    // The learner's path through the palette, then the panel, typed and clicked by the outer
    // test's driver: in this window, not one of its own (a launch is 10-15 s of the lane).
    ...paletteCases(folder, driverSignals(240_000)),
    [
      "a lab left running when the window goes away is stopped (checked by the outer test)",
      async () => {
        stack = ok(await run<RunningStack>(COMMANDS.start, { folder }));
        const file = process.env.HOST_TEST_LEFT_RUNNING;
        if (file) (await import("node:fs")).writeFileSync(file, JSON.stringify(stack.pids));
      },
    ],
  ]);
}

function* collect(item: vscode.TestItem): Generator<string> {
  for (const [id] of item.children) yield id;
}

function describePid(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ") + " / " + readFileSync(`/proc/${pid}/stat`, "utf8").slice(0, 60);
  } catch {
    return "gone";
  }
}

export { run_ as run };
