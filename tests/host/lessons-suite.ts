// The lab panel's attempts and predictions end to end: this side switches themes and opens the
// walkthrough; the outer test's Playwright driver (lessons-driver.ts)
// runs the anti-pattern "charge outside ctx.run" from the webview and reads its DOM; this side
// checks what it read against the run record the engine kept and the gateway's ledger.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { listRuns, loadRun } from "../../src/lab/history.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { scorePrediction, type LedgerLink, type RunRecord } from "../../src/shared/protocol.js";
import { gatewayLedger, setTheme, shotInTheme, WALKTHROUGH, type Case, type DriverSignals } from "./harness.js";

const ANTI = "anti-pattern-charge-outside-run";

/** What the driver read from the webview after the anti-pattern's run. */
export interface AttemptsSeen {
  error?: string;
  lanes: Array<{ invocationId: string; attempts: string }>;
  attempts: Array<{ attempt: string; outcome: string; text: string }>;
  ledger: Array<{ ledgerId: string; attempt: string; trace: string; text: string }>;
  madeBy: string[];
  /** The inspector of the run's invocation: its attempts, ledger entries, and each journal row's index and attempt. */
  inspector: { attempts: Array<{ attempt: string; outcome: string }>; ledger: Array<{ ledgerId: string; trace: string }>; journal: Array<[string, string]> };
}

/** What the driver read of each scored run. */
export interface PredictionSeen {
  correct: string;
  of: string;
  verdict: string;
  rows: Array<{ part: string; correct: string; text: string }>;
  learnLink: boolean;
}

/** The attempts' and predictions' cases, on the lab `stack()` runs with its panel open, before any run. */
export function lessonsCases(folder: vscode.Uri, signals: DriverSignals, stack: () => RunningStack): Case[] {
  const runsOf = (scenario: string): RunRecord[] =>
    listRuns(folder.fsPath)
      .filter((r) => r.scenario === scenario)
      .map((r) => loadRun(folder.fsPath, r.runId)!)
      .reverse(); // oldest first
  // The anti-pattern's attempts, the timeline in two more themes, then two predictions of the same scenario.
  return [
    [
      "the panel's timeline shows the anti-pattern's two attempts and its two charges, neither in a journal entry, as Restate and the ledger recorded them",
      async () => {
        const ui = await signals.wait<AttemptsSeen>("attempts-done");
        assert.equal(ui.error, undefined, ui.error);
        const [record] = runsOf(ANTI);
        assert.ok(record, "the run is in the history");
        const invocations = record.result.attempts ?? [];
        assert.equal(invocations.length, 1, "one invocation in Restate's records");
        const inv = invocations[0]!;
        assert.deepEqual(ui.lanes, [{ invocationId: inv.invocationId, attempts: "2" }]);
        assert.deepEqual(
          ui.attempts.map((a) => [a.attempt, a.outcome]),
          inv.attempts.map((a) => [String(a.number), a.outcome]),
        );
        assert.deepEqual(
          ui.attempts.map((a) => a.outcome),
          ["failed", "completed"],
        );
        assert.match(
          ui.attempts[0]!.text,
          new RegExp(
            inv.attempts[0]!.error!.message.split("\n")[0]!
              .slice(0, 40)
              .replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
          ),
        );
        assert.match(ui.attempts[1]!.text, /Restate records no start for a retry/);

        const paymentId = record.result.paymentIds[0]!;
        const ledger = await gatewayLedger(stack(), paymentId);
        const charges = ledger.filter((e) => e.type === "charge").map((e) => e.id);
        assert.equal(charges.length, 2, "two charges in the gateway's ledger");
        assert.deepEqual(ui.ledger.map((l) => l.ledgerId).sort(), [...charges].sort(), "the panel shows the ledger's charges");
        for (const seen of ui.ledger) {
          const link: LedgerLink = record.result.ledgerLinks!.find((l) => l.ledgerId === seen.ledgerId)!;
          assert.equal(seen.attempt, String(link.attempt), `${seen.ledgerId}: the attempt that made it`);
          assert.equal(seen.trace, link.journal === null ? "none" : "run", `${seen.ledgerId}: its journal trace`);
        }
        assert.deepEqual(ui.ledger.map((l) => l.attempt).sort(), ["1", "2"], "each attempt made one charge");
        assert.equal(ui.ledger.filter((l) => l.trace === "none").length, 2, "both charges in no journal entry: neither went through ctx.run");
        assert.match(ui.ledger.find((l) => l.trace === "none")!.text, /in no journal entry: Restate knows nothing of this money movement/);
        assert.equal(ui.madeBy.filter((t) => /in no journal entry/.test(t)).length, 2, "the ledger table marks them too");
      },
    ],
    [
      "the invocation inspector shows the same attempts and ledger entries next to the journal, each entry with the attempt that appended it",
      async () => {
        const ui = await signals.wait<AttemptsSeen>("attempts-done");
        const inv = runsOf(ANTI)[0]!.result.attempts![0]!;
        assert.deepEqual(
          ui.inspector.attempts,
          inv.attempts.map((a) => ({ attempt: String(a.number), outcome: a.outcome })),
        );
        assert.deepEqual(ui.inspector.ledger.map((l) => [l.ledgerId, l.trace]).sort(), ui.ledger.map((l) => [l.ledgerId, l.trace]).sort());
        assert.ok(ui.inspector.journal.length >= 2, "Restate's journal was read");
        for (const [index, attempt] of ui.inspector.journal) {
          const by = inv.attempts.find((a) => a.entries !== null && Number(index) >= a.entries.first && Number(index) <= a.entries.last);
          assert.equal(attempt, by ? String(by.number) : "—", `journal entry ${index}`);
        }
        assert.ok(
          ui.inspector.journal.some(([, a]) => a === "2"),
          "the retry appended entries of its own",
        );
      },
    ],
    [
      "the timeline in the dark theme",
      async () => {
        await shotInTheme(signals, "dark");
      },
    ],
    [
      "the timeline in the high-contrast theme",
      async () => {
        await shotInTheme(signals, "hc");
      },
    ],
    [
      "a prediction is scored against the run's evidence, shown beside it, and kept with the run in the history",
      async () => {
        await setTheme("light");
        signals.send("predict-ready");
        const ui = await signals.wait<{ error?: string; first: PredictionSeen; second: PredictionSeen }>("predict-done");
        assert.equal(ui.error, undefined, ui.error);
        // After the attempts' run, which had no prediction.
        const [unpredicted, first, second] = runsOf(ANTI);
        assert.equal(unpredicted?.prediction, undefined, "the attempts' run, first in the history, has no prediction");
        assert.ok(first && second, "both runs are in the history");
        assert.deepEqual(first.prediction, { invocations: 1, charges: 1, answer: "executed" });
        assert.deepEqual(first.score, scorePrediction(first.prediction!, first.result), "the extension scored it against the run");
        assert.equal(first.result.charges, 2, "the anti-pattern charged twice");
        assert.deepEqual([ui.first.correct, ui.first.of], [String(first.score!.correct), String(first.score!.of)]);
        assert.deepEqual([ui.first.correct, ui.first.of], ["2", "3"]);
        assert.deepEqual(
          ui.first.rows.map((r) => [r.part, r.correct]),
          [
            ["invocations", "true"],
            ["charges", "false"],
            ["answer", "true"],
          ],
        );
        assert.match(ui.first.verdict, /^2 of 3 right\. Not as you predicted: charges\.$/);
        assert.match(ui.first.rows[1]!.text, /ch_\d+ \(attempt 1, in no journal entry\)/);
        assert.ok(ui.first.learnLink, "a wrong part links the concepts section");
        assert.deepEqual([ui.second.correct, ui.second.of, ui.second.learnLink], ["3", "3", false]);
        assert.deepEqual(second.score, scorePrediction({ invocations: 1, charges: 2, answer: "executed" }, second.result));
        const summaries = listRuns(folder.fsPath).filter((r) => r.scenario === ANTI);
        assert.deepEqual(
          summaries.map((s) => s.score),
          [{ correct: 3, of: 3 }, { correct: 2, of: 3 }, undefined],
        );
      },
    ],
    [
      'the right prediction of an anti-pattern checks the walkthrough\'s "Predict an anti-pattern" step',
      async () => {
        await vscode.commands.executeCommand("workbench.action.openWalkthrough", WALKTHROUGH, false);
        signals.send("walkthrough-open");
        const steps = await signals.wait<Record<string, boolean>>("steps");
        assert.equal(steps.predict, true, JSON.stringify(steps));
      },
    ],
  ];
}
