// The lab's output in its own channel: the engine writes Restate's, the gateway's and the
// service's lines, prefixed, to .lab/lab.log; this follows that file into a log channel.
import { lstatSync } from "node:fs";
import * as vscode from "vscode";
import { readLabFileFrom } from "../lab/lab-files.js";
import { workspacePaths } from "../lab/paths.js";

export class LabLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel("Idempotency Lab", { log: true });
  private timer: ReturnType<typeof setInterval> | undefined;
  private file: string | undefined;
  private offset = 0;
  private pending = "";
  /** The last lines written, newest last: what the channel shows, for a quick look in tests. */
  readonly recent: string[] = [];

  /** Follows the lab log of `workspace` from its current end. */
  follow(workspace: string): void {
    const file = workspacePaths(workspace).log;
    if (this.file === file && this.timer) return;
    this.stop();
    this.file = file;
    this.offset = size(file);
    this.timer = setInterval(() => this.drain(), 250);
  }

  /** Reads what is left, then stops following. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.drain();
  }

  private drain(): void {
    if (!this.file) return;
    if (size(this.file) < this.offset) this.offset = 0; // the log was reset
    // Never through a link: a workspace could point lab.log at any file of the user's.
    const { text, end } = readLabFileFrom(this.file, this.offset);
    this.offset = end;
    if (!text) return;
    const lines = (this.pending + text).split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) this.write(line);
  }

  private write(line: string): void {
    this.recent.push(line);
    if (this.recent.length > 200) this.recent.shift();
    if (/\bERROR\b|\berror\b:/.test(line)) this.channel.error(line);
    else if (/\bWARN\b/.test(line)) this.channel.warn(line);
    else this.channel.info(line);
  }

  dispose(): void {
    this.stop();
    this.channel.dispose();
  }
}

function size(file: string): number {
  try {
    return lstatSync(file).size; // a link is not followed, not even for its size
  } catch {
    return 0;
  }
}
