// The panel's layout before a run (issue 23), the VS Code side: starts the lab and opens the panel;
// the outer test (layout.test.ts) measures the webview with Playwright and sends back what it saw,
// checked here against the run history and the catalog's groups.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { listRuns } from "../../src/lab/history.js";
import { SCENARIOS } from "../../src/lab/replay/scenarios.js";
import type { Case, DriverSignals } from "./harness.js";

/** What the driver measured at 1600x1000 before the first run. */
export interface BeforeRunSeen {
  error?: string;
  /** Each part that must be in view without scrolling, and whether it was. */
  inView: Record<string, boolean>;
  scrollY: number;
  /** The catalog's group headings, in order. */
  headings: string[];
  /** The scenarios each heading lists, by group test id. */
  groups: Record<string, string[]>;
  /** Scenarios whose title is cut with an ellipsis at 700 px. */
  cutTitles: string[];
  /** Scenarios whose title runs to more than two lines at 700 px. */
  longTitles: string[];
  doneBefore: string[];
}

/** What the driver saw after a run. */
export interface AfterRunSeen {
  error?: string;
  scenario: string;
  /** Scenario ids with a done mark, and the marks' accessible names. */
  done: string[];
  labels: string[];
}

/** What the driver measured of the chaos form at 700x1000. */
export interface ChaosFormSeen {
  error?: string;
  firstField: string;
  inView: Record<string, boolean>;
}

/** The layout's cases, first on a lab with no run yet (panel-views-suite.ts runs them). */
export function layoutCases(folder: vscode.Uri, signals: DriverSignals): Case[] {
  return [
    [
      "at 1600x1000 before a run: the scenario's title, its parameters, the prediction and Run in view without scrolling; the catalog under its five headings, titles whole at 700 px",
      async () => {
        const seen = await signals.wait<BeforeRunSeen>("before-run");
        assert.equal(seen.error, undefined, seen.error);
        assert.equal(seen.scrollY, 0);
        assert.ok(Object.keys(seen.inView).length >= 5, JSON.stringify(seen.inView));
        for (const [part, shown] of Object.entries(seen.inView)) assert.ok(shown, `${part} is in view without scrolling`);
        assert.deepEqual(seen.headings, ["Basics", "Failures", "Anti-patterns", "Keys and retention", "Final exam"]);
        for (const s of SCENARIOS) assert.ok(seen.groups[s.group]?.includes(s.id), `${s.id} is listed under its group ${s.group}`);
        assert.deepEqual(seen.groups["final-exam"], ["chaos"]);
        assert.deepEqual(seen.cutTitles, [], "no title is cut with an ellipsis");
        assert.deepEqual(seen.longTitles, [], "every title fits two lines");
        assert.deepEqual(seen.doneBefore, [], "no done mark before any run");
      },
    ],
    [
      "after a run, its scenario in the catalog has a done mark named for screen readers, and no other scenario has one",
      async () => {
        const seen = await signals.wait<AfterRunSeen>("after-run");
        assert.equal(seen.error, undefined, seen.error);
        const ran = [...new Set(listRuns(folder.fsPath).map((r) => r.scenario))];
        assert.deepEqual(ran, [seen.scenario], "the history holds the driver's run");
        assert.deepEqual(seen.done, ran);
        assert.deepEqual(seen.labels, ["already run"]);
      },
    ],
    [
      "at 700x1000 the chaos form's Target field comes first, and every field and Run are in view",
      async () => {
        const seen = await signals.wait<ChaosFormSeen>("chaos-form");
        assert.equal(seen.error, undefined, seen.error);
        assert.equal(seen.firstField, "chaos-target");
        assert.ok(Object.keys(seen.inView).length >= 6, JSON.stringify(seen.inView));
        for (const [part, shown] of Object.entries(seen.inView)) assert.ok(shown, `${part} is in view without scrolling`);
      },
    ],
  ];
}
