// The chaos run's form in the "Next run" card (the catalog's "Chaos run"): target, seed, payments, requests
// per payment and duration, checked against the engine's limits as the learner types; its
// action bar (Run, Stop, the progress) is the same as the request builder's.
import "./chaos-form.css";
import type { ChaosRunRequest, ChaosSettings } from "../../shared/protocol.js";
import { MAX_CHAOS_SEED } from "../../shared/protocol.js";
import { validateChaos, targetLabel } from "./chaos-model.js";
import type { ChaosCheck, ChaosField, ChaosValues } from "./chaos-model.js";
import { el, section, uid } from "../ui/dom.js";
import { formatCount } from "../ui/format.js";
import { RunForm, textInput } from "../ui/run-form.js";

export interface ChaosFormCallbacks {
  onChange(values: ChaosValues): void;
  onRun(request: ChaosRunRequest): void;
  onStop(): void;
}

export class ChaosForm extends RunForm<ChaosField> {
  readonly element: HTMLElement;
  private check: ChaosCheck;

  constructor(
    private values: ChaosValues,
    private readonly settings: ChaosSettings,
    private readonly cb: ChaosFormCallbacks,
  ) {
    super("chaos-form", "Chaos run", () => cb.onStop());
    this.check = validateChaos(values, settings);
    const range = (k: "payments" | "duplicates" | "durationS") => `${formatCount(settings[k].min)} to ${formatCount(settings[k].max)}`;
    const form = el(
      "form",
      { class: "builder-form chaos-form", testid: "chaos-form", attrs: { id: this.formId, novalidate: true, "aria-label": "Chaos run" } },
      [
        // What the run judges first: the handler under test.
        this.targetField(),
        this.numberField("seed", "Seed", {
          testid: "chaos-seed",
          placeholder: "new random seed",
          help: `Empty: a new one, shown with the result. The same seed replays the same faults (0 to ${formatCount(MAX_CHAOS_SEED)}).`,
        }),
        el("div", { class: "field-row" }, [
          this.numberField("payments", "Payments", { testid: "chaos-payments", help: range("payments") }),
          this.numberField("duplicates", "Requests each", { testid: "chaos-duplicates", help: range("duplicates") }),
        ]),
        this.numberField("durationS", "Duration (s)", { testid: "chaos-duration", help: `${range("durationS")} seconds; faults run in the first four fifths` }),
        el("p", {
          class: "chaos-intro small",
          text: "Many payments, each sent several times with and without keys, while a seeded schedule of faults runs. A checker then judges every payment from the ledger and the answers.",
        }),
      ],
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!this.bar.isRunning && this.canRun && this.check.request) this.cb.onRun(this.check.request);
    });
    this.element = section("Chaos run", { testid: "builder", class: "builder" }, [form]);
    this.update();
  }

  private set(field: ChaosField, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.check = validateChaos(this.values, this.settings);
    this.cb.onChange(this.values);
    this.update();
  }

  protected update(): void {
    this.showCheck(this.check.errors, this.check.request !== null);
  }

  private numberField(name: Exclude<ChaosField, "target">, label: string, o: { testid: string; help: string; placeholder?: string }): HTMLElement {
    const id = uid(`chaos-${name}`);
    const input = textInput(id, { testid: o.testid, inputmode: "numeric", placeholder: o.placeholder });
    input.value = this.values[name];
    input.addEventListener("input", () => this.set(name, input.value));
    return this.field(name, id, label, input, o);
  }

  private targetField(): HTMLElement {
    const id = uid("chaos-target");
    const select = el(
      "select",
      { testid: "chaos-target", attrs: { id } },
      this.settings.targets.map((t) => el("option", { text: targetLabel(t), attrs: { value: t } })),
    );
    select.value = this.values.target;
    select.addEventListener("change", () => this.set("target", select.value));
    return this.field("target", id, "Target", select, {
      testid: "chaos-target",
      help: "PaymentService should keep every promise; an anti-pattern should be caught.",
    });
  }
}
