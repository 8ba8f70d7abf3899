// The extension's second bundle (dist/features.cjs), loaded on first use rather than at
// activation: the commands' work, the lab panel and the Test Explorer's runs, with the replay and
// chaos engines they drive (most of the extension's code). extension.ts reaches it only through
// features() in load-features.ts; its own modules import these types, never these values.
export { scaffoldCommand } from "./commands/scaffold.js";
export { resetCommand, restartCommand, startCommand, stopCommand } from "./commands/lifecycle.js";
export { replayCommand } from "./commands/replay.js";
export { openDocsCommand, openRestateUiCommand, showLogsCommand, statusMenuCommand } from "./commands/tools.js";
export { clearRestateTokenCommand, setRestateTokenCommand } from "./commands/restate-token.js";
export { replayInPanelCommand, showSolutionCommand } from "./commands/learning.js";
export { LabPanel } from "./panel/lab-panel.js";
// What the Test Explorer lists and runs (src/extension/test-explorer.ts).
export { CHAOS_DEFAULTS } from "../lab/chaos/plan.js";
export { EXAM_TARGETS } from "../lab/chaos/chaos.js";
export { runAndKeepChaos } from "../lab/chaos/record.js";
export { describeChaos } from "../lab/chaos/report.js";
export { replay } from "../lab/replay/replay.js";
export { describe } from "../lab/replay/report.js";
export { SCENARIOS } from "../lab/replay/scenarios.js";
