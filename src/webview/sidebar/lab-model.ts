// What the lab status box says for each state of the lab, and whether Start and Run are possible.
import type { LabStatus } from "../../shared/protocol.js";

export interface LabView {
  state: LabStatus["state"];
  headline: string;
  detail: string | null;
  urls: { label: string; url: string }[];
  showStart: boolean;
  startDisabled: boolean;
  canRun: boolean;
}

export function describeLab(lab: LabStatus | null): LabView {
  if (lab === null)
    return { state: "stopped", headline: "Connecting to the extension…", detail: null, urls: [], showStart: false, startDisabled: true, canRun: false };
  switch (lab.state) {
    case "ready":
      return {
        state: "ready",
        headline: "Lab ready",
        detail: null,
        urls: [
          { label: "ingress", url: lab.ingress },
          { label: "admin", url: lab.admin },
          { label: "gateway", url: lab.gateway },
        ],
        showStart: false,
        startDisabled: true,
        canRun: true,
      };
    case "starting":
      return { state: "starting", headline: "Lab starting…", detail: null, urls: [], showStart: true, startDisabled: true, canRun: false };
    case "stopping":
      return { state: "stopping", headline: "Lab stopping…", detail: null, urls: [], showStart: true, startDisabled: true, canRun: false };
    case "error":
      return { state: "error", headline: "Lab error", detail: lab.message, urls: [], showStart: true, startDisabled: false, canRun: false };
    default:
      return {
        state: "stopped",
        headline: "Lab stopped",
        detail: "Start it to run scenarios.",
        urls: [],
        showStart: true,
        startDisabled: false,
        canRun: false,
      };
  }
}
