// What every command works with: its context (the session, the settings, the walkthrough's
// progress, the status bar), errors shown where the user is looking (with the log one click
// away), and the workspace-trust gate.
import * as vscode from "vscode";
import { COMMANDS } from "../command-ids.js";
import { describeError, LabError } from "../../lab/errors.js";
import type { ExistingRestateSettings } from "../existing-restate.js";
import type { LabSession } from "../lab-session.js";
import type { LearningProgress } from "../learning-progress.js";
import type { LabStatusBar } from "../status-bar.js";

export interface Context {
  session: LabSession;
  restate: ExistingRestateSettings;
  progress: LearningProgress;
  statusBar: LabStatusBar;
  extension: vscode.ExtensionContext;
}

/** What a command returns to a programmatic caller when it failed (the user saw a message). */
export interface CommandError {
  error: string;
  fix?: string;
  code?: string;
}

export function isCommandError(value: unknown): value is CommandError {
  return typeof value === "object" && value !== null && "error" in value;
}

export async function guarded<T>(ctx: Context, fn: () => Promise<T>): Promise<T | CommandError> {
  try {
    return await fn();
  } catch (err) {
    const { message, fix } = describeError(err);
    const code = err instanceof LabError ? err.code : undefined;
    void showError(ctx, message, fix, code);
    return { error: message, fix, code };
  }
}

async function showError(ctx: Context, message: string, fix: string | undefined, code: string | undefined): Promise<void> {
  const actions = code === "untrusted" ? ["Manage Workspace Trust"] : code === "not-a-lab" ? ["Scaffold Lab", "Show Logs"] : ["Show Logs"];
  const choice = await vscode.window.showErrorMessage(fix ? `${message}. ${fix}` : message, ...actions);
  if (choice === "Show Logs") ctx.session.log.channel.show(true);
  else if (choice === "Manage Workspace Trust") await vscode.commands.executeCommand("workbench.trust.manage");
  else if (choice === "Scaffold Lab") await vscode.commands.executeCommand(COMMANDS.scaffold);
}

/**
 * Starting servers, installing packages, running tests, signalling processes: all of it acts on
 * what the workspace holds (its code, its npm packages, its state files), so only when trusted.
 */
export function requireTrust(action: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new LabError(
      `This workspace is not trusted, so the lab does not ${action} here (that would act on the workspace's code, packages or state files)`,
      "Trust the workspace (Manage Workspace Trust) and run the command again",
      "untrusted",
    );
  }
}
