// After a predicted run: each predicted part of the run's score next to the evidence of the run
// that scored it (the learner typed the prediction in builder/predict.ts).
import type { PredictionPart, RunRecord } from "../../shared/protocol.js";
import { answerLabel, counted, formatCount } from "../ui/format.js";
import { journalOf } from "./lanes-model.js";
import { answerCounts, describeCounts, ledgerForPayments } from "./run-model.js";

export interface PredictionRow {
  part: PredictionPart["part"];
  label: string;
  predicted: string;
  observed: string;
  correct: boolean;
  /** Where the observed value comes from, in the run's own data. */
  evidence: string;
}

const LABELS = { invocations: "Invocations", charges: "Charges", answer: "Most requests were" } as const;

/** Each predicted part of a scored run, with its evidence; null when the run carries no score. */
export function predictionRows(record: RunRecord): PredictionRow[] | null {
  if (!record.score) return null;
  const r = record.result;
  return record.score.parts.map((p) => {
    if (p.part === "answer") {
      return {
        part: p.part,
        label: LABELS.answer,
        predicted: answerLabel(p.predicted),
        observed: p.observed.length === 0 ? "no answers" : p.observed.map(answerLabel).join(" or "),
        correct: p.correct,
        evidence: `The requests: ${describeCounts(answerCounts(r.requestsDetail))}.`,
      };
    }
    return {
      part: p.part,
      label: LABELS[p.part],
      predicted: formatCount(p.predicted),
      observed: formatCount(p.observed),
      correct: p.correct,
      evidence: p.part === "charges" ? chargeEvidence(r) : invocationEvidence(r),
    };
  });
}

function invocationEvidence(r: RunRecord["result"]): string {
  const base = `${counted(r.distinctInvocations, "distinct invocation")} answered the ${counted(r.requests, "request")}`;
  const retried = (r.attempts ?? []).filter((i) => i.attempts.length > 1);
  if (retried.length === 0) return `${base}.`;
  const first = retried[0]!;
  const failed = first.attempts.find((a) => a.outcome === "failed" && a.error);
  return (
    `${base}; Restate's records show ${retried.length === 1 ? `${first.invocationId} ran in ${counted(first.attempts.length, "attempt")}` : `${retried.length} of them ran more than one attempt`}` +
    (failed ? ` (attempt ${failed.number} failed: ${failed.error!.message.split("\n")[0]})` : "") +
    ": a retry is another attempt of the same invocation, not a new one."
  );
}

function chargeEvidence(r: RunRecord["result"]): string {
  const charges = ledgerForPayments(r).filter((e) => e.type === "charge");
  if (charges.length === 0) return "The gateway's ledger has no charge for the payment.";
  const links = new Map((r.ledgerLinks ?? []).map((l) => [l.ledgerId, l]));
  const parts = charges.slice(0, 5).map((c) => {
    const l = links.get(c.id);
    if (!l || l.attempt === null) return c.id;
    const journal = journalOf(l);
    const trace = journal === null ? "in no journal entry" : `a ctx.run "${journal.name}" result`;
    return `${c.id} (attempt ${l.attempt}, ${trace})`;
  });
  return `The gateway's ledger: ${parts.join(", ")}${charges.length > 5 ? ` and ${charges.length - 5} more` : ""}.`;
}
