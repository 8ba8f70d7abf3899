// What the run view shows of a run record: summary cards, the verdict against the expected one,
// answer counts, and the lookups behind its request, ledger and invocation tables.
import { ANSWER_KINDS, STOPPED_BY_LEARNER } from "../../shared/protocol.js";
import type { AnswerKind, InvocationRow, JournalEntry, LedgerEntry, RequestOutcome, RunRecord, Verdict } from "../../shared/protocol.js";
import { answerLabel, formatCount, formatMs } from "../ui/format.js";
import { attemptsSummary } from "./requests-why-model.js";

export type Result = RunRecord["result"];

/** The invocation inspector of the run on screen: the journal the extension was asked for. */
export interface JournalView {
  /** The inspect request whose answer it waits for. */
  requestId: string;
  invocationId: string;
  /** null while the extension has not answered. */
  entries: JournalEntry[] | null;
  /** Why the journal could not be read. */
  error?: string;
}

export type Tone = "good" | "warn" | "bad" | "neutral";

export interface SummaryCard {
  testid: string;
  label: string;
  value: string;
  /** The number behind the value, for data-value (tests read it without the thousands separators). */
  raw: number;
  tone: Tone;
  hint: string;
}

export function summaryCards(result: Result): SummaryCard[] {
  const payments = Math.max(1, result.paymentIds.length);
  return [
    { testid: "summary-requests", label: "Requests", value: formatCount(result.requests), raw: result.requests, tone: "neutral", hint: "requests sent" },
    {
      testid: "summary-responses",
      label: "Distinct responses",
      value: formatCount(result.distinctResponses),
      raw: result.distinctResponses,
      tone: result.distinctResponses > 1 ? "warn" : "neutral",
      hint: "different answers",
    },
    {
      testid: "summary-invocations",
      label: "Distinct invocations",
      value: formatCount(result.distinctInvocations),
      raw: result.distinctInvocations,
      tone: "neutral",
      hint: "handler runs behind the answers",
    },
    attemptsCard(result),
    {
      testid: "summary-charges",
      label: "Charges",
      value: formatCount(result.charges),
      raw: result.charges,
      tone: result.charges > payments ? "bad" : result.charges === payments ? "good" : "neutral",
      hint: "in the gateway's ledger",
    },
    { testid: "summary-refunds", label: "Refunds", value: formatCount(result.refunds), raw: result.refunds, tone: "neutral", hint: "in the gateway's ledger" },
    { testid: "summary-duration", label: "Duration", value: formatMs(result.durationMs), raw: result.durationMs, tone: "neutral", hint: "whole run" },
  ];
}

/** Beside the invocations: how many attempts they took, from Restate's records ("1 invocation, 2 attempts: the handler ran twice"). */
function attemptsCard(result: Result): SummaryCard {
  const a = attemptsSummary(result);
  return {
    testid: "summary-attempts",
    label: "Attempts",
    value: a.attempts === null ? "—" : formatCount(a.attempts),
    raw: a.attempts ?? 0,
    tone: a.attempts !== null && a.attempts > a.invocations ? "warn" : "neutral",
    hint: a.text,
  };
}

export interface VerdictView {
  /** The verdict, or "stopped" for a run that ended before its plan did (it has no verdict to give). */
  word: Verdict | "stopped";
  tone: Verdict;
  asExpected: boolean;
  /** One sentence about the verdict against the scenario's expected one. */
  comparison: string;
}

export function verdictView(result: Pick<Result, "verdict" | "expectedVerdict" | "kind" | "incomplete">): VerdictView {
  const { verdict, expectedVerdict, incomplete } = result;
  // Part of a run shows no lesson: neither a pass nor a fail, only how far it got.
  if (incomplete) {
    const why = incomplete.reason === STOPPED_BY_LEARNER ? "" : `: ${incomplete.reason}`;
    return {
      word: "stopped",
      tone: "skipped",
      asExpected: false,
      comparison:
        `Stopped before the end (${formatCount(incomplete.sent)} of ${formatCount(incomplete.planned)} requests sent, ` +
        `${formatCount(incomplete.answered)} answered)${why}. No verdict: what shows here covers only those requests.`,
    };
  }
  const asExpected = verdict === expectedVerdict;
  let comparison: string;
  if (verdict === "skipped") comparison = `Skipped: this scenario could not run here (a correct lab shows ${expectedVerdict}).`;
  else if (asExpected && verdict === "safe") comparison = "As expected: every invariant held.";
  else if (asExpected) comparison = "As expected: the anti-pattern showed its flaw.";
  else comparison = `Not what the lesson expects: a correct lab shows ${expectedVerdict}.`;
  return { word: verdict, tone: verdict, asExpected, comparison };
}

export function answerCounts(details: readonly RequestOutcome[]): Record<AnswerKind, number> {
  const counts = Object.fromEntries(ANSWER_KINDS.map((k) => [k, 0])) as Record<AnswerKind, number>;
  for (const d of details) counts[d.answer] = (counts[d.answer] ?? 0) + 1;
  return counts;
}

export function describeCounts(counts: Partial<Record<AnswerKind, number>>): string {
  const parts = ANSWER_KINDS.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${formatCount(counts[k] ?? 0)} ${answerLabel(k)}`);
  return parts.length > 0 ? parts.join(", ") : "no answers";
}

/** Request indices (positions in requestsDetail, sorted by index) that show for an answer filter. */
export function filterRequests(details: readonly RequestOutcome[], kind: AnswerKind | "all"): RequestOutcome[] {
  const sorted = [...details].sort((a, b) => a.index - b.index);
  return kind === "all" ? sorted : sorted.filter((d) => d.answer === kind);
}

export function ledgerForPayments(result: Pick<Result, "ledger" | "paymentIds">): LedgerEntry[] {
  return result.paymentIds.length === 0 ? result.ledger : result.ledger.filter((e) => result.paymentIds.includes(e.paymentId));
}

export function invocationFor(result: Pick<Result, "invocations">, id: string): InvocationRow | undefined {
  return result.invocations.find((i) => i.id === id);
}
