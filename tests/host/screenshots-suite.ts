// The VS Code side of `npm run screenshots` (tests/host/screenshots.ts drives the browser): starts a
// lab, opens the panel, then the walkthrough, in a light and then a dark theme, then the
// anti-pattern's code beside the panel (light), and waits for the browser side's picture of each
// before it moves on.
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { closeSideBars, driverSignals, runCases, setTheme, WALKTHROUGH } from "./harness.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = driverSignals(600_000);
  /** Waits for the browser side's picture; a step it could not take fails the case. */
  const shot = async (name: string) => {
    const ui = await signals.wait<{ error?: string }>(name);
    if (ui.error) throw new Error(`the browser side: ${ui.error}`);
  };

  await runCases([
    [
      "the panel on a running lab, and the walkthrough, in light and dark; the anti-pattern beside its code",
      async () => {
        // Room for the panel's two columns: no side bar, one editor group.
        await closeSideBars();
        await setTheme("light");
        await vscode.commands.executeCommand(COMMANDS.start, { folder });
        for (const name of ["light", "dark"] as const) {
          await setTheme(name);
          await vscode.commands.executeCommand(COMMANDS.openPanel);
          signals.send(`panel-${name}`);
          await shot(`panel-${name}-done`);
          await vscode.commands.executeCommand("workbench.action.openWalkthrough", WALKTHROUGH, false);
          signals.send(`walkthrough-${name}`);
          await shot(`walkthrough-${name}-done`);
          await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
        }
        // The anti-pattern's run beside its code: the panel in the left group, the handler in the
        // right one with its CodeLens above it (as the panel's "open the file" does).
        await setTheme("light");
        await vscode.commands.executeCommand(COMMANDS.openPanel);
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, "src", "anti-patterns.ts"));
        const line = doc
          .getText()
          .split("\n")
          .findIndex((l) => /^\s+chargeOutsideRun: async/.test(l));
        if (line < 0) throw new Error("chargeOutsideRun is not in src/anti-patterns.ts");
        const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
        editor.selection = new vscode.Selection(line, 4, line, 4);
        editor.revealRange(new vscode.Range(Math.max(0, line - 3), 0, Math.max(0, line - 3), 0), vscode.TextEditorRevealType.AtTop);
        signals.send("code-light");
        await shot("code-light-done");
        await setTheme(undefined);
        await vscode.commands.executeCommand(COMMANDS.stop, { folder });
      },
    ],
  ]);
}
