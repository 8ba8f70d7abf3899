// Replay Duplicates: pick a scenario (and its options), run it against the lab, show the verdict.
import * as vscode from "vscode";
import { COMMANDS } from "../command-ids.js";
import { findLabFolder, type FolderArg } from "../lab-folder.js";
import { checkRequest, replay, scenarioFor } from "../../lab/replay/replay.js";
import type { ScenarioResult } from "../../lab/replay/types.js";
import type { RunRecord, RunRequest } from "../../shared/protocol.js";
import { counted } from "../../shared/wording.js";
import { LabPanel } from "../panel/lab-panel.js";
import { askReplay } from "./replay-input.js";
import { guarded, requireTrust, type Context } from "./context.js";

export interface ReplayArgs {
  folder?: FolderArg;
  scenario?: string;
  count?: number;
  concurrency?: number;
}

export function replayCommand(ctx: Context) {
  return (args: ReplayArgs = {}) =>
    guarded(ctx, async (): Promise<ScenarioResult | undefined> => {
      requireTrust("send requests to the lab or restart its service");
      const folder = findLabFolder(args.folder);
      // Called with a scenario (CodeLens, scripts): no questions. From the palette: one multi-step input.
      const choice =
        args.scenario === undefined
          ? await askReplay()
          : { scenario: scenarioFor({ scenario: args.scenario }), count: args.count, concurrency: args.concurrency };
      if (!choice) return undefined;
      const { scenario, count, concurrency } = choice;
      const request: RunRequest = { scenario: scenario.id, ...(count === undefined ? {} : { count }), ...(concurrency === undefined ? {} : { concurrency }) };
      const checked = checkRequest(request);

      const existingRestate = await ctx.restate.resolve(folder);
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Replaying: ${scenario.title}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return replay(folder.fsPath, checked, {
            existingRestate,
            onHistoryError: (message) => {
              ctx.session.log.channel.warn(message);
              void vscode.window.showWarningMessage(message, "Show Logs").then((choice) => choice && ctx.session.log.channel.show(true));
            },
            signal: abort.signal,
            onProgress: (done, total) => {
              const increment = ((done - reported) / total) * 100;
              reported = done;
              progress.report({ message: `${done} of ${total} answered`, increment });
            },
          });
        },
      );
      const result = run.result;
      ctx.session.log.channel.info(`Replay ${result.id}: ${result.verdict} (${counted(result.requests, "request")}, ${counted(result.charges, "charge")})`);
      await ctx.progress.mark("replayed");
      void showResult(ctx, run);
      return result;
    });
}

async function showResult(ctx: Context, run: RunRecord): Promise<void> {
  const result = run.result;
  if (result.incomplete) {
    const { reason, sent, planned } = result.incomplete;
    const choice = await vscode.window.showWarningMessage(
      `${result.title}: incomplete, ${reason} (${sent} of ${planned} requests sent). The partial run is kept in the history.`,
      "Open Panel",
    );
    if (choice === "Open Panel") LabPanel.show(ctx.session, ctx.extension.extensionUri).showRun(run);
    return;
  }
  const summary =
    `${result.title}: ${result.verdict}. ${counted(result.requests, "request")}, ${counted(result.distinctInvocations, "invocation")}, ` +
    `${counted(result.charges, "charge")} in the gateway's ledger.`;
  const asExpected = result.verdict === result.expectedVerdict;
  const show = asExpected ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(asExpected ? summary : `${summary} This scenario expects "${result.expectedVerdict}".`, "Open Panel", "Replay Again");
  if (choice === "Open Panel") LabPanel.show(ctx.session, ctx.extension.extensionUri).showRun(run);
  if (choice === "Replay Again") await vscode.commands.executeCommand(COMMANDS.replay, { scenario: result.id });
}
