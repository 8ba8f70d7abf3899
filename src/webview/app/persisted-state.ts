// What the panel keeps across reloads (vscode.setState): read back field by field, since a stored
// state may come from another version of the panel.
import { MAX_ID_LENGTH } from "../../shared/protocol.js";
import { defaultBuilderValues } from "../builder/builder-model.js";
import type { BuilderValues } from "../builder/builder-model.js";
import type { ChaosValues } from "../chaos/chaos-model.js";

export type MainView = "run" | "compare";

export interface PersistedState {
  version: 1;
  scenarioId: string | null;
  builder: BuilderValues | null;
  /** The chaos form (absent in a state saved before there was one). */
  chaos: ChaosValues | null;
  currentRunId: string | null;
  compareA: string | null;
  compareB: string | null;
  view: MainView;
}

export const EMPTY_STATE: PersistedState = {
  version: 1,
  scenarioId: null,
  builder: null,
  chaos: null,
  currentRunId: null,
  compareA: null,
  compareB: null,
  view: "run",
};

const isStr = (v: unknown): v is string => typeof v === "string";
const optId = (v: unknown): string | null => (isStr(v) && v.length > 0 && v.length <= MAX_ID_LENGTH ? v : null);

/** Reads what vscode.getState() returned, keeping only well-formed fields. */
export function restoreState(raw: unknown): PersistedState {
  if (raw === null || typeof raw !== "object") return { ...EMPTY_STATE };
  const s = raw as Record<string, unknown>;
  if (s.version !== 1) return { ...EMPTY_STATE };
  let builder: BuilderValues | null = null;
  const b = s.builder as Record<string, unknown> | null | undefined;
  if (b && typeof b === "object") {
    const d = defaultBuilderValues();
    const str = (k: keyof BuilderValues) => (isStr(b[k]) ? (b[k] as string) : (d[k] as string));
    builder = {
      count: str("count"),
      concurrency: str("concurrency"),
      paymentMode: b.paymentMode === "fixed" ? "fixed" : "fresh",
      paymentId: str("paymentId"),
      keyMode: b.keyMode === "fixed" || b.keyMode === "none" ? b.keyMode : "generate",
      fixedKey: str("fixedKey"),
      body: str("body"),
      clientTimeoutMs: str("clientTimeoutMs"),
      slowGatewayMs: str("slowGatewayMs"),
      gatewayTimeoutAfterCharge: b.gatewayTimeoutAfterCharge === true,
      crashAfterJournal: b.crashAfterJournal === true,
    };
  }
  const c = s.chaos as Record<string, unknown> | null | undefined;
  const chaos: ChaosValues | null =
    c &&
    typeof c === "object" &&
    ["seed", "payments", "duplicates", "durationS", "target"].every((k) => isStr(c[k]) && (c[k] as string).length <= MAX_ID_LENGTH)
      ? {
          seed: c.seed as string,
          payments: c.payments as string,
          duplicates: c.duplicates as string,
          durationS: c.durationS as string,
          target: c.target as string,
        }
      : null;
  return {
    version: 1,
    scenarioId: optId(s.scenarioId),
    builder,
    chaos,
    currentRunId: optId(s.currentRunId),
    compareA: optId(s.compareA),
    compareB: optId(s.compareB),
    view: s.view === "compare" ? "compare" : "run",
  };
}
