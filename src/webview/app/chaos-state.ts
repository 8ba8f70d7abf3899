// The chaos run's part of the panel's state (panel-state.ts calls these): the form, the run's
// start, and which payment's history is open in the chaos result.
import type { ChaosRunRequest, ChaosSettings } from "../../shared/protocol.js";
import { defaultChaosValues } from "../chaos/chaos-model.js";
import type { ChaosValues } from "../chaos/chaos-model.js";
import { send } from "./panel-requests.js";
import type { PanelState } from "./panel-types.js";

export type ChaosEvent =
  | { type: "editChaos"; values: ChaosValues }
  | { type: "runChaos"; request: ChaosRunRequest }
  | { type: "openPayment"; paymentId: string | null }
  /** Find the smallest failing run of this chaos run. */
  | { type: "shrink"; runId: string };

export function chaosAct(s: PanelState, event: ChaosEvent): PanelState {
  switch (event.type) {
    case "editChaos":
      return { ...s, chaosValues: event.values };
    case "runChaos":
      // A new chaos result opens on its verdict and first violation, no payment's history.
      return send(s, { type: "chaos", request: event.request }, (next, requestId) => ({
        ...next,
        running: requestId,
        progress: null,
        failure: null,
        notice: null,
        openPayment: null,
      }));
    case "openPayment":
      return { ...s, openPayment: event.paymentId };
    case "shrink":
      // One run at a time: the button is off while one is in progress.
      if (s.running !== null) return s;
      return send(s, { type: "shrink", runId: event.runId }, (next, requestId) => ({
        ...next,
        running: requestId,
        progress: null,
        notice: null,
        shrink: { runId: event.runId, requestId, summary: null },
      }));
  }
}

/** The form's values once the extension said what the engine takes: the restored ones, or the defaults. */
export function chaosValuesFor(values: ChaosValues | null, settings: ChaosSettings): ChaosValues {
  if (values === null) return defaultChaosValues(settings);
  // A target this version no longer offers falls back to the first.
  return settings.targets.includes(values.target) ? values : { ...values, target: settings.targets[0]! };
}
