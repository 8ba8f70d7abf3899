// The VS Code side of `npm run screenshots` (tests/host/screenshots.ts drives the browser): starts a
// lab, opens the panel, then the walkthrough, in a light and then a dark theme, and waits for the
// browser side's picture of each before it moves on.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { runCases, waitFor } from "./harness.js";

const WALKTHROUGH = "restate-idempotency-lab.restate-idempotency-lab#learn";
const THEMES = { light: "Default Light Modern", dark: "Default Dark Modern" } as const;

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = process.env.HOST_TEST_SIGNALS!;
  const signal = (name: string) => writeFileSync(join(signals, `${name}.json`), "{}");
  const awaitSignal = async (name: string) => {
    const file = join(signals, `${name}.json`);
    await waitFor(`signal ${name}`, () => existsSync(file), 600_000);
    const ui = JSON.parse(readFileSync(file, "utf8")) as { error?: string };
    if (ui.error) throw new Error(`the browser side: ${ui.error}`);
  };
  const theme = (name: keyof typeof THEMES | undefined) =>
    vscode.workspace.getConfiguration("workbench").update("colorTheme", name && THEMES[name], vscode.ConfigurationTarget.Global);

  await runCases([
    [
      "the panel on a running lab, and the walkthrough, in light and dark",
      async () => {
        // Room for the panel's two columns: no side bar, one editor group.
        await vscode.commands.executeCommand("workbench.action.closeSidebar");
        await vscode.commands.executeCommand("workbench.action.closeAuxiliaryBar");
        await theme("light");
        await vscode.commands.executeCommand(COMMANDS.start, { folder });
        for (const name of ["light", "dark"] as const) {
          await theme(name);
          await vscode.commands.executeCommand(COMMANDS.openPanel);
          signal(`panel-${name}`);
          await awaitSignal(`panel-${name}-done`);
          await vscode.commands.executeCommand("workbench.action.openWalkthrough", WALKTHROUGH, false);
          signal(`walkthrough-${name}`);
          await awaitSignal(`walkthrough-${name}-done`);
          await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
        }
        await theme(undefined);
        await vscode.commands.executeCommand(COMMANDS.stop, { folder });
      },
    ],
  ]);
}
