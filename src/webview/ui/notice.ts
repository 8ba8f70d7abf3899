// The notice above the main view: a request that failed (other than a run, which the builder shows).
import "./notice.css";
import { button, el } from "./dom.js";
import type { Failure } from "./failure.js";

export function renderNotice(notice: Failure, onDismiss: () => void): HTMLElement {
  return el("div", { class: "error-box notice", testid: "panel-error", attrs: { role: "alert" } }, [
    el("div", { class: "notice-text" }, [
      el("strong", { text: `${notice.title}: ` }),
      notice.message,
      notice.fix ? el("div", { class: "error-fix", text: notice.fix }) : null,
    ]),
    button("Dismiss", onDismiss, { class: "secondary small" }),
  ]);
}
