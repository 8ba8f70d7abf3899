// Which folder is the lab: the one a command was given, else the first lab among the
// workspace folders.
import * as vscode from "vscode";
import { LabError } from "../lab/errors.js";
import { isLabWorkspace } from "../lab/paths.js";

export type FolderArg = vscode.Uri | string | undefined;

export function toUri(folder: FolderArg): vscode.Uri | undefined {
  if (folder === undefined) return undefined;
  return typeof folder === "string" ? vscode.Uri.file(folder) : folder;
}

export function findLabFolder(folder?: FolderArg): vscode.Uri {
  const given = toUri(folder);
  if (given) {
    if (!isLabWorkspace(given.fsPath)) {
      throw new LabError(`${given.fsPath} is not an Idempotency Lab workspace`, 'Run "Idempotency Lab: Scaffold Lab" there first.', "not-a-lab");
    }
    return given;
  }
  const lab = vscode.workspace.workspaceFolders?.find((f) => isLabWorkspace(f.uri.fsPath));
  if (!lab) {
    throw new LabError("There is no Idempotency Lab in this workspace", 'Run "Idempotency Lab: Scaffold Lab" to create one.', "not-a-lab");
  }
  return lab.uri;
}
