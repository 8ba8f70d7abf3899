// Every command the extension contributes, in one place. package.json's contributes.commands
// must list exactly these (a unit test checks).
export const COMMANDS = {
  scaffold: "idempotencyLab.scaffold",
  start: "idempotencyLab.start",
  stop: "idempotencyLab.stop",
  restart: "idempotencyLab.restart",
  replay: "idempotencyLab.replay",
  openPanel: "idempotencyLab.openPanel",
  replayInPanel: "idempotencyLab.replayInPanel",
  showSolution: "idempotencyLab.showSolution",
  openRestateUi: "idempotencyLab.openRestateUi",
  showLogs: "idempotencyLab.showLogs",
  resetLabState: "idempotencyLab.resetLabState",
  openDocs: "idempotencyLab.openDocs",
  statusMenu: "idempotencyLab.statusMenu",
  setRestateToken: "idempotencyLab.setRestateToken",
  clearRestateToken: "idempotencyLab.clearRestateToken",
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The lab panel's webview type (its serializer is registered at activation). */
export const PANEL_VIEW_TYPE = "idempotencyLab.panel";
