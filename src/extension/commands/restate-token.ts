// Set and clear the token for a Restate that runs elsewhere (kept in VS Code's secret storage).
import * as vscode from "vscode";
import { toUri, type FolderArg } from "../lab-folder.js";
import { guarded, type Context } from "./context.js";

export function setRestateTokenCommand(ctx: Context) {
  /** `token` skips the input box (for scripts); it is still bound to the configured URLs' origins. */
  return (args: { token?: string; folder?: FolderArg } = {}) =>
    guarded(ctx, async () => {
      const folder = toUri(args.folder) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      const { origins } = await ctx.restate.setToken(folder, args.token);
      if (origins.length > 0) void vscode.window.showInformationMessage(`Restate token saved. It is sent only to ${origins.join(" and ")}.`);
      return { origins };
    });
}

export function clearRestateTokenCommand(ctx: Context) {
  return () =>
    guarded(ctx, async () => {
      await ctx.restate.clearToken();
      void vscode.window.showInformationMessage("Restate token cleared.");
      return { cleared: true };
    });
}
