// A CodeLens above the handlers the lab has scenarios for, in the scaffolded service:
// one click replays that handler under its scenario in the lab panel.
import * as vscode from "vscode";
import { COMMANDS } from "./command-ids.js";
import { isLabWorkspace } from "../lab/paths.js";
import { HANDLER_LENSES } from "../lab/replay/handler-lenses.js";

export class HandlerLenses implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder || !isLabWorkspace(folder.uri.fsPath)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const match = /^\s+(\w+): (?:async \(|restate\.handlers)/.exec(document.lineAt(line).text);
      const lens = match && HANDLER_LENSES[match[1]!];
      if (!lens || !document.uri.path.endsWith(`/${lens.file}`)) continue;
      lenses.push(
        new vscode.CodeLens(document.lineAt(line).range, {
          title: `$(beaker) ${lens.title}`,
          tooltip: `Runs the "${lens.scenario}" scenario against the live lab and shows it in the lab panel`,
          command: COMMANDS.replayInPanel,
          arguments: [{ scenario: lens.scenario, folder: folder.uri }],
        }),
      );
    }
    return lenses;
  }
}

export function registerHandlerLenses(): vscode.Disposable {
  const files = [...new Set(Object.values(HANDLER_LENSES).map((l) => l.file))];
  return vscode.languages.registerCodeLensProvider({ language: "typescript", pattern: `**/{${files.join(",")}}` }, new HandlerLenses());
}
