// The webview side of VS Code's message channel. Every outgoing message is checked with the same
// parser the extension uses, so the webview never sends what the extension would drop.
import { parseToExtension } from "../../shared/protocol.js";
import type { ToExtension } from "../../shared/protocol.js";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

export interface Channel {
  post(message: ToExtension): boolean;
  getState(): unknown;
  setState(state: unknown): void;
}

export function connect(): Channel {
  const vscode = acquireVsCodeApi();
  return {
    post(message) {
      const checked = parseToExtension(message);
      if (!checked.ok) {
        console.error(`Idempotency Lab: not sending an invalid message (${checked.error})`, message);
        return false;
      }
      vscode.postMessage(checked.message);
      return true;
    },
    getState: () => vscode.getState(),
    setState: (state) => vscode.setState(state),
  };
}
