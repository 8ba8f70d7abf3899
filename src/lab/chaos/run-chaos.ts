// A chaos run: the seeded workload against the lab while the seeded fault schedule runs, then
// the checker over the evidence. Clients behave as careful ones do: a request whose answer was
// lost (a connection refused, a timeout, a 5xx from a restarting lab) is sent again, with the
// same idempotency key when it had one.
import { randomBytes } from "node:crypto";
import type { ChaosRequest, ChaosResult, ChaosViolation, FaultEvent } from "../../shared/chaos-result.js";
import type { LedgerEntry } from "../../shared/run-result.js";
import { authHeaders } from "../origins.js";
import { poll, sleep } from "../poll.js";
import { query } from "../restate-admin.js";
import { attemptsOf } from "../replay/attempts.js";
import { setFaults } from "../replay/gateway.js";
import { sendOne } from "../replay/send.js";
import type { LabTarget } from "../replay/target.js";
import { check, faultsAround } from "./checker.js";
import { schedule as planSchedule, workload, type ChaosOptions, type PlannedRequest } from "./plan.js";
import { parseLedger } from "../../../lab-templates/payment-service/gateway/contract.js";

export interface ChaosTarget extends LabTarget {
  /** Kills restate-server; resolves when the lab has it back. Absent when Restate is not the lab's. */
  crashRestate?: () => Promise<void>;
}

export interface RunChaosOptions extends Omit<ChaosOptions, "processFaults"> {
  /** "PaymentService" or "PaymentAntiPatterns/<handler>". */
  target: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onFault?: (event: FaultEvent) => void;
  /** Apply only these faults of the seed's schedule (their indexes); all of them when absent. A shrunk run's. */
  faults?: readonly number[];
}

const MAX_TRIES = 8;
const TRY_TIMEOUT_MS = 30_000;
const IN_FLIGHT = 200;

export async function runChaos(target: ChaosTarget, o: RunChaosOptions): Promise<ChaosResult> {
  const options: ChaosOptions = { ...o, processFaults: target.crashService !== undefined };
  const anti = o.target.startsWith("PaymentAntiPatterns/");
  const runId = randomBytes(3).toString("hex");
  const paymentId = (p: number) => `chaos-${o.seed}-${runId}-${p}`;
  const faults = planSchedule(options).filter((f) => o.faults === undefined || o.faults.includes(f.index));
  // Anti-pattern handlers have no refund: their payments get creates only.
  const planned = workload(options).filter((r) => !(anti && r.handler === "refund"));
  const startedAt = new Date();
  const origin = performance.now();
  const now = () => Math.round(performance.now() - origin);
  const stopped = () => o.signal?.aborted === true;

  await setFaults(target, null);
  const driver = driveFaults(target, faults, now, stopped, o.onFault);
  const requests: ChaosRequest[] = new Array(planned.length);
  let done = 0;
  let inFlight = 0;
  const sends: Promise<void>[] = [];
  for (const r of planned) {
    while ((now() < r.atMs || inFlight >= IN_FLIGHT) && !stopped()) await sleep(Math.min(50, Math.max(1, r.atMs - now())));
    if (stopped()) break;
    inFlight++;
    sends.push(
      send(target, o.target, r, paymentId(r.payment), `${runId}-${r.handler}-${r.payment}`, origin, stopped).then((outcome) => {
        requests[r.index] = outcome;
        inFlight--;
        o.onProgress?.(++done, planned.length);
      }),
    );
  }
  await Promise.all(sends);
  await driver;
  await setFaults(target, null).catch(() => {});
  const ids = [...new Set(planned.map((r) => paymentId(r.payment)))];
  await settle(target, ids, stopped);

  const sent = requests.filter((r): r is ChaosRequest => r !== undefined);
  const ledger = await ledgerOf(target, `chaos-${o.seed}-${runId}-`);
  const verdicts = check({ requests: sent, ledger, paymentIds: ids });
  const violations: ChaosViolation[] = [];
  // One history per broken payment, a few at most: enough to see the pattern, small enough to read.
  for (const b of verdicts.broken.slice(0, 5)) {
    const own = sent.filter((r) => r.paymentId === b.paymentId);
    const entries = ledger.filter((e) => e.paymentId === b.paymentId);
    const attempts = await attemptsOf(target.admin, [b.paymentId], entries, target.credential).catch(() => ({ invocations: [] }));
    violations.push({ ...b, history: { requests: own, faults: faultsAround(own, faults), attempts: attempts.invocations, ledger: entries } });
  }
  const verdict = verdicts.broken.length > 0 ? "unsafe" : "safe";
  return {
    kind: "chaos",
    seed: o.seed,
    target: o.target,
    options: { payments: o.payments, duplicates: o.duplicates, durationS: o.durationS },
    startedAt: startedAt.toISOString(),
    durationMs: now(),
    schedule: faults,
    requests: sent,
    payments: verdicts.payments,
    invariants: verdicts.invariants,
    violations,
    verdict,
    expectedVerdict: anti ? "unsafe" : "safe",
    stopped: stopped(),
  };
}

/** Applies each fault at its time; stamps it with when it was applied and how that went. */
async function driveFaults(
  target: ChaosTarget,
  faults: FaultEvent[],
  now: () => number,
  stopped: () => boolean,
  onFault?: (e: FaultEvent) => void,
): Promise<void> {
  const endings: Promise<void>[] = [];
  for (const f of faults) {
    while (now() < f.atMs && !stopped()) await sleep(Math.min(50, f.atMs - now()));
    if (stopped()) return;
    const atMs = now();
    try {
      switch (f.kind) {
        case "gateway-latency":
          await setFaults(target, { latencyMs: f.amount });
          endings.push(sleep(f.durationMs).then(() => setFaults(target, { latencyMs: 0 }).catch(() => {})));
          break;
        case "lost-answer":
          await setFaults(target, { timeoutAfterCharge: f.amount });
          break;
        case "failing-calls":
          await setFaults(target, { failNext: f.amount });
          break;
        case "service-kill":
          await target.crashService!();
          break;
        case "restate-kill":
          if (!target.crashRestate) throw new Error("restate-server is not the lab's own here");
          await target.crashRestate();
          break;
      }
      f.applied = { atMs, ok: true };
    } catch (err) {
      f.applied = { atMs, ok: false, note: (err as Error).message };
    }
    onFault?.(f);
  }
  await Promise.all(endings);
}

/** One planned request, tried again while its answer is lost; returns what the client finally saw. */
async function send(
  target: ChaosTarget,
  service: string,
  r: PlannedRequest,
  paymentId: string,
  key: string,
  origin: number,
  stopped: () => boolean,
): Promise<ChaosRequest> {
  const [name, handler] = service.includes("/") ? service.split("/") : [service, r.handler];
  const path = `/${name}/${encodeURIComponent(paymentId)}/${r.handler === "refund" ? "refund" : handler}`;
  const idempotencyKey = r.keyed ? key : null;
  const sentAtMs = Math.round(performance.now() - origin);
  let last: Awaited<ReturnType<typeof sendOne>> | null = null;
  let tries = 0;
  while (tries < MAX_TRIES && !stopped()) {
    tries++;
    last = await sendOne({
      index: r.index,
      step: 0,
      ingress: target.ingress,
      method: "POST",
      path,
      paymentId,
      idempotencyKey,
      body: r.body,
      clientTimeoutMs: TRY_TIMEOUT_MS,
      headers: authHeaders(target.credential, target.ingress),
      origin,
    });
    const lostAnswer = last.status === null || last.status >= 500;
    if (!lostAnswer) break;
    await sleep(Math.min(2000, 200 * 2 ** (tries - 1)));
  }
  return {
    index: r.index,
    paymentId,
    handler: r.handler,
    idempotencyKey,
    sentAtMs,
    answeredAtMs: last && last.status !== null ? Math.round(last.sentAtMs + last.latencyMs) : null,
    tries,
    status: last?.status ?? null,
    response: last?.response ?? null,
    invocationId: last?.invocationId ?? null,
    error:
      last?.status === null
        ? (last.error ?? "no answer")
        : last && last.status >= 500
          ? `HTTP ${last.status} on the last of ${tries} tries`
          : stopped() && !last
            ? "the run was stopped before it was sent"
            : null,
  };
}

/** Waits until Restate has finished every invocation of the run's payments (retries in the background included). */
async function settle(target: ChaosTarget, paymentIds: string[], stopped: () => boolean): Promise<void> {
  const keys = paymentIds.map((id) => `'${id}'`).join(", ");
  const sql = `SELECT count(*) AS n FROM sys_invocation WHERE target_service_key IN (${keys}) AND status != 'completed'`;
  await poll(
    async () =>
      stopped() || Number((await query<{ n: number | string }>(target.admin, sql, { credential: target.credential }).catch(() => [{ n: 1 }]))[0]?.n ?? 0) === 0,
    // Past the deadline the checker judges what there is: an invocation still retrying shows in its history.
    { what: "Restate to finish the run's invocations", everyMs: 250, timeoutMs: 60_000, onTimeout: () => true },
  );
}

async function ledgerOf(target: ChaosTarget, prefix: string): Promise<LedgerEntry[]> {
  const res = await fetch(`${target.gateway}/ledger`);
  if (!res.ok) throw new Error(`The gateway's ledger did not answer (${res.status})`);
  return parseLedger(await res.json()).filter((e) => e.paymentId.startsWith(prefix));
}
