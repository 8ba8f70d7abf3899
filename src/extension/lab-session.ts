// The lab as the window sees it: its state for the status bar, start/stop with progress,
// and the processes this window started (stopped again when the window goes away).
import * as vscode from "vscode";
import type { ExistingRestateSettings } from "./existing-restate.js";
import type { LearningProgress } from "./learning-progress.js";
import { describeError, LabError } from "../lab/errors.js";
import { CONTEXT_KEYS } from "../shared/protocol.js";
import { resetLab, type ResetResult } from "../lab/reset.js";
import { down, status, up, type RunningStack } from "../lab/stack.js";
import { LabLog } from "./log-channel.js";
import { upOptions } from "./settings.js";

export type LabState =
  | { kind: "stopped" }
  | { kind: "starting"; detail: string }
  | { kind: "ready"; stack: RunningStack }
  | { kind: "stopping" }
  | { kind: "error"; message: string };

export class LabSession implements vscode.Disposable {
  private current: LabState = { kind: "stopped" };
  private folder: vscode.Uri | undefined;
  /** Labs this window started: stopped on deactivate. A lab it only adopted is left running. */
  private readonly startedHere = new Set<string>();
  private readonly changed = new vscode.EventEmitter<LabState>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly log: LabLog,
    readonly restate: ExistingRestateSettings,
    readonly progress: LearningProgress,
  ) {}

  get state(): LabState {
    return this.current;
  }

  get workspace(): string | undefined {
    return this.folder?.fsPath;
  }

  private set(state: LabState): void {
    this.current = state;
    this.changed.fire(state);
    // The walkthrough's "start the lab" step completes on this.
    void vscode.commands.executeCommand("setContext", CONTEXT_KEYS.labReady, state.kind === "ready");
    if (state.kind === "ready") void this.progress.mark("labStarted"); // the walkthrough's "Start the lab"
  }

  /** Picks up a lab that is already running (started by the CLI or an earlier window). */
  async refresh(folder: vscode.Uri): Promise<LabState> {
    this.folder = folder;
    // A background look: never asks about a workspace's Restate URLs (a start will).
    const found = await status(folder.fsPath, { existingRestate: await this.restate.resolve(folder, { ask: false }) });
    if (found.state === "stopped" && found.problem) this.log.channel.warn(`Ignored the lab's state file: ${found.problem}`);
    if (found.state === "ready") {
      this.log.follow(folder.fsPath);
      this.set({ kind: "ready", stack: found });
    } else if (found.state === "failed") this.set({ kind: "error", message: found.error });
    else if (found.state === "stopped") this.set({ kind: "stopped" });
    return this.current;
  }

  async start(folder: vscode.Uri, token?: vscode.CancellationToken, report?: (message: string) => void): Promise<RunningStack> {
    this.folder = folder;
    const workspace = folder.fsPath;
    const abort = new AbortController();
    const cancel = token?.onCancellationRequested(() => abort.abort());
    try {
      const existingRestate = await this.restate.resolve(folder);
      this.set({ kind: "starting", detail: "starting" });
      this.log.follow(workspace);
      this.log.channel.info(`Starting the lab in ${workspace}`);
      const stack = await up(workspace, {
        ...upOptions(folder),
        existingRestate,
        // If this window's extension host dies without deactivating, the lab stops too.
        ownerPid: process.pid,
        signal: abort.signal,
        onProgress: (message) => {
          this.log.channel.info(message);
          report?.(message);
          if (this.current.kind === "starting") this.set({ kind: "starting", detail: message });
        },
        // npm's lines and such: the log has them, the progress notification does not.
        onLog: (line) => this.log.channel.info(line),
      });
      if (!stack.adopted) this.startedHere.add(workspace);
      this.set({ kind: "ready", stack });
      return stack;
    } catch (err) {
      const { message, fix } = describeError(err);
      this.log.channel.error(`${message}${fix ? ` (${fix})` : ""}`);
      // Cancelled here, or stopped from elsewhere while starting: the lab is stopped, not broken.
      const stopped = abort.signal.aborted || (err instanceof LabError && err.code === "start-stopped");
      this.set(stopped ? { kind: "stopped" } : { kind: "error", message });
      throw err;
    } finally {
      cancel?.dispose();
    }
  }

  async stop(folder: vscode.Uri): Promise<{ stopped: number[] }> {
    this.folder = folder;
    this.set({ kind: "stopping" });
    try {
      const result = await down(folder.fsPath, { onProgress: (m) => this.log.channel.info(m) });
      if (result.problem) this.log.channel.warn(`Nothing the lab's state file named was stopped: ${result.problem}`);
      this.startedHere.delete(folder.fsPath);
      this.log.channel.info(result.stopped.length > 0 ? "The lab is stopped" : "The lab was not running");
      return result;
    } finally {
      this.log.stop();
      this.set({ kind: "stopped" });
    }
  }

  /** Reset Lab State: stops the lab and deletes its data (refused, changing nothing, while a replay runs). */
  async reset(folder: vscode.Uri): Promise<ResetResult> {
    this.folder = folder;
    const before = this.current;
    this.set({ kind: "stopping" });
    try {
      const result = await resetLab(folder.fsPath, { onProgress: (m) => this.log.channel.info(m) });
      this.startedHere.delete(folder.fsPath);
      this.log.stop();
      this.set({ kind: "stopped" });
      return result;
    } catch (err) {
      // Refused (a replay runs): the lab is as it was. Anything else: show what is there now.
      this.set(before);
      if (!(err instanceof LabError && err.code === "replay-running")) await this.refresh(folder).catch(() => undefined);
      throw err;
    }
  }

  /** For deactivate: stops every lab this window started. */
  async stopStartedHere(): Promise<void> {
    await Promise.all([...this.startedHere].map((workspace) => down(workspace)));
    this.startedHere.clear();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
