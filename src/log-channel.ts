// The lab's output in its own channel: the engine writes Restate's, the gateway's and the
// service's lines, prefixed, to .lab/lab.log; this follows that file into a log channel.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import * as vscode from "vscode";
import { workspacePaths } from "./lab/paths.js";

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
    const end = size(this.file);
    if (end < this.offset) this.offset = 0; // the log was reset
    if (end === this.offset) return;
    const fd = openSync(this.file, "r");
    try {
      const buffer = Buffer.alloc(end - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = end;
      const lines = (this.pending + buffer.toString("utf8")).split("\n");
      this.pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) this.write(line);
    } finally {
      closeSync(fd);
    }
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
    return statSync(file).size;
  } catch {
    return 0;
  }
}
