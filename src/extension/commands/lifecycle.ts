// Start, stop, restart and reset the lab, with progress where it takes a while.
import * as vscode from "vscode";
import { COMMANDS } from "../command-ids.js";
import { findLabFolder, type FolderArg } from "../lab-folder.js";
import { realWorkspace } from "../../lab/lab-files.js";
import { workspacePaths } from "../../lab/paths.js";
import { refuseDuringReplay } from "../../lab/reset.js";
import type { RunningStack } from "../../lab/stack.js";
import { guarded, requireTrust, type Context } from "./context.js";

export interface FolderArgs {
  folder?: FolderArg;
}

export function startCommand(ctx: Context) {
  return (args: FolderArgs = {}) =>
    guarded(ctx, async (): Promise<RunningStack> => {
      requireTrust("start Restate or install packages");
      const folder = findLabFolder(args.folder);
      const stack = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: "Idempotency Lab", cancellable: true },
        (progress, token) => ctx.session.start(folder, token, (message) => progress.report({ message })),
      );
      void vscode.window
        .showInformationMessage(
          `${stack.adopted ? "The lab was already running" : "The lab is ready"}: Restate ingress ${stack.urls.ingress}, admin ${stack.urls.admin}.`,
          "Open Lab Panel",
          "Replay Duplicates",
        )
        .then((choice) => {
          if (choice === "Open Lab Panel") void vscode.commands.executeCommand(COMMANDS.openPanel);
          if (choice === "Replay Duplicates") void vscode.commands.executeCommand(COMMANDS.replay);
        });
      return stack;
    });
}

export function stopCommand(ctx: Context) {
  return (args: FolderArgs = {}) =>
    guarded(ctx, async () => {
      requireTrust("stop processes named in its state files");
      const folder = findLabFolder(args.folder);
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Stopping the lab" }, () => ctx.session.stop(folder));
    });
}

export function restartCommand(ctx: Context) {
  return (args: FolderArgs = {}) =>
    guarded(ctx, async (): Promise<RunningStack> => {
      requireTrust("start Restate or install packages");
      const folder = findLabFolder(args.folder);
      return vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: "Restarting the lab", cancellable: true },
        async (progress, token) => {
          progress.report({ message: "stopping" });
          await ctx.session.stop(folder);
          return ctx.session.start(folder, token, (message) => progress.report({ message }));
        },
      );
    });
}

export interface ResetArgs extends FolderArgs {
  /** Skip the confirmation dialog (for scripts and tests that already asked). */
  confirmed?: boolean;
}

/** Clears Restate's data (.restate) and the gateway's ledger; nothing else. Refused while a replay runs. */
export function resetCommand(ctx: Context) {
  return (args: ResetArgs = {}) =>
    guarded(ctx, async () => {
      requireTrust("stop processes or delete the lab's state");
      const folder = findLabFolder(args.folder);
      const paths = workspacePaths(realWorkspace(folder.fsPath));
      refuseDuringReplay(paths.workspace); // before asking: the answer could only be "not now"
      if (!args.confirmed) {
        const answer = await vscode.window.showWarningMessage(
          "Reset the lab's state?",
          {
            modal: true,
            detail: `This stops the lab and deletes Restate's data (${paths.restateData}) and the gateway's ledger (${paths.ledger}): every invocation, stored idempotent result and charge. Your code is not touched.`,
          },
          "Reset",
        );
        if (answer !== "Reset") return { reset: false };
      }
      const { deleted } = await ctx.session.reset(folder);
      ctx.session.log.channel.info(`Reset: deleted ${deleted.join(" and ")}`);
      void vscode.window.showInformationMessage("The lab's state is reset.", "Start Lab").then((choice) => {
        if (choice === "Start Lab") void vscode.commands.executeCommand(COMMANDS.start, { folder });
      });
      return { reset: true };
    });
}
