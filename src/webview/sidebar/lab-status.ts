// The lab's status at the top of the sidebar: its state, its URLs when ready, and Start Lab.
import "./lab-status.css";
import type { LabStatus } from "../../shared/protocol.js";
import { button, el } from "../ui/dom.js";
import { describeLab } from "./lab-model.js";
import type { LabView } from "./lab-model.js";

export function renderLab(lab: LabStatus | null, onStart: () => void): HTMLElement {
  const v: LabView = describeLab(lab);
  return el("div", { class: `lab lab-${v.state}` }, [
    el("div", { class: "lab-status", testid: "lab-status", attrs: { role: "status" } }, [
      el("span", { class: `lab-dot dot-${v.state}`, attrs: { "aria-hidden": "true" } }),
      el("span", { class: "lab-headline", text: v.headline }),
      v.detail ? el("span", { class: `lab-detail ${v.state === "error" ? "error-text" : "muted"}`, text: v.detail }) : null,
      v.urls.length > 0
        ? el(
            "dl",
            { class: "lab-urls" },
            v.urls.flatMap((u) => [el("dt", { text: u.label }), el("dd", { class: "mono", text: u.url })]),
          )
        : null,
    ]),
    v.showStart
      ? button(v.state === "starting" ? "Starting…" : v.state === "stopping" ? "Stopping…" : "Start Lab", onStart, {
          class: "primary wide",
          testid: "start-lab",
          attrs: { disabled: v.startDisabled },
        })
      : null,
  ]);
}
