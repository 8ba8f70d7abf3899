// A CodeLens above the handlers the lab has scenarios for, in the scaffolded service:
// one click replays that handler under its scenario in the lab panel.
import * as vscode from "vscode";
import { COMMANDS } from "./command-ids.js";
import { isLabWorkspace } from "../lab/paths.js";

/** Handler name → the scenario that exercises it, and what the lens says. */
const LENSES: Record<string, { scenario: string; count?: number; title: string }> = {
  create: { scenario: "duplicates-in-a-row", count: 5, title: "Replay ×5 with one key" },
  chargeOutsideRun: { scenario: "anti-pattern-charge-outside-run", title: "Replay under a lost gateway answer" },
  countOutsideJournal: { scenario: "anti-pattern-counter", title: "Replay under a lost gateway answer" },
  relyOnGatewayIdempotency: { scenario: "anti-pattern-rely-on-gateway", title: "Replay under a lost gateway answer" },
};

export class HandlerLenses implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder || !isLabWorkspace(folder.uri.fsPath)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const match = /^\s+(\w+): (?:async \(|restate\.handlers)/.exec(document.lineAt(line).text);
      const lens = match && LENSES[match[1]!];
      if (!lens) continue;
      lenses.push(
        new vscode.CodeLens(document.lineAt(line).range, {
          title: `$(beaker) ${lens.title}`,
          tooltip: `Runs the "${lens.scenario}" scenario against the live lab and shows it in the lab panel`,
          command: COMMANDS.replayInPanel,
          arguments: [{ scenario: lens.scenario, count: lens.count, folder: folder.uri }],
        }),
      );
    }
    return lenses;
  }
}

export function registerHandlerLenses(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ language: "typescript", pattern: "**/src/{payment-service,anti-patterns}.ts" }, new HandlerLenses());
}
