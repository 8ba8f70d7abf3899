// Turns what a run observed into invariant results and a verdict.
import type { Expectation, InvariantResult, InvariantSpec, LedgerEntry, PlanEvent, RequestOutcome, Scenario, Verdict } from "./types.js";

/** Everything the metrics are computed from. */
export interface Observations {
  requests: RequestOutcome[];
  /** The gateway's ledger for the run's payments (maxChargesPerPayment). */
  ledger?: LedgerEntry[];
  /** The run's admin calls and waits (stopped, entryRemoved). */
  events?: PlanEvent[];
  charges: number;
  refunds: number;
  receipts: number;
  /** Receipts per payment id (receipts measured `of` a label); absent: only the total is known. */
  receiptsByPayment?: Record<string, number>;
  restateInvocations: number;
  lostAnswerInjected: boolean;
  serviceCrashed: boolean;
  /** The count the scenario ran with (its "options" steps). */
  count: number;
}

export function distinctResponses(requests: RequestOutcome[]): number {
  return new Set(requests.filter((r) => r.status !== null).map((r) => `${r.status} ${canonical(r.response)}`)).size;
}

export function distinctInvocations(requests: RequestOutcome[]): number {
  return new Set(requests.map((r) => r.invocationId).filter((id) => id !== null)).size;
}

const count = (requests: RequestOutcome[], answer: RequestOutcome["answer"]) => requests.filter((r) => r.answer === answer).length;

/** The requests a spec measures: those of its labelled steps, or all. */
const selected = (obs: Observations, label: string | undefined) => (label === undefined ? obs.requests : obs.requests.filter((x) => x.label === label));
const answeredOf = (requests: RequestOutcome[]) => requests.filter((x) => x.status !== null);

export function measure(metric: InvariantSpec["metric"], obs: Observations, spec: Partial<InvariantSpec> = {}): number | boolean {
  const r = selected(obs, spec.of);
  switch (metric) {
    case "charges":
    case "refunds": {
      if (spec.of === undefined) return metric === "charges" ? obs.charges : obs.refunds;
      // The ledger of the payments the labelled requests went to.
      const ids = new Set(r.map((x) => x.paymentId));
      return (obs.ledger ?? []).filter((e) => e.type === (metric === "charges" ? "charge" : "refund") && ids.has(e.paymentId)).length;
    }
    case "receipts":
      if (spec.of === undefined) return obs.receipts;
      return [...new Set(r.map((x) => x.paymentId))].reduce((n, id) => n + (obs.receiptsByPayment?.[id] ?? 0), 0);
    case "distinctResponses":
      return distinctResponses(r);
    case "distinctInvocations":
      return distinctInvocations(r);
    case "restateInvocations":
      return obs.restateInvocations;
    case "requestsFailed":
      return count(r, "failed");
    case "requestsTimedOut":
      return count(r, "timed-out");
    case "answeredOk":
      return r.filter((x) => x.status === 200).length;
    case "replayed":
      return count(r, "replayed");
    case "attached":
      return count(r, "attached");
    case "previouslyAccepted":
      return count(r, "previously-accepted");
    case "timesCounted": {
      const last = r.filter((x) => x.status === 200).at(-1)?.response as { timesCounted?: number } | undefined;
      return last?.timesCounted ?? 0;
    }
    case "lostAnswerInjected":
      return obs.lostAnswerInjected;
    case "serviceCrashed":
      return obs.serviceCrashed;
    case "bodiesIgnored":
      return bodiesIgnored(r);
    case "executed":
      return count(r, "executed");
    case "replayHeaders":
      return r.filter((x) => x.replayHeader).length;
    case "status":
      return r[0]?.status ?? 0;
    case "sameInvocation":
    case "sameAnswer": {
      const reference = answeredOf(spec.like === undefined ? obs.requests : selected(obs, spec.like))[0];
      const answered = answeredOf(r);
      if (!reference || answered.length === 0) return false;
      return metric === "sameInvocation"
        ? answered.every((x) => x.invocationId !== null && x.invocationId === reference.invocationId)
        : answered.every((x) => x.status === reference.status && canonical(x.response) === canonical(reference.response));
    }
    case "stopped":
      return (obs.events ?? []).some((e) => e.kind === "stop" && e.status >= 200 && e.status < 300);
    case "entryRemoved":
      return (obs.events ?? []).some((e) => e.kind === "wait" && e.until === "removal" && e.reached);
    case "paused":
      return (obs.events ?? []).some((e) => e.kind === "wait" && e.until === "paused" && e.reached);
    case "answerField": {
      const last = r.filter((x) => x.status === 200).at(-1)?.response as Record<string, unknown> | undefined;
      const value = spec.field === undefined ? undefined : last?.[spec.field];
      return typeof value === "number" ? value : 0;
    }
    case "maxChargesPerPayment": {
      const perPayment = new Map<string, number>();
      for (const e of obs.ledger ?? []) if (e.type === "charge") perPayment.set(e.paymentId, (perPayment.get(e.paymentId) ?? 0) + 1);
      return Math.max(0, ...perPayment.values());
    }
  }
}

/** True when requests that sent another body than the first were answered with the first one's payment. */
function bodiesIgnored(requests: RequestOutcome[]): boolean {
  const first = requests[0]?.body as { amount?: number; currency?: string } | undefined;
  const others = requests.filter((r) => r.status === 200 && canonical(r.body) !== canonical(first));
  return (
    others.length > 0 &&
    others.every((r) => {
      const answer = r.response as { amount?: number; currency?: string } | null;
      return answer?.amount === first?.amount && answer?.currency === first?.currency;
    })
  );
}

export function evaluate(spec: InvariantSpec, obs: Observations): InvariantResult {
  const observed = measure(spec.metric, obs, spec);
  const { label, ok } = check(spec.expected, observed, obs.count);
  return { name: spec.name, expected: label, observed, ok, role: spec.role };
}

function check(expected: Expectation, observed: number | boolean, n: number): { label: string | number | boolean; ok: boolean } {
  if (typeof expected === "number" || typeof expected === "boolean") return { label: expected, ok: observed === expected };
  if (expected === "count") return { label: n, ok: observed === n };
  if ("atLeast" in expected) return { label: `>= ${expected.atLeast}`, ok: typeof observed === "number" && observed >= expected.atLeast };
  if ("atMost" in expected) return { label: `<= ${expected.atMost}`, ok: typeof observed === "number" && observed <= expected.atMost };
  const want = n - expected.countMinus;
  return { label: want, ok: observed === want };
}

/**
 * safe: an idempotent handler kept every safety invariant. unsafe: an anti-pattern broke one, as
 * it is meant to. unexpected: anything else (a safe handler that double-charged, an anti-pattern
 * that did not show its flaw, or a run that did not go as planned).
 */
export function verdictOf(kind: Scenario["kind"], invariants: InvariantResult[]): Verdict {
  if (invariants.some((i) => i.role === "sanity" && !i.ok)) return "unexpected";
  const safe = invariants.filter((i) => i.role === "safety").every((i) => i.ok);
  if (kind === "idempotent") return safe ? "safe" : "unexpected";
  return safe ? "unexpected" : "unsafe";
}

// Duplicates share one parsed answer object (send.ts): its canonical form is computed once, not
// once per request (a profile of 5,000 duplicates showed it among the engine's top costs).
// Answers are never changed after parsing, so the cached form stays right.
const canonicalForms = new WeakMap<object, string>();

/** JSON with sorted keys, so equal objects compare equal whatever their key order. */
export function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return sortedJson(value);
  let form = canonicalForms.get(value);
  if (form === undefined) {
    form = sortedJson(value);
    canonicalForms.set(value, form);
  }
  return form;
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
