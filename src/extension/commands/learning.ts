// Learning-path commands: replay in the panel (CodeLens, walkthrough) and Show Solution.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { findLabFolder, type FolderArg } from "../lab-folder.js";
import { LabError } from "../../lab/errors.js";
import { LabPanel } from "../panel/lab-panel.js";
import { guarded, requireTrust, type Context } from "./context.js";

export function replayInPanelCommand(ctx: Context) {
  return (args: { scenario?: string; count?: number; folder?: FolderArg } = {}) =>
    guarded(ctx, async () => {
      requireTrust("send requests to the lab or restart its service");
      findLabFolder(args.folder);
      const panel = LabPanel.show(ctx.session, ctx.extension.extensionUri);
      panel.runWhenReady({ scenario: args.scenario ?? "duplicates-in-a-row", ...(args.count ? { count: args.count } : {}) });
      return true;
    });
}

/** Opens a diff: the learner's exercise on the left, the solution on the right. */
export function showSolutionCommand(ctx: Context) {
  return (args: { exercise?: string; folder?: FolderArg } = {}) =>
    guarded(ctx, async () => {
      const workspace = findLabFolder(args.folder).fsPath;
      const exercises = existsSync(join(workspace, "solutions"))
        ? readdirSync(join(workspace, "solutions"))
            .filter((f) => f.endsWith(".ts"))
            .map((f) => f.replace(/\.ts$/, ""))
            .sort()
        : [];
      if (exercises.length === 0)
        throw new LabError(`The lab in ${workspace} has no solutions folder`, 'Run "Idempotency Lab: Scaffold Lab" on it again to restore it');
      const exercise = args.exercise ?? (await vscode.window.showQuickPick(exercises, { title: "Show the solution of which exercise?" }));
      if (!exercise) return undefined;
      if (!exercises.includes(exercise)) throw new LabError(`No exercise "${exercise}"`, `Use one of: ${exercises.join(", ")}`);
      const mine = vscode.Uri.file(join(workspace, "exercises", `${exercise}.ts`));
      const solution = vscode.Uri.file(join(workspace, "solutions", `${exercise}.ts`));
      await vscode.commands.executeCommand("vscode.diff", mine, solution, `${exercise}.ts: yours ↔ solution`);
      return { mine: mine.fsPath, solution: solution.fsPath };
    });
}
