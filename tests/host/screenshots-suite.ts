// The VS Code side of `npm run screenshots` (tests/host/screenshots.ts drives the browser): starts a
// lab, opens the panel, then the walkthrough, in a light and then a dark theme, and waits for the
// browser side's picture of each before it moves on.
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
      "the panel on a running lab, and the walkthrough, in light and dark",
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
        await setTheme(undefined);
        await vscode.commands.executeCommand(COMMANDS.stop, { folder });
      },
    ],
  ]);
}
