// Open Restate UI, Show Logs, Open Docs, and the status bar's menu.
import * as vscode from "vscode";
import { COMMANDS } from "../command-ids.js";
import { findLabFolder, type FolderArg } from "../lab-folder.js";
import { LabError } from "../../lab/errors.js";
import { firstDoc } from "../../lab/lab-docs.js";
import { guarded, type Context } from "./context.js";

export function openRestateUiCommand(ctx: Context) {
  return () =>
    guarded(ctx, async () => {
      const state = ctx.session.state;
      if (state.kind !== "ready") throw new LabError("The lab is not running", 'Start it with "Idempotency Lab: Start Lab"', "not-running");
      const url = vscode.Uri.parse(`${state.stack.urls.admin}/ui/`);
      // asExternalUri: when VS Code runs remotely, the browser needs a forwarded address.
      await vscode.env.openExternal(await vscode.env.asExternalUri(url));
      return url.toString();
    });
}

export function showLogsCommand(ctx: Context) {
  return () => {
    ctx.session.log.channel.show(true);
    return ctx.session.log.channel.name;
  };
}

export function openDocsCommand(ctx: Context) {
  return (args: { folder?: FolderArg } = {}) =>
    guarded(ctx, async () => {
      const folder = findLabFolder(args.folder);
      const doc = firstDoc(folder.fsPath);
      if (!doc) throw new LabError(`The lab in ${folder.fsPath} has no docs`, 'Run "Idempotency Lab: Scaffold Lab" on it again to restore them');
      await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(doc));
      return doc;
    });
}

export function statusMenuCommand(ctx: Context) {
  /** `peek` returns what the status bar shows without opening the menu. */
  return async (args: { peek?: boolean } = {}) => {
    const state = ctx.session.state;
    if (args.peek) return { text: ctx.statusBar.text, state: state.kind };
    const picked = await vscode.window.showQuickPick(menuItems(state.kind), { title: `Idempotency Lab: ${state.kind}` });
    if (picked) await vscode.commands.executeCommand(picked.command);
    return { text: ctx.statusBar.text, state: state.kind };
  };
}

type MenuItem = vscode.QuickPickItem & { command: string };
const ITEMS = {
  start: { label: "$(play) Start Lab", command: COMMANDS.start },
  stop: { label: "$(debug-stop) Stop Lab", command: COMMANDS.stop },
  restart: { label: "$(debug-restart) Restart Lab", command: COMMANDS.restart },
  panel: { label: "$(preview) Open Lab Panel", command: COMMANDS.openPanel },
  replay: { label: "$(beaker) Replay Duplicates...", command: COMMANDS.replay },
  restateUi: { label: "$(globe) Open Restate UI", command: COMMANDS.openRestateUi },
  logs: { label: "$(output) Show Logs", command: COMMANDS.showLogs },
  docs: { label: "$(book) Open Docs", command: COMMANDS.openDocs },
} satisfies Record<string, MenuItem>;

/**
 * The status bar menu: the likely next action first (it is preselected), the ones that end the
 * lab's work last, so that Enter never stops a running lab.
 */
export function menuItems(state: string): MenuItem[] {
  const { start, stop, restart, panel, replay, restateUi, logs, docs } = ITEMS;
  switch (state) {
    case "ready":
      return [panel, replay, restateUi, logs, docs, restart, stop];
    case "error":
      return [logs, start, panel, docs];
    case "starting":
    case "stopping":
      return [logs, panel, docs];
    default:
      return [start, panel, docs, logs];
  }
}
