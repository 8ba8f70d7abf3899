// One status bar item that says what the lab is doing; a click opens a small menu.
import * as vscode from "vscode";
import { COMMANDS } from "./command-ids.js";
import type { LabSession, LabState } from "./lab-session.js";

export class LabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("idempotencyLab.status", vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(session: LabSession) {
    this.item.name = "Idempotency Lab";
    this.item.command = COMMANDS.statusMenu;
    this.subscription = session.onDidChange((state) => this.show(state));
    this.show(session.state);
    this.item.show();
  }

  /** The text shown now: tests read it through the status menu command. */
  get text(): string {
    return this.item.text;
  }

  private show(state: LabState): void {
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case "stopped":
        this.item.text = "$(circle-outline) Lab: stopped";
        this.item.tooltip = "Idempotency Lab is stopped. Click for actions.";
        break;
      case "starting":
        this.item.text = "$(sync~spin) Lab: starting";
        this.item.tooltip = state.detail;
        break;
      case "stopping":
        this.item.text = "$(sync~spin) Lab: stopping";
        this.item.tooltip = "Stopping Restate, the gateway and the service";
        break;
      case "ready": {
        const port = (url: string) => new URL(url).port;
        const { urls } = state.stack;
        this.item.text = `$(pass-filled) Lab: ready :${port(urls.ingress)}`;
        this.item.tooltip = `Restate ingress ${urls.ingress}\nRestate admin ${urls.admin}\nGateway ${urls.gateway}\nService ${urls.service}`;
        break;
      }
      case "error":
        this.item.text = "$(error) Lab: error";
        this.item.tooltip = `${state.message}\nClick for actions (Show Logs).`;
        this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        break;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
