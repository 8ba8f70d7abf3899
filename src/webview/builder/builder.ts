// The request builder in the "Next run" card: count and concurrency (and, for the custom request, payment
// id, key, body, timeout and faults), validated as the learner types; and its actions (Run, Stop,
// the progress, why it cannot run), which the layout puts beside it in the card.
import "./builder.css";
import type { RunRequest } from "../../shared/protocol.js";
import { MAX_CLIENT_TIMEOUT_MS, MAX_CONCURRENCY, MAX_COUNT, MAX_SLOW_GATEWAY_MS } from "../../shared/protocol.js";
import { CUSTOM_SCENARIO_ID, validateBuilder } from "./builder-model.js";
import type { BuilderCheck, BuilderField, BuilderValues } from "./builder-model.js";
import { el, section, uid } from "../ui/dom.js";
import { formatCount } from "../ui/format.js";
import { PredictionForm } from "./predict.js";
import type { PredictionDraft } from "./prediction-model.js";
import { RunForm, textInput } from "../ui/run-form.js";

export interface BuilderCallbacks {
  onChange(values: BuilderValues): void;
  onRun(request: RunRequest): void;
  onStop(): void;
  /** The prediction changed (only when the builder asks for one). */
  onPredict?(draft: PredictionDraft): void;
}

export class Builder extends RunForm<BuilderField> {
  readonly element: HTMLElement;
  private check: BuilderCheck;
  private readonly prediction: PredictionForm | null;

  constructor(
    private readonly scenarioId: string,
    private readonly title: string,
    private values: BuilderValues,
    private readonly cb: BuilderCallbacks,
    /** The prediction to ask for before a run; null when the panel does not ask (idempotencyLab.predictBeforeRun). */
    prediction: PredictionDraft | null = null,
  ) {
    super("builder-form", title, () => cb.onStop());
    this.prediction = prediction
      ? new PredictionForm(prediction, (draft) => {
          this.cb.onPredict?.(draft);
          this.update();
        })
      : null;
    this.check = validateBuilder(scenarioId, values);
    const custom = scenarioId === CUSTOM_SCENARIO_ID;
    const form = el("form", { class: "builder-form", attrs: { id: this.formId, novalidate: true, "aria-label": `Request builder: ${title}` } }, [
      el("div", { class: "field-row" }, [
        this.textField("count", "Requests", values.count, { inputmode: "numeric", testid: "builder-count", help: `1 to ${formatCount(MAX_COUNT)}` }),
        this.textField("concurrency", "Concurrency", values.concurrency, {
          inputmode: "numeric",
          testid: "builder-concurrency",
          help: `1 to ${formatCount(MAX_CONCURRENCY)} at a time`,
        }),
      ]),
      ...(custom ? this.customFields() : []),
      this.prediction?.element,
    ]);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.run();
    });
    this.element = section(custom ? "Custom request" : "Request", { testid: "builder", class: "builder" }, [form]);
    this.update();
  }

  /** The prediction after the state changed it (a run spent it). */
  setPrediction(draft: PredictionDraft): void {
    this.prediction?.setDraft(draft);
    this.update();
  }

  private run(): void {
    if (this.bar.isRunning || !this.canRun || !this.check.request || this.prediction?.problem()) return;
    this.cb.onRun(this.check.request);
  }

  private set<K extends keyof BuilderValues>(key: K, value: BuilderValues[K]): void {
    this.values = { ...this.values, [key]: value };
    this.check = validateBuilder(this.scenarioId, this.values);
    this.cb.onChange(this.values);
    this.update();
  }

  protected update(): void {
    this.showCheck(this.check.errors, this.check.request !== null, this.prediction?.problem() ?? null);
  }

  private textField(
    name: BuilderField,
    label: string,
    value: string,
    opts: { inputmode?: string; testid?: string; help?: string; placeholder?: string; multiline?: boolean; hiddenLabel?: boolean; onInput?: () => void } = {},
  ): HTMLElement {
    const id = uid(`f-${name}`);
    const input = opts.multiline ? el("textarea", { testid: opts.testid, attrs: { id, rows: 5, spellcheck: "false" } }) : textInput(id, opts);
    input.value = value;
    input.addEventListener("input", () => {
      opts.onInput?.();
      this.set(name as keyof BuilderValues, input.value as never);
    });
    return this.field(name, id, label, input, opts);
  }

  private radio(group: string, value: string, label: string, checked: boolean, onPick: () => void, testid: string): HTMLElement {
    const id = uid(`r-${group}`);
    const input = el("input", { testid, attrs: { id, type: "radio", name: group, value } });
    input.checked = checked;
    input.addEventListener("change", () => input.checked && onPick());
    return el("div", { class: "choice" }, [input, el("label", { text: label, attrs: { for: id } })]);
  }

  private checkbox(label: string, checked: boolean, onChange: (v: boolean) => void, testid: string): HTMLElement {
    const id = uid("c");
    const input = el("input", { testid, attrs: { id, type: "checkbox" } });
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    return el("div", { class: "choice" }, [input, el("label", { text: label, attrs: { for: id } })]);
  }

  private customFields(): HTMLElement[] {
    const v = this.values;
    const group = uid("g");
    /** A radio that picks `value` for the mode `key`; a mode's radios share one group. */
    const modeRadio = <K extends "paymentMode" | "keyMode">(key: K, value: BuilderValues[K], label: string, testid: string) =>
      this.radio(`${group}-${key === "paymentMode" ? "pay" : "key"}`, value, label, v[key] === value, () => this.set(key, value), testid);
    const pickRadio = (testid: string) => {
      const r = this.element?.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
      if (r && !r.checked) r.checked = true;
    };
    const paymentField = this.textField("paymentId", "Payment id", v.paymentId, {
      testid: "builder-payment-id",
      placeholder: "e.g. pay-42",
      hiddenLabel: true,
      onInput: () => {
        pickRadio("builder-payment-fixed");
        this.values = { ...this.values, paymentMode: "fixed" };
      },
    });
    const keyField = this.textField("fixedKey", "Fixed idempotency key", v.fixedKey, {
      testid: "builder-fixed-key",
      placeholder: "e.g. order-42",
      hiddenLabel: true,
      onInput: () => {
        pickRadio("builder-key-fixed");
        this.values = { ...this.values, keyMode: "fixed" };
      },
    });
    return [
      el("fieldset", { class: "fieldset" }, [
        el("legend", { text: "Payment id" }),
        modeRadio("paymentMode", "fresh", "A new one for each run", "builder-payment-fresh"),
        modeRadio("paymentMode", "fixed", "This one:", "builder-payment-fixed"),
        paymentField,
      ]),
      el("fieldset", { class: "fieldset" }, [
        el("legend", { text: "Idempotency key" }),
        modeRadio("keyMode", "generate", "Generate one, shared by all requests", "builder-key-generate"),
        modeRadio("keyMode", "fixed", "This one:", "builder-key-fixed"),
        keyField,
        modeRadio("keyMode", "none", "None (no idempotency-key header)", "builder-key-none"),
      ]),
      this.textField("body", "Body (JSON)", v.body, { multiline: true, testid: "builder-body" }),
      this.textField("clientTimeoutMs", "Client timeout (ms)", v.clientTimeoutMs, {
        inputmode: "numeric",
        testid: "builder-client-timeout",
        placeholder: "none: wait",
        help: `Optional, 1 to ${formatCount(MAX_CLIENT_TIMEOUT_MS)}: the client gives up after this long`,
      }),
      el("fieldset", { class: "fieldset" }, [
        el("legend", { text: "Faults" }),
        this.textField("slowGatewayMs", "Slow gateway (ms)", v.slowGatewayMs, {
          inputmode: "numeric",
          testid: "builder-slow-gateway",
          placeholder: "0",
          help: `Optional, 0 to ${formatCount(MAX_SLOW_GATEWAY_MS)}: the gateway waits before each charge`,
        }),
        this.checkbox(
          "The gateway times out after charging",
          v.gatewayTimeoutAfterCharge,
          (c) => this.set("gatewayTimeoutAfterCharge", c),
          "builder-fault-gateway-timeout",
        ),
        this.checkbox("Crash the service after the charge is journaled", v.crashAfterJournal, (c) => this.set("crashAfterJournal", c), "builder-fault-crash"),
      ]),
    ];
  }
}
