// The lab panel as a learner meets it (issue 15), the VS Code side, after the panel's states in the
// same window (panel-states-suite.ts): closes the panel for the keyboard's run, switches themes,
// hides and closes the panel, replays from the command (whose notification the driver answers with
// Open Panel); the driver (panel-ux-driver.ts) works the webview and the workbench with Playwright
// and sends back what it saw, checked here against the run history.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { listRuns, loadRun } from "../../src/lab/history.js";
import { closeSideBars, setTheme, shotInTheme, waitFor, type Case, type DriverSignals } from "./harness.js";

/** What the driver read of the run the panel shows. */
export interface ShownRun {
  error?: string;
  runId: string;
  title: string;
  requests: string;
}

/** What the driver saw of the keyboard-only run. */
export interface KeyboardSeen {
  error?: string;
  /** Each focus stop: its test id (or tag) and whether a focus ring is drawn. */
  stops: Array<{ key: string; ring: boolean; name: string }>;
  keys: string[];
  verdict: string;
  scenario: string;
  requests: string;
}

const PANEL_VIEW_TYPE = "idempotencyLab.panel";

/** The learner's path, on a running lab with the panel open: the keyboard's run, the looks in three themes, Open Panel on the notifications. */
export function panelUxCases(folder: vscode.Uri, signals: DriverSignals): Case[] {
  const panelTabs = () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PANEL_VIEW_TYPE));
  /** Replays from the command, as the palette would; the notification it leaves offers Open Panel. */
  const replay = async (count: number) => {
    await vscode.commands.executeCommand(COMMANDS.replay, { folder, scenario: "duplicates-in-a-row", count });
    const latest = listRuns(folder.fsPath)[0]!;
    assert.equal(latest.requests, count);
    return latest;
  };

  return [
    [
      "the panel closed and the editor alone in the window, in the light theme, for the keyboard's run",
      async () => {
        await setTheme("light");
        // The panel's tab too: the keyboard's run opens it again from the palette.
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        await waitFor("the panel to be closed", () => panelTabs().length === 0);
        // The editor alone in the window: the widths the driver sets are the panel's.
        await closeSideBars();
        await vscode.commands.executeCommand("workbench.action.closePanel");
        signals.send("ux-panel-closed");
      },
    ],
    [
      "a scenario run with the keyboard alone, from opening the panel to reading the verdict",
      async () => {
        const seen = await signals.wait<KeyboardSeen>("keyboard-done");
        assert.equal(seen.error, undefined, seen.error);
        const [latest] = listRuns(folder.fsPath);
        assert.ok(latest, "the run is in the history");
        assert.equal(latest.scenario, seen.scenario);
        assert.equal(seen.verdict, latest.verdict);
        assert.equal(seen.requests, String(latest.requests));
        assert.deepEqual(
          [...new Set(seen.keys)].filter((k) => !/^(Tab|Shift\+Tab|Arrow(Up|Down|Left|Right)|Enter|Space|Home|End)$/.test(k)),
          [],
          "only Tab, the arrows, Enter and Space",
        );
        for (const stop of seen.stops) {
          assert.ok(stop.ring, `${stop.key}: a focus ring is drawn`);
          assert.ok(stop.name.trim().length > 0, `${stop.key}: an accessible name`);
        }
      },
    ],
    [
      "the copy button beside an invocation id puts the whole id on VS Code's clipboard",
      async () => {
        const { copied } = await signals.wait<{ copied: string; error?: string }>("copied");
        // The keyboard's run (the driver may have started the next one already).
        const run = loadRun(folder.fsPath, listRuns(folder.fsPath).find((r) => r.scenario === "concurrent-burst")!.runId)!;
        assert.ok(
          run.result.requestsDetail.some((r) => r.invocationId === copied),
          `${copied} is an invocation id of the run`,
        );
        await waitFor("the clipboard", async () => (await vscode.env.clipboard.readText()) === copied, 10_000);
      },
    ],
    ...(["light", "dark", "hc"] as const).map((name): Case => [
      `the panel at 1600x1000 and at 700 px in the ${name} theme: the verdict and the summary in view, "ok" readable in Compare`,
      async () => {
        const shot = await shotInTheme<{ error?: string; problems: string[] }>(signals, name, "ux-");
        assert.equal(shot.error, undefined, shot.error);
        assert.deepEqual(shot.problems, []);
      },
    ]),
    [
      "Open Panel on the replay notification, the panel hidden behind another editor, shows the new run",
      async () => {
        await setTheme("light");
        assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
        signals.send("ux-panel-open");
        const first = await signals.wait<ShownRun>("first-run");
        assert.equal(first.error, undefined, first.error);
        // Another editor in front of the panel, in the same group: the panel's webview is hidden.
        await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, "README.md"), { viewColumn: vscode.ViewColumn.Active, preview: false });
        await waitFor("the panel to be hidden", () => panelTabs().length === 1 && !panelTabs()[0]!.isActive);
        const replayed = await replay(3);
        assert.notEqual(replayed.runId, first.runId);
        signals.send("replayed-hidden", { runId: replayed.runId, requests: replayed.requests });
        const shown = await signals.wait<ShownRun>("shown-hidden");
        assert.equal(shown.error, undefined, shown.error);
        assert.deepEqual(shown, { runId: replayed.runId, title: "Duplicates in a row", requests: "3" });
        assert.equal(panelTabs().length, 1, "one panel");
      },
    ],
    [
      "Open Panel on the replay notification, the panel closed, shows the new run",
      async () => {
        await vscode.window.tabGroups.close(panelTabs());
        await waitFor("the panel to be closed", () => panelTabs().length === 0);
        const replayed = await replay(2);
        signals.send("replayed-closed", { runId: replayed.runId, requests: replayed.requests });
        const shown = await signals.wait<ShownRun>("shown-closed");
        assert.equal(shown.error, undefined, shown.error);
        assert.deepEqual(shown, { runId: replayed.runId, title: "Duplicates in a row", requests: "2" });
      },
    ],
  ];
}
