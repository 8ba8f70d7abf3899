// A scenario built from the panel's request builder: the learner's own body, key, count,
// timeout and faults against PaymentService.create, judged by the invariants that always
// hold for an idempotent create.
import { CUSTOM_SCENARIO, type RunRequest } from "../../shared/protocol.js";
import { LabError } from "../errors.js";
import type { Faults, InvariantSpec, PlanStep, Scenario } from "./types.js";

/** A request body the learner typed, as JSON; a LabError saying what is wrong otherwise. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LabError(`The body is not valid JSON (${(err as Error).message})`, 'Write it as JSON, for example {"amount": 1000, "currency": "USD"}');
  }
}

export function customScenario(request: RunRequest): Scenario {
  const body = request.body === undefined ? CUSTOM_SCENARIO.body : parseBody(request.body);
  const f = request.faults ?? {};
  const faults: Faults = {};
  if (f.slowGatewayMs) faults.latencyMs = f.slowGatewayMs;
  if (f.gatewayTimeoutAfterCharge) faults.timeoutAfterCharge = 1;
  // Holds the handler after the charge long enough to crash it (below the service's 2 s gateway timeout).
  if (f.crashAfterJournal) faults.receiptLatencyMs = 1500;

  const plan: PlanStep[] = [
    ...(Object.keys(faults).length > 0 ? [{ kind: "faults" as const, faults }] : []),
    {
      kind: "requests",
      service: "PaymentService",
      handler: "create",
      body,
      key: request.key === "none" ? "none" : "shared",
      count: "options",
      concurrency: "options",
      ...(request.clientTimeoutMs ? { clientTimeoutMs: request.clientTimeoutMs } : {}),
      ...(f.crashAfterJournal ? { crashServiceAfter: { run: "charge", state: "completed" as const } } : {}),
    },
  ];
  const invariants: InvariantSpec[] = [
    { name: "the customer is charged at most once (gateway ledger)", metric: "charges", expected: { atMost: 1 }, role: "safety" },
    { name: "every answer is the same", metric: "distinctResponses", expected: { atMost: 1 }, role: "safety" },
    ...(f.gatewayTimeoutAfterCharge
      ? [{ name: "the gateway's answer to a charge was lost once", metric: "lostAnswerInjected" as const, expected: true, role: "sanity" as const }]
      : []),
    ...(f.crashAfterJournal
      ? [{ name: "the service was killed mid-handler", metric: "serviceCrashed" as const, expected: true, role: "sanity" as const }]
      : []),
  ];
  return {
    id: CUSTOM_SCENARIO.id,
    title: "Custom request",
    lesson: "Your own body, key, count and faults against PaymentService.create.",
    kind: "idempotent",
    group: "basics",
    needsLocalService: f.crashAfterJournal === true,
    defaults: { ...CUSTOM_SCENARIO.defaults },
    plan,
    invariants,
    explanation: {
      asExpected: "PaymentService kept its promise: at most one charge in the gateway's ledger, and one answer for every request.",
      otherwise: "Something broke a promise of an idempotent create: see the invariants, the requests and the ledger.",
    },
    conceptsSection: "idempotency-keys",
  };
}
