// The panel's "The code" block on the extension's side: a scenario's handlers read from the lab
// workspace (at the time the run is shown, so a learner's edit shows), and a lab source file
// opened at a line beside the panel.
import { lstatSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { checkLabDir, linkRefused } from "../../lab/lab-files.js";
import { scenarioCode, SERVICE_FILES } from "../../lab/replay/handler-code.js";
import { findScenario } from "../../lab/replay/scenarios.js";
import { scenarioCodeProblem, sourcePlaceProblem, type ToWebview } from "../../shared/protocol.js";

/** The code message for a scenario's run, or null for a run of no catalog scenario (a custom request). */
export function codeMessage(workspace: string, scenarioId: string, warn: (message: string) => void): ToWebview | null {
  const scenario = findScenario(scenarioId);
  if (!scenario) return null;
  const code = scenarioCode(workspace, scenario);
  // Never sent when the webview would refuse it: the run shows without its code, and the log says why.
  const problem = scenarioCodeProblem(code);
  if (problem !== null) {
    warn(`The code of ${scenarioId} is not shown: it ${problem}`);
    return null;
  }
  return { type: "code", code };
}

/** Opens `file` (one of the services' files in the lab workspace, a real file, not a link) at `line`, beside the panel. */
export async function openSource(workspace: string, file: string, line: number): Promise<void> {
  const problem = sourcePlaceProblem(file, line);
  if (problem !== null) throw new Error(`Cannot open ${file}: it ${problem}`);
  // Only the files "The code" shows: the services' sources.
  if (!Object.values(SERVICE_FILES).includes(file))
    throw new Error(`Cannot open ${file}: the panel opens only the services' files (${[...new Set(Object.values(SERVICE_FILES))].join(", ")})`);
  checkLabDir(workspace, join(workspace, "src"), false);
  const path = join(workspace, file);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`${file} is not in the lab workspace`);
  if (stat.isSymbolicLink()) throw linkRefused(path);
  if (!stat.isFile()) throw new Error(`${file} is not a file`);
  const at = new vscode.Position(line - 1, 0);
  await vscode.window.showTextDocument(vscode.Uri.file(path), { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(at, at) });
}
