// Predict, then run: the prediction the learner types before a run, checked into a Prediction of
// protocol.ts (after the run, run/prediction-result-model.ts puts each part next to its evidence).
import { ANSWER_KINDS, MAX_PREDICTED } from "../../shared/protocol.js";
import type { AnswerKind, Prediction } from "../../shared/protocol.js";
import { parseWholeNumber } from "../ui/whole-number.js";

export interface PredictionDraft {
  invocations: string;
  charges: string;
  answer: "" | AnswerKind;
}

export type PredictionField = "invocations" | "charges";

export const EMPTY_PREDICTION: PredictionDraft = { invocations: "", charges: "", answer: "" };

export interface PredictionCheck {
  /** What the run carries: null when nothing is predicted or a field is wrong. */
  prediction: Prediction | null;
  errors: Partial<Record<PredictionField, string>>;
}

export function checkPrediction(d: PredictionDraft): PredictionCheck {
  const errors: PredictionCheck["errors"] = {};
  const prediction: Prediction = {};
  for (const [field, what] of [
    ["invocations", "the number of invocations"],
    ["charges", "the number of charges"],
  ] as const) {
    if (d[field].trim() === "") continue;
    const n = parseWholeNumber(d[field], 0, MAX_PREDICTED, what);
    if (n.ok) prediction[field] = n.value;
    else errors[field] = n.error;
  }
  if (d.answer !== "" && ANSWER_KINDS.includes(d.answer)) prediction.answer = d.answer;
  const empty = Object.keys(prediction).length === 0;
  return { prediction: empty || Object.keys(errors).length > 0 ? null : prediction, errors };
}

export function isEmptyDraft(d: PredictionDraft): boolean {
  return d.invocations.trim() === "" && d.charges.trim() === "" && d.answer === "";
}
