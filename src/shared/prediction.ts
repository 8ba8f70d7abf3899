// A learner's prediction of a run (made in the panel before it) and its score against what the
// run observed. The extension scores, history keeps both, the panel shows them side by side.
import { ANSWER_KINDS } from "./run-result.js";
import type { AnswerKind, RequestOutcome } from "./run-result.js";

/** The largest count a prediction may name (a run has at most 10,000 requests). */
export const MAX_PREDICTED = 100_000;

/** What the learner expects; each part is optional, at least one is given. */
export interface Prediction {
  /** Distinct invocations behind the answers. */
  invocations?: number;
  /** Charges in the gateway's ledger. */
  charges?: number;
  /** How most requests will be answered. */
  answer?: AnswerKind;
}

export type PredictionPart =
  | { part: "invocations" | "charges"; predicted: number; observed: number; correct: boolean }
  /** observed: the most common answer kinds (more than one on a tie; empty when nothing was sent). */
  | { part: "answer"; predicted: AnswerKind; observed: AnswerKind[]; correct: boolean };

export interface PredictionScore {
  parts: PredictionPart[];
  correct: number;
  of: number;
}

/** The observed side of a prediction: the numbers the run's summary shows. */
export interface PredictionEvidence {
  distinctInvocations: number;
  charges: number;
  requestsDetail: readonly Pick<RequestOutcome, "answer">[];
}

/** The answer kinds most requests got (ties: all of them), in ANSWER_KINDS order. */
export function mostCommonAnswers(requests: readonly Pick<RequestOutcome, "answer">[]): AnswerKind[] {
  const counts = new Map<AnswerKind, number>();
  for (const r of requests) counts.set(r.answer, (counts.get(r.answer) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  return top === 0 ? [] : ANSWER_KINDS.filter((k) => counts.get(k) === top);
}

export function scorePrediction(prediction: Prediction, evidence: PredictionEvidence): PredictionScore {
  const parts: PredictionPart[] = [];
  if (prediction.invocations !== undefined) {
    parts.push({
      part: "invocations",
      predicted: prediction.invocations,
      observed: evidence.distinctInvocations,
      correct: prediction.invocations === evidence.distinctInvocations,
    });
  }
  if (prediction.charges !== undefined) {
    parts.push({ part: "charges", predicted: prediction.charges, observed: evidence.charges, correct: prediction.charges === evidence.charges });
  }
  if (prediction.answer !== undefined) {
    const observed = mostCommonAnswers(evidence.requestsDetail);
    parts.push({ part: "answer", predicted: prediction.answer, observed, correct: observed.includes(prediction.answer) });
  }
  return { parts, correct: parts.filter((p) => p.correct).length, of: parts.length };
}

/** A whole prediction, every part right: what the walkthrough's "predict" step asks for. */
export function isPerfect(score: PredictionScore): boolean {
  return score.of === 3 && score.correct === 3;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_PREDICTED;
const isAnswer = (v: unknown): v is AnswerKind => ANSWER_KINDS.includes(v as AnswerKind);

/** What is wrong with a prediction, or null when it is one. */
export function predictionProblem(v: unknown): string | null {
  if (!isObject(v)) return "is not an object";
  const extra = Object.keys(v).filter((k) => !["invocations", "charges", "answer"].includes(k));
  if (extra.length > 0) return `has unknown fields: ${extra.join(", ")}`;
  if (v.invocations === undefined && v.charges === undefined && v.answer === undefined) return "predicts nothing";
  if (v.invocations !== undefined && !isCount(v.invocations)) return `invocations must be a whole number from 0 to ${MAX_PREDICTED}`;
  if (v.charges !== undefined && !isCount(v.charges)) return `charges must be a whole number from 0 to ${MAX_PREDICTED}`;
  if (v.answer !== undefined && !isAnswer(v.answer)) return "answer must be an answer kind";
  return null;
}

/** What is wrong with a score, or null when the panel can show it. */
export function scoreProblem(v: unknown): string | null {
  if (!isObject(v) || !Array.isArray(v.parts) || !isCount(v.correct) || !isCount(v.of)) return "has no parts and counts";
  for (const p of v.parts as unknown[]) {
    if (!isObject(p) || typeof p.correct !== "boolean") return "has a part without its result";
    if (p.part === "answer") {
      if (!isAnswer(p.predicted) || !Array.isArray(p.observed) || !p.observed.every(isAnswer)) return "has a malformed answer part";
    } else if (p.part === "invocations" || p.part === "charges") {
      if (!isCount(p.predicted) || typeof p.observed !== "number" || !Number.isFinite(p.observed)) return `has a malformed ${p.part} part`;
    } else return "has an unknown part";
  }
  return v.of === v.parts.length && v.correct <= v.of ? null : "counts parts it does not have";
}
