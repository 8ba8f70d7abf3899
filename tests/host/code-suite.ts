// The panel's "The code" block and each charge's cause, end to end: this side brings the panel
// back and switches themes; the driver (code-driver.ts) runs duplicates-in-a-row and the
// anti-pattern "charge outside ctx.run" from the webview and reads its DOM; this side checks what
// it read against the lab's own source files and the run records, and that a click on a line of
// code opened that file at that line beside the panel.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { listRuns, loadRun } from "../../src/lab/history.js";
import type { RunRecord } from "../../src/shared/protocol.js";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { closeSideBars, setTheme, shotInTheme, waitFor, type Case, type DriverSignals } from "./harness.js";

export const ANTI = "anti-pattern-charge-outside-run";
export const DUPLICATES = "duplicates-in-a-row";

/** One code block as the driver read it. */
export interface BlockSeen {
  role: string;
  handler: string;
  file: string;
  chargeLine: string;
  chargeInRun: string;
  chargeText: string;
  label: string;
}

export interface CodeSeen {
  error?: string;
  duplicates: { blocks: BlockSeen[]; causes: Array<{ ledgerId: string; text: string }> };
  anti: { blocks: BlockSeen[]; causes: Array<{ ledgerId: string; text: string }>; highlighted: string; inView: boolean };
  /** The lowest contrast of the code block's text and the causes' text, per theme and width. */
  contrast: Record<string, number>;
  clipped: string[];
}

/**
 * The code block's cases, on a running lab whose panel may be behind another editor (the
 * walkthrough the lessons opened): the first brings the panel back, in the light theme.
 */
export function codeCases(folder: vscode.Uri, signals: DriverSignals): Case[] {
  const runOf = (scenario: string): RunRecord => {
    const [summary] = listRuns(folder.fsPath).filter((r) => r.scenario === scenario);
    assert.ok(summary, `the ${scenario} run is in the history`);
    return loadRun(folder.fsPath, summary.runId)!;
  };
  const fileLines = (file: string) => readFileSync(join(folder.fsPath, file), "utf8").split("\n");
  let ui: CodeSeen | undefined;
  const seen = async () => (ui ??= await signals.wait<CodeSeen>("code-done"));

  return [
    [
      "Open Lab Panel again, in the light theme, for the code",
      async () => {
        await setTheme("light");
        assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
        await closeSideBars();
        signals.send("code-panel-open");
      },
    ],
    [
      "The code shows the anti-pattern's handler from the lab's file, its charge line marked outside ctx.run, and the fix beside it marked inside",
      async () => {
        const u = await seen();
        assert.equal(u.error, undefined, u.error);
        assert.deepEqual(
          u.anti.blocks.map((b) => [b.role, b.handler, b.file]),
          [
            ["run", "chargeOutsideRun", "src/anti-patterns.ts"],
            ["fixed", "create", "src/payment-service.ts"],
          ],
        );
        const [anti, fixed] = u.anti.blocks;
        // The marked line is the file's own line that charges, at its own number.
        assert.equal(fileLines(anti!.file)[Number(anti!.chargeLine) - 1]!.trim(), anti!.chargeText.trim());
        assert.match(anti!.chargeText, /await gateway\.charge\(/);
        assert.equal(anti!.chargeInRun, "false");
        assert.equal(anti!.label, "charges — outside ctx.run: runs again on every retry");
        assert.equal(fileLines(fixed!.file)[Number(fixed!.chargeLine) - 1]!.trim(), fixed!.chargeText.trim());
        assert.equal(fixed!.chargeInRun, "true");
        assert.equal(fixed!.label, "charges — inside ctx.run: journaled");
      },
    ],
    [
      "duplicates-in-a-row shows PaymentService.create alone, its charge marked inside ctx.run",
      async () => {
        const u = await seen();
        assert.deepEqual(
          u.duplicates.blocks.map((b) => [b.role, b.handler, b.chargeInRun, b.label]),
          [["run", "create", "true", "charges — inside ctx.run: journaled"]],
        );
        const b = u.duplicates.blocks[0]!;
        assert.equal(fileLines(b.file)[Number(b.chargeLine) - 1]!.trim(), b.chargeText.trim());
      },
    ],
    [
      "each charge says its cause in words, from the run's attempts and ledger links, and its code link shows the charge line",
      async () => {
        const u = await seen();
        const dup = runOf(DUPLICATES).result;
        assert.equal(u.duplicates.causes.length, 1, "one charge");
        const dupLink = dup.ledgerLinks!.find((l) => l.ledgerId === u.duplicates.causes[0]!.ledgerId)!;
        assert.ok(dupLink.journal?.inRun, JSON.stringify(dupLink));
        assert.match(
          u.duplicates.causes[0]!.text,
          new RegExp(`^Made by attempt 1 inside ctx\\.run "charge"; journal entry ${dupLink.journal!.index} holds it\\.`),
        );

        const anti = runOf(ANTI).result;
        const charges = anti.ledger.filter((e) => e.type === "charge" && anti.paymentIds.includes(e.paymentId)).map((e) => e.id);
        assert.deepEqual(u.anti.causes.map((c) => c.ledgerId).sort(), [...charges].sort(), "a cause for each of the ledger's charges");
        const byAttempt = new Map(anti.ledgerLinks!.map((l) => [l.ledgerId, l.attempt]));
        for (const c of u.anti.causes) assert.match(c.text, new RegExp(`^Made by attempt ${byAttempt.get(c.ledgerId)}\\b`), c.ledgerId);
        const retry = u.anti.causes.find((c) => byAttempt.get(c.ledgerId) === 2);
        assert.ok(retry, "attempt 2 made a charge");
        // The retry's charge: another helper fixes ledgerLinks so that no journal entry holds it.
        const retryLink = anti.ledgerLinks!.find((l) => l.ledgerId === retry.ledgerId)!;
        if ((retryLink.journal ?? null) === null)
          assert.equal(retry.text, "Made by attempt 2, a retry. It is in no journal entry: the charge is outside ctx.run, so the retry ran it again.");
        else assert.match(retry.text, /^Made by attempt 2, a retry\. .*: the charge is outside ctx\.run, so the retry ran it again\.$/);
        const first = u.anti.causes.find((c) => byAttempt.get(c.ledgerId) === 1)!;
        assert.equal(first.text, "Made by attempt 1. It is in no journal entry: the charge is outside ctx.run, so a retry of the handler runs it again.");
        assert.equal(u.anti.highlighted, u.anti.blocks[0]!.chargeLine, "the code link highlights the anti-pattern's charge line");
        assert.ok(u.anti.inView, "and scrolls it into view");
      },
    ],
    [
      "the code and the causes are readable (contrast at least 4.5:1) and nothing is clipped, in light, dark and high-contrast themes",
      async () => {
        await shotInTheme(signals, "dark", "code-");
        const u = await shotInTheme<CodeSeen>(signals, "hc", "code-");
        assert.ok(Object.keys(u.contrast).length >= 6, JSON.stringify(u.contrast));
        const low = Object.entries(u.contrast)
          .filter(([, ratio]) => ratio < 4.5)
          .map(([where, ratio]) => `${where}: contrast ${ratio.toFixed(2)}:1`);
        assert.deepEqual(low, []);
        assert.deepEqual(u.clipped, []);
      },
    ],
    [
      "a click on a line of code opens that file at that line beside the panel",
      async () => {
        const u = await seen();
        const line = Number(u.anti.blocks[0]!.chargeLine);
        signals.send("click-line");
        const editor = await waitFor(
          "the source file in an editor",
          () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === join(folder.fsPath, "src", "anti-patterns.ts")),
          30_000,
        );
        assert.equal(editor.selection.active.line, line - 1, "at the charge line");
        assert.notEqual(editor.viewColumn, undefined);
      },
    ],
  ];
}
