// The VS Code side: a thin layer of commands, a status bar item and a log channel over
// the lab engine in src/lab. Nothing runs at activation beyond creating those.
// First: it stamps when the bundle's code starts running (what loading it costs, for npm run bench).
import { bundleStart } from "./bundle-start.js";
import * as vscode from "vscode";
import { COMMANDS } from "./command-ids.js";
import { scaffoldCommand } from "./commands/scaffold.js";
import { resetCommand, restartCommand, startCommand, stopCommand } from "./commands/lifecycle.js";
import { replayCommand } from "./commands/replay.js";
import { openDocsCommand, openRestateUiCommand, showLogsCommand, statusMenuCommand } from "./commands/tools.js";
import type { Context } from "./commands/context.js";
import { clearRestateTokenCommand, setRestateTokenCommand } from "./commands/restate-token.js";
import { ExistingRestateSettings } from "./existing-restate.js";
import { isLabWorkspace } from "../lab/paths.js";
import { LabSession } from "./lab-session.js";
import { LearningProgress } from "./learning-progress.js";
import { LabLog } from "./log-channel.js";
import { LabPanel, PANEL_VIEW_TYPE } from "./panel/lab-panel.js";
import { LabStatusBar } from "./status-bar.js";
import { registerHandlerLenses } from "./codelens.js";
import { replayInPanelCommand, showSolutionCommand } from "./commands/learning.js";
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

  const handlers: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (...args: never[]) => unknown> = {
    [COMMANDS.scaffold]: scaffoldCommand(ctx),
    [COMMANDS.start]: startCommand(ctx),
    [COMMANDS.stop]: stopCommand(ctx),
    [COMMANDS.restart]: restartCommand(ctx),
    [COMMANDS.replay]: replayCommand(ctx),
    [COMMANDS.openPanel]: () => {
      LabPanel.show(ctx.session, extension.extensionUri);
      return true;
    },
    [COMMANDS.openRestateUi]: openRestateUiCommand(ctx),
    [COMMANDS.showLogs]: showLogsCommand(ctx),
    [COMMANDS.replayInPanel]: replayInPanelCommand(ctx),
    [COMMANDS.showSolution]: showSolutionCommand(ctx),
    [COMMANDS.resetLabState]: resetCommand(ctx),
    [COMMANDS.openDocs]: openDocsCommand(ctx),
    [COMMANDS.statusMenu]: statusMenuCommand(ctx),
    [COMMANDS.setRestateToken]: setRestateTokenCommand(ctx),
    [COMMANDS.clearRestateToken]: clearRestateTokenCommand(ctx),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    extension.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  }

  // Restores the panel after a window reload; the webview keeps its own state (getState/setState).
  extension.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => void LabPanel.revive(panel, ctx.session, extension.extensionUri),
    }),
  );

  // A lab that is already running (from the CLI, or a window that was reloaded) shows up at once.
  const lab = vscode.workspace.workspaceFolders?.find((f) => isLabWorkspace(f.uri.fsPath));
  if (lab) void session.refresh(lab.uri);
  // The walkthrough's steps: what the learner did before (this window or an earlier one) stays checked.
  void progress.restore(lab !== undefined);

  // What activation cost, for npm run bench: a lab folder activates the extension before any test can time it.
  const activation = {
    loadMs: bundleLoaded - bundleStart,
    activateMs: performance.now() - activateStart,
  };
  return { session, tests, restate, activation };
}

/** Stops every lab this window started; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  await session?.stopStartedHere();
}
