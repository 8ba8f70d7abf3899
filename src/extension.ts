// The VS Code side: a thin layer over the lab engine in src/lab. (Commands grow in later work.)
import * as vscode from "vscode";

export function activate(_context: vscode.ExtensionContext): void {
  // Nothing runs at activation: the lab starts only when a command asks for it.
}

export function deactivate(): void {}
