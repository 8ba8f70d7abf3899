// The pieces scenarios share: the payment they send, the request step most plans are made of,
// the invariants most of them check, and small helpers for explanations told from a run.
import type { AnswerKind, InvariantSpec, RequestOutcome, RequestStep, ServiceName } from "./types.js";

export const PAYMENT = { amount: 10_000, currency: "USD" };

/** A plan step of one request to service.handler: the body PAYMENT, the run's shared key; `more` changes any of it. */
export const oneRequest = (service: ServiceName, handler: string, more: Partial<RequestStep> = {}): RequestStep => ({
  kind: "requests",
  service,
  handler,
  body: PAYMENT,
  key: "shared",
  count: 1,
  concurrency: 1,
  ...more,
});

/** oneRequest with a label: invariants (of, like) and explanations (facts.of) find its requests by it. */
export const namedRequest = (label: string, service: ServiceName, handler: string, more: Partial<RequestStep> = {}): RequestStep =>
  oneRequest(service, handler, { label, ...more });

export const oneCharge: InvariantSpec = { name: "the customer is charged once (gateway ledger)", metric: "charges", expected: 1, role: "safety" };
export const oneInvocation: InvariantSpec = { name: "one invocation behind every answer", metric: "distinctInvocations", expected: 1, role: "safety" };
export const oneResponse: InvariantSpec = { name: "every answer is the same", metric: "distinctResponses", expected: 1, role: "safety" };
export const noFailures: InvariantSpec = { name: "no request failed", metric: "requestsFailed", expected: 0, role: "sanity" };
export const allOk = (n: number | "count"): InvariantSpec => ({ name: "answered 200", metric: "answeredOk", expected: n, role: "sanity" });
export const lostAnswer: InvariantSpec = {
  name: "the gateway's answer to a charge was lost once",
  metric: "lostAnswerInjected",
  expected: true,
  role: "sanity",
};

export const answered = (requests: readonly RequestOutcome[], kind: AnswerKind) => requests.filter((r) => r.answer === kind).length;
export const copies = (n: number) => `${n} ${n === 1 ? "copy" : "copies"}`;
/** "100.00 USD" for a payment or a request body; the JSON otherwise. */
export function money(value: unknown): string {
  const v = value as { amount?: unknown; currency?: unknown } | null;
  return typeof v?.amount === "number" && typeof v.currency === "string" ? `${(v.amount / 100).toFixed(2)} ${v.currency}` : JSON.stringify(value);
}
