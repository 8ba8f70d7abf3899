// The action bar's content for a form (the request builder, the chaos form): which run Run
// starts, Run and Stop, why Run is off, the progress and the run's error. The form owns the
// fields and says whether Run may go; this owns the buttons and what they show.
import { button, el } from "./dom.js";
import type { Failure } from "./failure.js";
import { formatCount } from "./format.js";

export class RunActions {
  readonly element: HTMLElement;
  /** The form's submit button, though it sits in the action bar: Enter in a field runs too (the form's submit handler runs it, once). */
  readonly runButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly hint: HTMLElement;
  private readonly progressBox: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly progressBar: HTMLProgressElement;
  private readonly errorBox: HTMLElement;
  private running = false;

  constructor(formId: string, title: string, onStop: () => void, progressLabel = "Requests answered") {
    this.runButton = el("button", {
      class: "primary",
      testid: "run-button",
      text: "Run",
      attrs: { type: "submit", form: formId, "aria-describedby": `${formId}-for` },
    });
    this.stopButton = button(
      "Stop",
      () => {
        this.stopButton.disabled = true;
        this.stopButton.textContent = "Stopping…";
        onStop();
      },
      { class: "secondary", testid: "stop-button", attrs: { hidden: true } },
    );
    this.hint = el("p", { class: "run-hint muted small", testid: "run-hint" });
    this.progressText = el("span", { class: "progress-text", testid: "progress-text" });
    this.progressBar = el("progress", { attrs: { "aria-label": progressLabel }, testid: "progress" });
    this.progressBox = el("div", { class: "progress-box", attrs: { hidden: true } }, [this.progressText, this.progressBar]);
    this.errorBox = el("div", { class: "error-box", testid: "run-error", attrs: { hidden: true, role: "alert" } });
    this.element = el("div", { class: "actions" }, [
      el("p", { class: "action-for", text: title, testid: "action-for", attrs: { id: `${formId}-for`, title } }),
      el("div", { class: "run-row" }, [this.runButton, this.stopButton]),
      this.hint,
      el("div", { class: "live", attrs: { "aria-live": "polite" }, testid: "progress-region" }, [this.progressBox]),
      this.errorBox,
    ]);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** `label`: what the progress says instead of counting answers (a shrink counts runs). */
  setRunning(running: boolean, progress: { done: number; total: number } | null, label?: string): void {
    const was = this.running;
    this.running = running;
    this.stopButton.hidden = !running;
    if (running && !was) {
      this.stopButton.disabled = false;
      this.stopButton.textContent = "Stop";
    }
    this.progressBox.hidden = !running;
    if (!running) return;
    if (progress && progress.total > 0) {
      this.progressBar.max = progress.total;
      this.progressBar.value = Math.min(progress.done, progress.total);
      this.progressText.textContent = label ?? `${formatCount(progress.done)} / ${formatCount(progress.total)} answered`;
    } else {
      this.progressBar.removeAttribute("value");
      this.progressText.textContent = label ?? "Starting the run…";
    }
  }

  setFailure(failure: Failure | null): void {
    this.errorBox.hidden = failure === null;
    this.errorBox.replaceChildren();
    if (failure) {
      this.errorBox.append(el("strong", { text: `${failure.title}: ` }), failure.message);
      if (failure.fix) this.errorBox.append(el("div", { class: "error-fix", text: failure.fix }));
    }
  }

  /** Run is off while running or while `blocked` says why (shown under it). */
  update(blocked: string | null): void {
    this.runButton.disabled = this.running || blocked !== null;
    this.runButton.textContent = this.running ? "Running…" : "Run";
    this.hint.textContent = this.running ? "" : (blocked ?? "");
    this.hint.hidden = this.hint.textContent === "";
  }
}
