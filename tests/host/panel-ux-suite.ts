// The lab panel as a learner meets it (issue 15), the VS Code side: starts the lab, hides and closes
// the panel, replays from the command (whose notification the outer driver answers with Open Panel),
// and switches themes; the outer test (panel-ux.test.ts) drives the webview and the workbench with
// Playwright and sends back what it saw, checked here against the run history.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { listRuns, loadRun } from "../../src/lab/history.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { runCases, waitFor } from "./harness.js";

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

export type UxMode = "notification" | "look";

export const THEMES = { light: "Default Light Modern", dark: "Default Dark Modern", hc: "Default High Contrast" } as const;

const PANEL_VIEW_TYPE = "idempotencyLab.panel";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = process.env.HOST_TEST_SIGNALS!;
  const mode = (JSON.parse(readFileSync(join(signals, "mode.json"), "utf8")) as { mode: UxMode }).mode;
  const signal = (name: string, data: unknown = {}) => writeFileSync(join(signals, `${name}.json`), JSON.stringify(data));
  const awaitSignal = async <T>(name: string) => {
    const file = join(signals, `${name}.json`);
    await waitFor(`signal ${name}`, () => existsSync(file), 300_000);
    return JSON.parse(readFileSync(file, "utf8")) as T;
  };
  const theme = (name: string | undefined) => vscode.workspace.getConfiguration("workbench").update("colorTheme", name, vscode.ConfigurationTarget.Global);
  const panelTabs = () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PANEL_VIEW_TYPE));
  /** Replays from the command, as the palette would; the notification it leaves offers Open Panel. */
  const replay = async (count: number) => {
    await vscode.commands.executeCommand(COMMANDS.replay, { folder, scenario: "duplicates-in-a-row", count });
    const latest = listRuns(folder.fsPath)[0]!;
    assert.equal(latest.requests, count);
    return latest;
  };
  let stack: RunningStack;

  const start: [string, () => Promise<void>] = [
    "Start Lab, in the light theme",
    async () => {
      await theme(THEMES.light);
      stack = (await vscode.commands.executeCommand<RunningStack>(COMMANDS.start, { folder }))!;
      assert.ok(stack.urls, JSON.stringify(stack));
      // The editor alone in the window: the widths the driver sets are the panel's.
      await vscode.commands.executeCommand("workbench.action.closeSidebar");
      await vscode.commands.executeCommand("workbench.action.closeAuxiliaryBar");
      await vscode.commands.executeCommand("workbench.action.closePanel");
    },
  ];
  const stop: [string, () => Promise<void>] = [
    "Stop Lab",
    async () => {
      await theme(undefined);
      await vscode.commands.executeCommand(COMMANDS.stop, { folder });
    },
  ];

  if (mode === "notification") {
    await runCases([
      start,
      [
        "Open Panel on the replay notification, the panel hidden behind another editor, shows the new run",
        async () => {
          assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
          signal("panel-open");
          const first = await awaitSignal<ShownRun>("first-run");
          assert.equal(first.error, undefined, first.error);
          // Another editor in front of the panel, in the same group: the panel's webview is hidden.
          await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, "README.md"), { viewColumn: vscode.ViewColumn.Active, preview: false });
          await waitFor("the panel to be hidden", () => panelTabs().length === 1 && !panelTabs()[0]!.isActive);
          const replayed = await replay(3);
          assert.notEqual(replayed.runId, first.runId);
          signal("replayed-hidden", { runId: replayed.runId, requests: replayed.requests });
          const shown = await awaitSignal<ShownRun>("shown-hidden");
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
          signal("replayed-closed", { runId: replayed.runId, requests: replayed.requests });
          const shown = await awaitSignal<ShownRun>("shown-closed");
          assert.equal(shown.error, undefined, shown.error);
          assert.deepEqual(shown, { runId: replayed.runId, title: "Duplicates in a row", requests: "2" });
        },
      ],
      stop,
    ]);
    return;
  }

  await runCases([
    start,
    [
      "a scenario run with the keyboard alone, from opening the panel to reading the verdict",
      async () => {
        signal("lab-ready");
        const seen = await awaitSignal<KeyboardSeen>("keyboard-done");
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
        const { copied } = await awaitSignal<{ copied: string; error?: string }>("copied");
        // The keyboard's run (the driver may have started the next one already).
        const run = loadRun(folder.fsPath, listRuns(folder.fsPath).find((r) => r.scenario === "concurrent-burst")!.runId)!;
        assert.ok(
          run.result.requestsDetail.some((r) => r.invocationId === copied),
          `${copied} is an invocation id of the run`,
        );
        await waitFor("the clipboard", async () => (await vscode.env.clipboard.readText()) === copied, 10_000);
      },
    ],
    ...(["light", "dark", "hc"] as const).map((name): [string, () => Promise<void>] => [
      `the panel at 1600x1000 and at 700 px in the ${name} theme: the verdict and the summary in view, "ok" readable in Compare`,
      async () => {
        await theme(THEMES[name]);
        signal(`theme-${name}`);
        const shot = await awaitSignal<{ error?: string; problems: string[] }>(`shot-${name}`);
        assert.equal(shot.error, undefined, shot.error);
        assert.deepEqual(shot.problems, []);
      },
    ]),
    stop,
  ]);
}
