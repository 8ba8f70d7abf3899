import { existsSync, readdirSync } from "node:fs";
import * as vscode from "vscode";
import { COMMANDS } from "../command-ids.js";
import { toUri, type FolderArg } from "../lab-folder.js";
import { scaffold, type ScaffoldResult } from "../../lab/scaffold.js";
import { counted } from "../../shared/wording.js";
import { isLabWorkspace } from "../../lab/paths.js";
import { guarded, type Context } from "./context.js";
import { firstDoc } from "../../lab/lab-docs.js";

export interface ScaffoldArgs {
  folder?: FolderArg;
  /** Open the concepts doc afterwards (default true). */
  openDocs?: boolean;
}

export function scaffoldCommand(ctx: Context) {
  return (args: ScaffoldArgs = {}) =>
    guarded(ctx, async (): Promise<ScaffoldResult | undefined> => {
      const target = toUri(args.folder) ?? (await chooseTarget());
      if (!target) return undefined; // the user closed the picker
      const result = scaffold(target.fsPath);
      ctx.session.log.channel.info(`Scaffolded ${result.workspace}: created ${result.created.length}, kept ${result.kept.length}`);
      await ctx.progress.mark("labScaffolded");

      if (args.openDocs !== false) {
        const doc = firstDoc(result.workspace);
        if (doc) await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(doc));
      }
      const inWorkspace = vscode.workspace.getWorkspaceFolder(target) !== undefined;
      const summary = `Lab scaffolded in ${result.workspace}: ${counted(result.created.length, "file")} created, ${result.kept.length} kept.`;
      const actions = inWorkspace ? ["Start Lab"] : ["Open Folder"];
      void vscode.window.showInformationMessage(summary, ...actions).then(async (choice) => {
        if (choice === "Start Lab") await vscode.commands.executeCommand(COMMANDS.start, { folder: target });
        if (choice === "Open Folder") await vscode.commands.executeCommand("vscode.openFolder", target, { forceNewWindow: false });
      });
      return result;
    });
}

/** The open folder when it can hold a lab; otherwise (or on request) a folder the user picks. */
async function chooseTarget(): Promise<vscode.Uri | undefined> {
  const open = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (open && canHoldLab(open.fsPath)) {
    const here = `Into ${open.fsPath}`;
    const pick = await vscode.window.showQuickPick([here, "Choose another folder..."], { title: "Scaffold the Idempotency Lab" });
    if (pick === undefined) return undefined;
    if (pick === here) return open;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: "Scaffold the lab here",
    title: "An empty folder for the Idempotency Lab",
  });
  return chosen?.[0];
}

function canHoldLab(folder: string): boolean {
  if (isLabWorkspace(folder)) return true;
  return !existsSync(folder) || readdirSync(folder).every((e) => [".git", ".vscode", ".DS_Store"].includes(e));
}
