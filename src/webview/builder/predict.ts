// Predict, then run: the prediction fields in the builder, before a run (after it, the run view
// puts the prediction next to the evidence: run/prediction-result.ts).
import "./predict.css";
import { ANSWER_KINDS } from "../../shared/protocol.js";
import type { AnswerKind } from "../../shared/protocol.js";
import { el, uid } from "../ui/dom.js";
import { answerLabel } from "../ui/format.js";
import { checkPrediction } from "./prediction-model.js";
import type { PredictionDraft, PredictionField } from "./prediction-model.js";

/** The builder's prediction fieldset; the builder asks it whether the run may go. */
export class PredictionForm {
  readonly element: HTMLElement;
  private draft: PredictionDraft;
  private readonly inputs: Record<PredictionField, HTMLInputElement>;
  private readonly errors: Record<PredictionField, HTMLElement>;
  private readonly answer: HTMLSelectElement;

  constructor(
    draft: PredictionDraft,
    private readonly onChange: (draft: PredictionDraft) => void,
  ) {
    this.draft = draft;
    const field = (name: PredictionField, label: string, help: string) => {
      const id = uid(`p-${name}`);
      const errorId = `${id}-error`;
      const input = el("input", {
        testid: `predict-${name}`,
        attrs: { id, type: "text", inputmode: "numeric", autocomplete: "off", placeholder: "?", "aria-describedby": `${id}-help ${errorId}` },
      });
      input.value = draft[name];
      input.addEventListener("input", () => this.set({ ...this.draft, [name]: input.value }));
      const error = el("div", { class: "field-error", testid: `predict-${name}-error`, attrs: { id: errorId, hidden: true } });
      this.errors[name] = error;
      this.inputs[name] = input;
      return el("div", { class: `field field-predict-${name}` }, [
        el("label", { text: label, attrs: { for: id } }),
        input,
        el("div", { class: "field-help", text: help, attrs: { id: `${id}-help` } }),
        error,
      ]);
    };
    this.inputs = {} as Record<PredictionField, HTMLInputElement>;
    this.errors = {} as Record<PredictionField, HTMLElement>;
    const answerId = uid("p-answer");
    this.answer = el("select", { testid: "predict-answer", attrs: { id: answerId } }, [
      el("option", { text: "(no prediction)", attrs: { value: "" } }),
      ...ANSWER_KINDS.map((k) => el("option", { text: answerLabel(k), attrs: { value: k } })),
    ]);
    this.answer.value = draft.answer;
    this.answer.addEventListener("change", () => this.set({ ...this.draft, answer: this.answer.value as "" | AnswerKind }));
    this.element = el("fieldset", { class: "fieldset predict", testid: "predict" }, [
      el("legend", { text: "Predict, then run" }),
      el("p", { class: "field-help predict-help", text: "Optional: what do you expect? After the run the panel puts your prediction next to the evidence." }),
      el("div", { class: "field-row" }, [
        field("invocations", "Invocations", "distinct, behind the answers"),
        field("charges", "Charges", "in the gateway's ledger"),
      ]),
      el("div", { class: "field" }, [el("label", { text: "Most requests will be", attrs: { for: answerId } }), this.answer]),
    ]);
    this.showErrors();
  }

  /** The draft after the state reset it (a run spent the prediction). */
  setDraft(draft: PredictionDraft): void {
    if (draft === this.draft) return;
    this.draft = draft;
    this.inputs.invocations.value = draft.invocations;
    this.inputs.charges.value = draft.charges;
    this.answer.value = draft.answer;
    this.showErrors();
  }

  /** Why the run may not go yet, or null. */
  problem(): string | null {
    return Object.keys(checkPrediction(this.draft).errors).length > 0 ? "Fix the prediction above, or clear it, to run." : null;
  }

  private set(draft: PredictionDraft): void {
    this.draft = draft;
    this.showErrors();
    this.onChange(draft);
  }

  private showErrors(): void {
    const { errors } = checkPrediction(this.draft);
    for (const name of ["invocations", "charges"] as const) {
      const message = errors[name];
      this.errors[name].textContent = message ?? "";
      this.errors[name].hidden = message === undefined;
      if (message) this.inputs[name].setAttribute("aria-invalid", "true");
      else this.inputs[name].removeAttribute("aria-invalid");
    }
  }
}
