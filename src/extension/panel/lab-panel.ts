// The lab panel: a webview that runs scenarios and shows their outcomes. This class owns
// the webview; src/webview holds its code; src/shared/protocol.ts is what they say to each other.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import * as vscode from "vscode";
import { COMMANDS, PANEL_VIEW_TYPE } from "../command-ids.js";
import { requireTrust } from "../commands/context.js";
import { findLabFolder } from "../lab-folder.js";
import { counted } from "../../shared/wording.js";
import { panelHtml } from "./html.js";
import { panelSettings, SECTION } from "../settings.js";
import type { LabSession, LabState } from "../lab-session.js";
import { pageForSection } from "../../lab/lab-docs.js";
import { describeError } from "../../lab/errors.js";
import { listRuns, loadRecord, loadRecordBytes, loadRecordPacked, packRecordJson } from "../../lab/history.js";
import { chaosSettings, exportChaos, runAndKeepChaos } from "../../lab/chaos/record.js";
import { journalOf } from "../../lab/replay/journal.js";
import { checkRequest, replay } from "../../lab/replay/replay.js";
import { markdownReport, toJson } from "../../lab/replay/report.js";
import { SCENARIOS, scenarioInfo } from "../../lab/replay/scenarios.js";
import { packedRun, toWire } from "./pack-run.js";
import { codeMessage, openSource } from "./source-code.js";
import { shrinkPanelRun } from "./shrink-panel-run.js";
import {
  isChaosRecord,
  isPerfect,
  parseToExtension,
  runSummaryProblem,
  type LabStatus,
  type ChaosRunRequest,
  type Prediction,
  type RunRecord,
  type RunRequest,
  type ToExtension,
  type ToWebview,
} from "../../shared/protocol.js";

export function getWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only the extension's own webview code and styles; nothing from the workspace or the web.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "media"), vscode.Uri.joinPath(extensionUri, "dist")],
  };
}

export class LabPanel implements vscode.Disposable {
  static current: LabPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private running: AbortController | undefined;
  /** The webview has loaded and said "ready" since it was (re)built. */
  private ready = false;
  private queued: RunRequest | undefined;
  /** Answers that came while the webview was not there (hidden or loading): delivered after its next init. */
  private undelivered: ToWebview[] = [];
  /** Counts the requestIds this side makes, for runs the webview did not ask for. */
  private ownRequests = 0;

  static show(session: LabSession, extensionUri: vscode.Uri): LabPanel {
    if (LabPanel.current) {
      LabPanel.current.panel.reveal(vscode.ViewColumn.Active);
      return LabPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, "Idempotency Lab", vscode.ViewColumn.Active, getWebviewOptions(extensionUri));
    LabPanel.current = new LabPanel(panel, session, extensionUri);
    return LabPanel.current;
  }

  /** After a window reload: the serializer hands back the panel; the webview restores its own state. */
  static revive(panel: vscode.WebviewPanel, session: LabSession, extensionUri: vscode.Uri): LabPanel {
    panel.webview.options = getWebviewOptions(extensionUri);
    LabPanel.current = new LabPanel(panel, session, extensionUri);
    return LabPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly session: LabSession,
    private readonly extensionUri: vscode.Uri,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "icon.svg");
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview is torn down (no retainContextWhenHidden) and says "ready" again when shown:
      // until then, what is posted would be lost.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      session.onDidChange((state) => this.post({ type: "lab", lab: labStatus(state) })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.predictBeforeRun`)) this.post({ type: "settings", settings: panelSettings() });
      }),
    );
  }

  /** Runs a request started outside the webview (a CodeLens), once the webview listens. */
  runWhenReady(request: RunRequest): void {
    if (this.ready) void this.runFromOutside(request);
    else this.queued = request;
  }

  /** A run the webview did not ask for: its requestId is made here and announced before the run's messages. */
  private async runFromOutside(request: RunRequest): Promise<void> {
    const requestId = this.ownRequestId();
    this.post({ type: "runStarted", requestId });
    try {
      await this.run(request, requestId);
    } catch (err) {
      this.post({ type: "failed", requestId, ...describeError(err) });
    }
  }

  /** Shows a finished run (from the Replay command) in the panel. */
  showRun(run: RunRecord): void {
    this.postCode(run.result.id);
    this.post({ type: "run", requestId: this.ownRequestId(), run });
    this.post({ type: "history", history: this.history() });
  }

  /** The scenario's handler code as the lab's files hold it now: sent just before its run, which the webview shows it with. */
  private postCode(scenarioId: string): void {
    let workspace: string;
    try {
      workspace = this.workspace();
    } catch {
      return; // no lab folder: nothing to read
    }
    const message = codeMessage(workspace, scenarioId, (m) => this.session.log.channel.warn(m));
    if (message) this.post(message);
  }

  private ownRequestId(): string {
    return `ext-${++this.ownRequests}`;
  }

  private post(message: ToWebview): void {
    if (!this.ready && (message.type === "run" || message.type === "failed" || message.type === "code" || message.type === "shrunk")) {
      // Keep the answers a learner waits for; the latest run wins. Status and history come with init.
      this.undelivered = [...this.undelivered.filter((m) => message.type !== "run" || m.type !== "run"), message].slice(-10);
      return;
    }
    void this.panel.webview.postMessage(toWire(message));
  }

  private receive(raw: unknown): void {
    const parsed = parseToExtension(raw);
    if (!parsed.ok) {
      // Never acted on; logged so a bug in the webview is visible.
      this.session.log.channel.warn(`Lab panel: ignored a malformed message (${parsed.error})`);
      return;
    }
    const message = parsed.message;
    void this.handle(message).catch((err: unknown) => {
      const failure = describeError(err);
      // Only requests get an answer; ready and stop cannot fail in a way the webview could show.
      if ("requestId" in message) this.post({ type: "failed", requestId: message.requestId, ...failure });
      else this.session.log.channel.error(`Lab panel: ${message.type} failed: ${failure.message}`);
    });
  }

  private async handle(message: ToExtension): Promise<void> {
    switch (message.type) {
      case "ready": {
        this.ready = true;
        this.post({
          type: "init",
          scenarios: SCENARIOS.map(scenarioInfo),
          history: this.history(),
          lab: labStatus(this.session.state),
          settings: panelSettings(),
          chaos: chaosSettings(),
        });
        for (const message of this.undelivered.splice(0)) this.post(message);
        const queued = this.queued;
        this.queued = undefined;
        if (queued) void this.runFromOutside(queued);
        return;
      }
      case "startLab":
        await vscode.commands.executeCommand(COMMANDS.start);
        return;
      case "run":
        await this.run(message.request, message.requestId, message.prediction);
        return;
      case "chaos":
        await this.runChaos(message.request, message.requestId);
        return;
      case "stop":
        this.running?.abort();
        return;
      case "shrink":
        requireTrust("send requests to the lab, inject faults or kill its processes");
        this.refuseSecondRun();
        await shrinkPanelRun(
          {
            workspace: () => this.workspace(),
            existingRestate: () => this.existingRestate(),
            asTheRun: (id, work) => this.asTheRun(id, work),
            post: (m) => this.post(m),
            log: (line) => this.session.log.channel.info(line),
          },
          message.requestId,
          message.runId,
        );
        return;
      case "openRun": {
        // The file's JSON goes gzipped, as the history's packed copy holds it (or as its file
        // holds it, packed here): the webview parses and checks it (parseToWebview), as it must
        // anyway, and says why when it cannot show the run. Decoding, parsing and checking a
        // 10,000-request record here as well cost its first open 100 ms and more.
        let gzip = loadRecordPacked(this.workspace(), message.runId);
        if (gzip === undefined) {
          const json = loadRecordBytes(this.workspace(), message.runId);
          if (json === undefined) throw new Error(`Run ${message.runId} is no longer in this workspace's history`);
          gzip = packRecordJson(json);
        }
        // The history's entry names the scenario whose code goes with it.
        const entry = this.history().find((e) => e.runId === message.runId);
        if (entry !== undefined && entry.kind !== "chaos") this.postCode(entry.scenario);
        void this.panel.webview.postMessage(packedRun(message.requestId, gzip));
        return;
      }
      case "inspect": {
        requireTrust("read Restate's journal through the lab's state files");
        const lab = this.session.state;
        if (lab.kind !== "ready") throw new Error("Start the lab to read an invocation's journal");
        const entries = await journalOf(lab.stack.urls.admin, message.invocationId, (await this.existingRestate())?.credential);
        this.post({ type: "journal", requestId: message.requestId, runId: message.runId, invocationId: message.invocationId, entries });
        return;
      }
      case "export": {
        const run = loadRecord(this.workspace(), message.runId);
        if (!run) throw new Error(`Run ${message.runId} is no longer in this workspace's history`);
        const content = isChaosRecord(run)
          ? exportChaos(run, message.format)
          : message.format === "json"
            ? JSON.stringify(toJson([run.result]), null, 2)
            : markdownReport(run.result);
        const doc = await vscode.workspace.openTextDocument({ language: message.format, content });
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case "copy":
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(
          message.text.startsWith("curl ")
            ? "Copied the request as a curl command"
            : message.text.startsWith("idempotency-lab ")
              ? "Copied the command line"
              : `Copied ${message.text}`,
          3000,
        );
        return;
      case "openSource":
        await openSource(this.workspace(), message.file, message.line);
        return;
      case "openConcepts": {
        const workspace = this.workspace();
        // The concepts span several pages: open the one whose headings hold the section.
        const doc = pageForSection(workspace, message.section) ?? join(workspace, "README.md");
        await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(doc).with({ fragment: message.section }));
        return;
      }
    }
  }

  /** Runs a request; its progress and its record carry the requestId it came with. A prediction is scored against the run and kept with it. */
  private async run(request: RunRequest, requestId: string, prediction?: Prediction): Promise<void> {
    requireTrust("send requests to the lab or restart its service");
    this.refuseSecondRun();
    const checked = checkRequest(request);
    const workspace = this.workspace();
    await this.asTheRun(requestId, async (signal, onProgress) => {
      const shown = await replay(workspace, checked, {
        existingRestate: await this.existingRestate(),
        signal,
        onProgress,
        ...(prediction ? { prediction } : {}),
        onHistoryError: (message) => this.session.log.channel.warn(message),
      });
      const result = shown.result;
      this.session.log.channel.info(`Panel run ${result.id}: ${result.verdict} (${counted(result.requests, "request")}, ${counted(result.charges, "charge")})`);
      this.postCode(result.id);
      this.post({ type: "run", requestId, run: shown });
      this.post({ type: "history", history: this.history() });
      await this.session.progress.mark("replayed"); // the walkthrough's "Replay duplicates"
      // The walkthrough's "Predict an anti-pattern": a whole prediction, right, of a run that showed the flaw.
      if (shown.score && isPerfect(shown.score) && result.kind === "anti-pattern") await this.session.progress.mark("predicted");
    });
  }

  /** A chaos run: its progress and its record carry the requestId; Stop aborts it, and the engine then checks what it sent. */
  private async runChaos(request: ChaosRunRequest, requestId: string): Promise<void> {
    requireTrust("send requests to the lab, inject faults or kill its processes");
    this.refuseSecondRun();
    const workspace = this.workspace();
    await this.asTheRun(requestId, async (signal, onProgress) => {
      const { record, historyError } = await runAndKeepChaos(workspace, request, { existingRestate: await this.existingRestate(), signal, onProgress });
      if (historyError) void vscode.window.showWarningMessage(historyError);
      const c = record.chaos;
      this.session.log.channel.info(
        `Panel chaos run against ${c.target}, seed ${c.seed}: ${c.verdict} (expected ${c.expectedVerdict}; ${counted(c.requests.length, "request")})`,
      );
      this.post({ type: "run", requestId, run: record });
      this.post({ type: "history", history: this.history() });
    });
  }

  private refuseSecondRun(): void {
    if (this.running) throw new Error("A run is already in progress; stop it or wait for it");
  }

  /** Does `work` as the panel's one run: Stop aborts its signal; its progress reaches the webview with its requestId. */
  private async asTheRun(requestId: string, work: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<void>): Promise<void> {
    this.running = new AbortController();
    let lastPost = 0;
    const onProgress = (done: number, total: number) => {
      // At most ~10 updates a second, whatever the request rate.
      const now = Date.now();
      if (done === total || now - lastPost > 100) {
        lastPost = now;
        this.post({ type: "progress", requestId, done, total });
      }
    };
    try {
      await work(this.running.signal, onProgress);
    } finally {
      this.running = undefined;
    }
  }

  private workspace(): string {
    return findLabFolder(this.session.workspace).fsPath;
  }

  private history(): ReturnType<typeof listRuns> {
    let workspace: string;
    try {
      workspace = this.workspace();
    } catch {
      return []; // no lab in this workspace yet
    }
    try {
      // One malformed entry (an edited or older index) must not keep the whole history from the panel.
      return listRuns(workspace).filter((entry, i) => {
        const problem = runSummaryProblem(entry);
        if (problem !== null) this.session.log.channel.warn(`The run history's entry ${i} is not shown: it ${problem}`);
        return problem === null;
      });
    } catch (err) {
      this.session.log.channel.warn(`The run history is not shown: ${describeError(err).message}`);
      return [];
    }
  }

  private existingRestate() {
    return this.session.restate.resolve(vscode.Uri.file(this.workspace()));
  }

  private html(): string {
    const webview = this.panel.webview;
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString("base64"),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview.css")).toString(),
    });
  }

  dispose(): void {
    this.running?.abort();
    if (LabPanel.current === this) LabPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function labStatus(state: LabState): LabStatus {
  switch (state.kind) {
    case "ready":
      return { state: "ready", ingress: state.stack.urls.ingress, admin: state.stack.urls.admin, gateway: state.stack.urls.gateway };
    case "error":
      return { state: "error", message: state.message };
    default:
      return { state: state.kind };
  }
}
