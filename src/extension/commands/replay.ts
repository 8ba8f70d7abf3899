// Replay Duplicates: pick a scenario (and its options), run it against the lab, show the verdict.
import * as vscode from "vscode";
import { COMMANDS } from "../command-ids.js";
import { findLabFolder, type FolderArg } from "../lab-folder.js";
import { checkRequest, replay, scenarioFor } from "../../lab/replay/replay.js";
import { SCENARIOS } from "../../lab/replay/scenarios.js";
import type { Scenario, ScenarioResult } from "../../lab/replay/types.js";
import { MAX_CONCURRENCY, MAX_COUNT, type RunRecord, type RunRequest } from "../../shared/protocol.js";
import { LabPanel } from "../panel/lab-panel.js";
import { guarded, requireTrust, type Context } from "./shared.js";

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
      const scenario = args.scenario === undefined ? await pickScenario() : scenarioFor({ scenario: args.scenario });
      if (!scenario) return undefined;
      const interactive = args.scenario === undefined;
      const count = args.count ?? (interactive ? await askNumber("How many requests?", scenario.defaults.count, MAX_COUNT) : undefined);
      if (interactive && count === undefined) return undefined;
      const concurrency =
        args.concurrency ??
        (interactive && scenario.defaults.concurrency > 1 ? await askNumber("How many at once?", scenario.defaults.concurrency, MAX_CONCURRENCY) : undefined);
      const request: RunRequest = { scenario: scenario.id, ...(count === undefined ? {} : { count }), ...(concurrency === undefined ? {} : { concurrency }) };
      checkRequest(request);

      const existingRestate = await ctx.restate.resolve(folder);
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Replaying: ${scenario.title}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return replay(folder.fsPath, request, {
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
      ctx.session.log.channel.info(`Replay ${result.id}: ${result.verdict} (${result.requests} requests, ${result.charges} charge(s))`);
      await ctx.progress.mark("replayed");
      void showResult(ctx, run);
      return result;
    });
}

async function pickScenario(): Promise<Scenario | undefined> {
  const picked = await vscode.window.showQuickPick(
    SCENARIOS.map((s) => ({ label: s.title, description: s.id, detail: s.lesson, scenario: s })),
    { title: "Replay duplicates: which scenario?", matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.scenario;
}

async function askNumber(prompt: string, value: number, max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    validateInput: (text) => (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= max ? undefined : `A whole number from 1 to ${max}`),
  });
  return answer === undefined ? undefined : Number(answer);
}

async function showResult(ctx: Context, run: RunRecord): Promise<void> {
  const result = run.result;
  const summary =
    `${result.title}: ${result.verdict}. ${result.requests} request(s), ${result.distinctInvocations} invocation(s), ` +
    `${result.charges} charge(s) in the gateway's ledger.`;
  const asExpected = result.verdict === result.expectedVerdict;
  const show = asExpected ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(asExpected ? summary : `${summary} This scenario expects "${result.expectedVerdict}".`, "Open Panel", "Replay Again");
  if (choice === "Open Panel") LabPanel.show(ctx.session, ctx.extension.extensionUri).showRun(run);
  if (choice === "Replay Again") await vscode.commands.executeCommand(COMMANDS.replay, { scenario: result.id });
}
