// What the two run forms (the request builder, the chaos form) share: the action bar
// that runs them (RunActions), and fields that show their validation error under them as the
// learner types. Each form builds its own fields and says what its values check to.
import "./run-form.css";
import { el, uid } from "./dom.js";
import type { Failure } from "./failure.js";
import { RunActions } from "./run-actions.js";

type FieldInput = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** A one-line text input for a field; `field` below adds its label, help and error line. */
export function textInput(id: string, o: { testid?: string; inputmode?: string; placeholder?: string }): HTMLInputElement {
  return el("input", {
    testid: o.testid,
    attrs: { id, type: "text", inputmode: o.inputmode, autocomplete: "off", spellcheck: "false", placeholder: o.placeholder },
  });
}

export abstract class RunForm<F extends string> {
  abstract readonly element: HTMLElement;
  /** Run and Stop with the progress and the error: the action bar's content. */
  readonly actions: HTMLElement;
  /** The form element's id: the action bar's Run button submits it from outside it. */
  protected readonly formId: string;
  protected readonly bar: RunActions;
  protected canRun = false;
  private readonly fields = new Map<F, { input: FieldInput; error: HTMLElement }>();

  protected constructor(formIdPrefix: string, title: string, onStop: () => void) {
    this.formId = uid(formIdPrefix);
    this.bar = new RunActions(this.formId, title, onStop);
    this.actions = this.bar.element;
  }

  setCanRun(canRun: boolean): void {
    this.canRun = canRun;
    this.update();
  }

  setRunning(running: boolean, progress: { done: number; total: number } | null, label?: string): void {
    this.bar.setRunning(running, progress, label);
    this.update();
  }

  setFailure(failure: Failure | null): void {
    this.bar.setFailure(failure);
  }

  /** Shows the form's current check (showCheck) once the state around it changed. */
  protected abstract update(): void;

  /** Marks each field with its error, and tells the action bar why Run is off: a field, else `problem`, else a lab that is not running. */
  protected showCheck(errors: Partial<Record<F, string>>, valid: boolean, problem: string | null = null): void {
    for (const [name, f] of this.fields) {
      const message = errors[name];
      f.error.textContent = message ?? "";
      f.error.hidden = message === undefined;
      if (message) f.input.setAttribute("aria-invalid", "true");
      else f.input.removeAttribute("aria-invalid");
    }
    this.bar.update(!valid ? "Fix the fields marked above to run." : (problem ?? (!this.canRun ? "Start the lab to run." : null)));
  }

  /** A field around `input` (whose id is `id`): its label, the input, a help line and the error line showCheck fills; the input is described by both. */
  protected field(name: F, id: string, label: string, input: FieldInput, o: { testid?: string; help?: string; hiddenLabel?: boolean } = {}): HTMLElement {
    const errorId = `${id}-error`;
    const helpId = `${id}-help`;
    input.setAttribute("aria-describedby", `${errorId} ${o.help ? helpId : ""}`.trim());
    const error = el("div", { class: "field-error", testid: o.testid ? `${o.testid}-error` : undefined, attrs: { id: errorId, hidden: true } });
    this.fields.set(name, { input, error });
    return el("div", { class: `field field-${name}` }, [
      el("label", { text: label, class: o.hiddenLabel ? "visually-hidden" : undefined, attrs: { for: id } }),
      input,
      o.help ? el("div", { class: "field-help", text: o.help, attrs: { id: helpId } }) : null,
      error,
    ]);
  }
}
