// The lab's checks in the Test Explorer: "Validation" runs every scenario against the live
// lab and passes when it shows its lesson; "Exercises" runs each exercise's tests (vitest,
// against a real Restate server) on the learner's code.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { findLabFolder } from "./lab-folder.js";
import type { LabSession } from "./lab-session.js";
import type { LearningProgress } from "./learning-progress.js";
import { describeError } from "../lab/errors.js";
import { findNode } from "../lab/node-runtime.js";
import { DOC_PAGES, docPage } from "../lab/lab-docs.js";
import { features } from "./load-features.js";
import { childEnvironment } from "../lab/origins.js";
import { upOptions } from "./settings.js";

const NEEDS_TRUST = "Needs a trusted workspace";

export class LabTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController("idempotencyLab", "Idempotency Lab");
  /** The outcome of each item's last run, by item id: what a test (or a curious user) can read. */
  readonly lastResults = new Map<string, { passed: boolean; message?: string }>();
  /** What each item's last run wrote to its test output. */
  readonly lastOutput = new Map<string, string>();

  private readonly trustGranted: vscode.Disposable;

  constructor(
    private readonly session: LabSession,
    private readonly progress: LearningProgress,
  ) {
    this.controller.resolveHandler = async () => this.discover();
    this.controller.refreshHandler = async () => this.discover();
    this.controller.createRunProfile("Run", vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    // Items say they need trust while the workspace is untrusted; they come back plain once it is.
    this.trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() => this.discover());
  }

  /** Validation: one item per scenario. Exercises: one item per test file in test/exercises. */
  discover(): void {
    let workspace: string;
    try {
      workspace = findLabFolder().fsPath;
    } catch {
      this.controller.items.replace([]);
      return;
    }
    const { SCENARIOS, EXAM_TARGETS } = features(); // the list, when the Testing view first asks for it
    const untrusted = !vscode.workspace.isTrusted;
    const validationDoc = vscode.Uri.file(docPage(workspace, "validation"));
    const validation = this.controller.createTestItem("validation", "Validation", validationDoc);
    for (const s of SCENARIOS) {
      const item = this.controller.createTestItem(`validation/${s.id}`, `${s.title}: ${s.kind === "idempotent" ? "safe" : "unsafe, as taught"}`);
      item.description = untrusted ? NEEDS_TRUST : s.lesson;
      validation.children.add(item);
    }
    const exercises = this.controller.createTestItem("exercises", "Exercises", vscode.Uri.file(docPage(workspace, "exercises")));
    const testDir = join(workspace, "test", "exercises");
    for (const file of existsSync(testDir)
      ? readdirSync(testDir)
          .filter((f) => f.endsWith(".test.ts"))
          .sort()
      : []) {
      const name = file.replace(/\.test\.ts$/, "");
      const item = this.controller.createTestItem(`exercises/${name}`, name, vscode.Uri.file(join(workspace, "exercises", `${name}.ts`)));
      if (untrusted) item.description = NEEDS_TRUST;
      exercises.children.add(item);
    }
    const exam = this.controller.createTestItem("exam", "Final exam: a chaos run", vscode.Uri.file(docPage(workspace, "exercises")));
    for (const target of EXAM_TARGETS) {
      const item = this.controller.createTestItem(`exam/${target.id}`, target.label);
      item.description = untrusted ? NEEDS_TRUST : target.description;
      exam.children.add(item);
    }
    if (untrusted) validation.description = exercises.description = exam.description = NEEDS_TRUST;
    this.controller.items.replace([validation, exercises, exam]);
  }

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (this.controller.items.size === 0) this.discover();
    const run = this.controller.createTestRun(request);
    const queue: vscode.TestItem[] = [];
    const add = (item: vscode.TestItem) => (item.children.size > 0 ? item.children.forEach(add) : queue.push(item));
    if (request.include) request.include.forEach(add);
    else this.controller.items.forEach(add);
    for (const item of queue.filter((i) => !request.exclude?.includes(i))) {
      if (token.isCancellationRequested) run.skipped(item);
      else if (!vscode.workspace.isTrusted) this.refuseUntrusted(item, run);
      else await this.runOne(item, run, token);
    }
    run.end();
    const passed = (prefix: string) => [...this.lastResults].filter(([id, r]) => id.startsWith(prefix) && r.passed).length;
    if (passed("validation/") === features().SCENARIOS.length) await this.progress.mark("validationPassed");
    if (passed("exercises/") > 0) await this.progress.mark("exercisePassed");
  }

  /** Validation sends requests and signals processes; an exercise runs the workspace's own vitest: neither untrusted. */
  private refuseUntrusted(item: vscode.TestItem, run: vscode.TestRun): void {
    const message = `${NEEDS_TRUST}: running this would execute the workspace's code and npm packages. Trust the workspace (Manage Workspace Trust) and run it again.`;
    run.errored(item, new vscode.TestMessage(message));
    this.lastResults.set(item.id, { passed: false, message });
  }

  private async runOne(item: vscode.TestItem, run: vscode.TestRun, token: vscode.CancellationToken): Promise<void> {
    run.started(item);
    const started = Date.now();
    try {
      // What the run did goes to the test's output too (the Test Results view), not only to the log.
      this.lastOutput.set(item.id, "");
      const output = (text: string) => {
        this.lastOutput.set(item.id, this.lastOutput.get(item.id) + text);
        run.appendOutput(text.replace(/\r?\n/g, "\r\n"), undefined, item);
      };
      const [group, name] = item.id.split(/\/(.*)/s) as [string, string];
      const failure =
        group === "validation"
          ? await this.validate(name, output)
          : group === "exam"
            ? await this.exam(name, output, token)
            : await this.exercise(name, output);
      if (failure) {
        run.failed(item, failure, Date.now() - started);
        this.lastResults.set(item.id, { passed: false, message: failure.message.toString() });
      } else {
        run.passed(item, Date.now() - started);
        this.lastResults.set(item.id, { passed: true });
      }
    } catch (err) {
      const { message, fix } = describeError(err);
      run.errored(item, new vscode.TestMessage(fix ? `${message}. ${fix}` : message), Date.now() - started);
      this.lastResults.set(item.id, { passed: false, message });
    }
  }

  /** A scenario against the live lab; a failure names each broken invariant and links to the doc. */
  private async validate(id: string, output: (text: string) => void): Promise<vscode.TestMessage | undefined> {
    const { replay, describe } = features();
    const folder = findLabFolder(this.session.workspace);
    const { result } = await replay(folder.fsPath, { scenario: id }, { existingRestate: await this.session.restate.resolve(folder) });
    output(`${describe(result)}\n`);
    if (result.verdict === result.expectedVerdict || result.verdict === "skipped") return undefined;
    const broken = result.invariants.filter((i) => !i.ok).map((i) => `- ${i.name}: expected ${i.expected}, observed ${i.observed}`);
    const message = new vscode.MarkdownString(
      `**${result.title}** should be *${result.expectedVerdict}* but was *${result.verdict}*.\n\n${broken.join("\n")}\n\n${result.explanation}\n\nSee [${DOC_PAGES.validation}](${vscode.Uri.file(docPage(folder.fsPath, "validation"))}) and the run in the lab panel.`,
    );
    const test = new vscode.TestMessage(message);
    test.location = new vscode.Location(vscode.Uri.file(docPage(folder.fsPath, "validation")), new vscode.Position(0, 0));
    return test;
  }

  /** A chaos run against the live lab (a new seed each time, printed); fails when the checker's verdict is not the expected one. */
  private async exam(id: string, output: (text: string) => void, token: vscode.CancellationToken): Promise<vscode.TestMessage | undefined> {
    const { EXAM_TARGETS, runAndKeepChaos, CHAOS_DEFAULTS, describeChaos } = features();
    const folder = findLabFolder(this.session.workspace);
    const target = EXAM_TARGETS.find((t) => t.id === id)!;
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const { record, historyError } = await runAndKeepChaos(
        folder.fsPath,
        { seed: null, payments: CHAOS_DEFAULTS.payments, duplicates: CHAOS_DEFAULTS.duplicates, durationS: CHAOS_DEFAULTS.durationS, target: target.target },
        { existingRestate: await this.session.restate.resolve(folder), signal: abort.signal },
      );
      const result = record.chaos;
      output(
        `${describeChaos(result, record.evidence.ledger.length > 0 ? record.evidence.ledger : null, record.evidence.attempts)}\n${historyError ?? "Kept in the lab's history: the lab panel's History opens it."}\n`,
      );
      if (result.verdict === result.expectedVerdict) return undefined;
      const broken = result.violations.map((v) => `- ${v.invariant}, payment ${v.paymentId}: ${v.summary}`);
      return new vscode.TestMessage(
        new vscode.MarkdownString(
          `**${target.label}**: the checker says *${result.verdict}*, expected *${result.expectedVerdict}* (seed ${result.seed}).\n\n${broken.join("\n") || "No violation was found."}\n\nThe whole history is in the test's output; run it again with \`idempotency-lab chaos <dir> --seed ${result.seed}\`.`,
        ),
      );
    } finally {
      cancel.dispose();
    }
  }

  /** One exercise's vitest file on the learner's code, against a real Restate server (the test starts its own). */
  private async exercise(name: string, output: (text: string) => void): Promise<vscode.TestMessage | undefined> {
    const folder = findLabFolder(this.session.workspace);
    const workspace = folder.fsPath;
    const node = findNode({ configured: upOptions(folder).nodePath });
    const out = mkdtempSync(join(tmpdir(), "lab-exercise-"));
    const report = join(out, "report.json");
    try {
      const vitest = join(workspace, "node_modules", "vitest", "vitest.mjs");
      if (!existsSync(vitest)) throw new Error('The lab\'s packages are not installed: run "Idempotency Lab: Start Lab" once');
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(
          node.path,
          [vitest, "run", "--config", "vitest.exercises.config.ts", `test/exercises/${name}.test.ts`, "--reporter=json", `--outputFile=${report}`],
          {
            cwd: workspace,
            env: childEnvironment({ ELECTRON_RUN_AS_NODE: undefined, NO_COLOR: "1" }),
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        const both = (d: Buffer) => {
          this.session.log.channel.info(`[exercise ${name}] ${d.toString().trimEnd()}`);
          output(d.toString());
        };
        child.stdout.on("data", both);
        child.stderr.on("data", both);
        child.on("exit", resolve);
      });
      if (code === 0) return undefined;
      const failures = existsSync(report) ? failuresOf(readFileSync(report, "utf8")) : [];
      const message = new vscode.TestMessage(
        failures.length > 0 ? failures.join("\n\n") : `The tests of ${name} failed (exit code ${code}); see "Idempotency Lab" in the Output panel.`,
      );
      message.location = new vscode.Location(vscode.Uri.file(join(workspace, "exercises", `${name}.ts`)), new vscode.Position(0, 0));
      return message;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  dispose(): void {
    this.trustGranted.dispose();
    this.controller.dispose();
  }
}

/** The failed assertions of a vitest JSON report, each named by its test. */
function failuresOf(json: string): string[] {
  try {
    const report = JSON.parse(json) as { testResults?: Array<{ assertionResults?: Array<{ fullName: string; status: string; failureMessages: string[] }> }> };
    return (report.testResults ?? []).flatMap((file) =>
      (file.assertionResults ?? [])
        .filter((a) => a.status === "failed")
        .map((a) => `${a.fullName}\n${(a.failureMessages[0] ?? "").split("\n").slice(0, 6).join("\n")}`),
    );
  } catch {
    return [];
  }
}
