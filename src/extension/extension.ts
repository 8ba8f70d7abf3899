// The VS Code side: a thin layer of commands, a status bar item and a log channel over
// the lab engine in src/lab. Nothing runs at activation beyond creating those; what the commands,
// the panel and the Test Explorer's runs do is in a second bundle (features.ts), loaded on first use.
// First: it stamps when the bundle's code starts running (what loading it costs, for npm run bench).
import { bundleStart } from "./bundle-start.js";
import * as vscode from "vscode";
import { COMMANDS, PANEL_VIEW_TYPE, type CommandId } from "./command-ids.js";
import type { Context } from "./commands/context.js";
import { ExistingRestateSettings } from "./existing-restate.js";
import type * as Features from "./features.js";
import { isLabWorkspace } from "../lab/paths.js";
import { LabSession } from "./lab-session.js";
import { LearningProgress } from "./learning-progress.js";
import { features, featuresLoad } from "./load-features.js";
import { LabLog } from "./log-channel.js";
import { LabStatusBar } from "./status-bar.js";
import { registerHandlerLenses } from "./codelens.js";
import { LabTests } from "./test-explorer.js";

let session: LabSession | undefined;

/** Every module of the bundle has run by here: loading cost bundleLoaded - bundleStart. */
const bundleLoaded = performance.now();

export function activate(extension: vscode.ExtensionContext) {
  const activateStart = performance.now();
  const log = new LabLog();
  const restate = new ExistingRestateSettings(extension, log);
  const progress = new LearningProgress(extension.globalState, extension.extension.id);
  session = new LabSession(log, restate, progress);
  const statusBar = new LabStatusBar(session);
  const ctx: Context = { session, restate, progress, statusBar, extension };
  const tests = new LabTests(session, progress);
  extension.subscriptions.push(log, session, statusBar, tests, registerHandlerLenses());

  // Each command's handler comes from the second bundle (features.ts), made on its first call.
  const handlers: Record<CommandId, (f: typeof Features) => (...args: never[]) => unknown> = {
    [COMMANDS.scaffold]: (f) => f.scaffoldCommand(ctx),
    [COMMANDS.start]: (f) => f.startCommand(ctx),
    [COMMANDS.stop]: (f) => f.stopCommand(ctx),
    [COMMANDS.restart]: (f) => f.restartCommand(ctx),
    [COMMANDS.replay]: (f) => f.replayCommand(ctx),
    [COMMANDS.openPanel]: (f) => () => {
      f.LabPanel.show(ctx.session, extension.extensionUri);
      return true;
    },
    [COMMANDS.openRestateUi]: (f) => f.openRestateUiCommand(ctx),
    [COMMANDS.showLogs]: (f) => f.showLogsCommand(ctx),
    [COMMANDS.replayInPanel]: (f) => f.replayInPanelCommand(ctx),
    [COMMANDS.showSolution]: (f) => f.showSolutionCommand(ctx),
    [COMMANDS.resetLabState]: (f) => f.resetCommand(ctx),
    [COMMANDS.openDocs]: (f) => f.openDocsCommand(ctx),
    [COMMANDS.statusMenu]: (f) => f.statusMenuCommand(ctx),
    [COMMANDS.setRestateToken]: (f) => f.setRestateTokenCommand(ctx),
    [COMMANDS.clearRestateToken]: (f) => f.clearRestateTokenCommand(ctx),
  };
  for (const [id, make] of Object.entries(handlers)) {
    let handler: ((...args: unknown[]) => unknown) | undefined;
    const call = (...args: unknown[]) => (handler ??= make(features()) as (...args: unknown[]) => unknown)(...args);
    extension.subscriptions.push(vscode.commands.registerCommand(id, call));
  }

  // Restores the panel after a window reload; the webview keeps its own state (getState/setState).
  extension.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => void features().LabPanel.revive(panel, ctx.session, extension.extensionUri),
    }),
  );

  // Right after activation, not in it (reading the lab's files took 6-7 ms of it): a lab that is
  // already running (from the CLI, or a window that was reloaded) shows up, and the walkthrough's
  // steps the learner did before (this window or an earlier one) stay checked.
  setImmediate(() => {
    const lab = vscode.workspace.workspaceFolders?.find((f) => isLabWorkspace(f.uri.fsPath));
    if (lab) void session?.refresh(lab.uri);
    void progress.restore(lab !== undefined);
  });

  // What activation cost, for npm run bench: a lab folder activates the extension before any test can time it.
  const activation = {
    loadMs: bundleLoaded - bundleStart,
    activateMs: performance.now() - activateStart,
    /** The second bundle's load, on first use (null until a command, the panel or a test run needs it). */
    get featuresLoadMs() {
      return featuresLoad.ms;
    },
  };
  return { session, tests, restate, activation };
}

/** Stops every lab this window started; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  await session?.stopStartedHere();
}
