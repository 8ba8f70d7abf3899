// The chaos run's form in the sidebar (the catalog's "Chaos run"): seed, payments, requests per
// payment, duration and target, checked against the engine's limits as the learner types; its
// action bar (Run, Stop, the progress) is the same as the request builder's.
import "./builder.css";
import "./chaos-form.css";
import type { ChaosRunRequest, ChaosSettings } from "../shared/protocol.js";
import { MAX_CHAOS_SEED } from "../shared/protocol.js";
import { validateChaos, targetLabel } from "./chaos-model.js";
import type { ChaosCheck, ChaosField, ChaosValues } from "./chaos-model.js";
import { el, section, uid } from "./dom.js";
import { formatCount } from "./format.js";
import { RunActions } from "./run-actions.js";

export interface ChaosFormCallbacks {
  onChange(values: ChaosValues): void;
  onRun(request: ChaosRunRequest): void;
  onStop(): void;
}

export class ChaosForm {
  readonly element: HTMLElement;
  readonly actions: HTMLElement;
  private readonly bar: RunActions;
  private readonly errors = new Map<ChaosField, { input: HTMLInputElement | HTMLSelectElement; error: HTMLElement }>();
  private check: ChaosCheck;
  private canRun = false;

  constructor(
    private values: ChaosValues,
    private readonly settings: ChaosSettings,
    private readonly cb: ChaosFormCallbacks,
  ) {
    this.check = validateChaos(values, settings);
    const formId = uid("chaos-form");
    this.bar = new RunActions(formId, "Chaos run", () => this.cb.onStop());
    const range = (k: "payments" | "duplicates" | "durationS") => `${formatCount(settings[k].min)} to ${formatCount(settings[k].max)}`;
    const form = el("form", { class: "builder-form chaos-form", testid: "chaos-form", attrs: { id: formId, novalidate: true, "aria-label": "Chaos run" } }, [
      el("p", {
        class: "chaos-intro small",
        text: "Many payments, each sent several times with and without keys, while a seeded schedule of faults runs. A checker then judges every payment from the ledger and the answers.",
      }),
      this.field("seed", "Seed", {
        testid: "chaos-seed",
        placeholder: "new random seed",
        help: `Empty: a new one, shown with the result. The same seed replays the same faults (0 to ${formatCount(MAX_CHAOS_SEED)}).`,
      }),
      el("div", { class: "field-row" }, [
        this.field("payments", "Payments", { testid: "chaos-payments", help: range("payments") }),
        this.field("duplicates", "Requests each", { testid: "chaos-duplicates", help: range("duplicates") }),
      ]),
      this.field("durationS", "Duration (s)", { testid: "chaos-duration", help: `${range("durationS")} seconds; faults run in the first four fifths` }),
      this.targetField(),
    ]);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!this.bar.isRunning && this.canRun && this.check.request) this.cb.onRun(this.check.request);
    });
    this.element = section("Chaos run", { testid: "builder", class: "builder" }, [form]);
    this.actions = this.bar.element;
    this.update();
  }

  setCanRun(canRun: boolean): void {
    this.canRun = canRun;
    this.update();
  }

  setRunning(running: boolean, progress: { done: number; total: number } | null): void {
    this.bar.setRunning(running, progress);
    this.update();
  }

  setFailure(failure: { title: string; message: string; fix?: string } | null): void {
    this.bar.setFailure(failure);
  }

  private set(field: ChaosField, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.check = validateChaos(this.values, this.settings);
    this.cb.onChange(this.values);
    this.update();
  }

  private update(): void {
    for (const [name, f] of this.errors) {
      const message = this.check.errors[name];
      f.error.textContent = message ?? "";
      f.error.hidden = message === undefined;
      if (message) f.input.setAttribute("aria-invalid", "true");
      else f.input.removeAttribute("aria-invalid");
    }
    this.bar.update(this.check.request === null ? "Fix the fields marked above to run." : !this.canRun ? "Start the lab to run." : null);
  }

  private field(name: Exclude<ChaosField, "target">, label: string, o: { testid: string; help: string; placeholder?: string }): HTMLElement {
    const id = uid(`chaos-${name}`);
    const input = el("input", {
      testid: o.testid,
      attrs: {
        id,
        type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        spellcheck: "false",
        placeholder: o.placeholder,
        "aria-describedby": `${id}-error ${id}-help`,
      },
    });
    input.value = this.values[name];
    input.addEventListener("input", () => this.set(name, input.value));
    return this.wrap(name, id, label, input, o.help, o.testid);
  }

  private targetField(): HTMLElement {
    const id = uid("chaos-target");
    const select = el(
      "select",
      { testid: "chaos-target", attrs: { id, "aria-describedby": `${id}-error ${id}-help` } },
      this.settings.targets.map((t) => el("option", { text: targetLabel(t), attrs: { value: t } })),
    );
    select.value = this.values.target;
    select.addEventListener("change", () => this.set("target", select.value));
    return this.wrap("target", id, "Target", select, "PaymentService should keep every promise; an anti-pattern should be caught.", "chaos-target");
  }

  private wrap(name: ChaosField, id: string, label: string, input: HTMLInputElement | HTMLSelectElement, help: string, testid: string): HTMLElement {
    const error = el("div", { class: "field-error", testid: `${testid}-error`, attrs: { id: `${id}-error`, hidden: true } });
    this.errors.set(name, { input, error });
    return el("div", { class: `field field-${name}` }, [
      el("label", { text: label, attrs: { for: id } }),
      input,
      el("div", { class: "field-help", text: help, attrs: { id: `${id}-help` } }),
      error,
    ]);
  }
}
