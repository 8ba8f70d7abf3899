// A custom run's faults, each named with what it did in this run: told from the run's own
// observations (its requests, Restate's records of the attempts, the ledger and its links, the
// run's events and invariants), never from what the fault is meant to do.
import type { AttemptRecord, InvocationAttempts, RunRecord } from "../../shared/protocol.js";
import { counted, formatMs } from "../ui/format.js";
import { answerCounts, ledgerForPayments } from "./run-model.js";

export interface FaultStory {
  id: "slow-gateway" | "lost-answer" | "crash" | "client-timeout";
  fault: string;
  did: string;
}

type Result = RunRecord["result"];

export function faultStories(record: RunRecord): FaultStory[] {
  if (record.request.scenario !== "custom") return [];
  const f = record.request.faults ?? {};
  const r = record.result;
  const stories: FaultStory[] = [];
  if (f.slowGatewayMs)
    stories.push({ id: "slow-gateway", fault: `Slow gateway: it waited ${formatMs(f.slowGatewayMs)} before each charge.`, did: slowStory(r) });
  if (f.gatewayTimeoutAfterCharge)
    stories.push({ id: "lost-answer", fault: "Lost answer: the gateway recorded the next charge and never answered it.", did: lostStory(r) });
  if (f.crashAfterJournal)
    stories.push({ id: "crash", fault: "Crash: the lab kills the service once the journal shows the charge's ctx.run completed.", did: crashStory(r) });
  if (record.request.clientTimeoutMs)
    stories.push({
      id: "client-timeout",
      fault: `Client timeout: the client gave up after ${formatMs(record.request.clientTimeoutMs)}.`,
      did: timeoutStory(r),
    });
  return stories;
}

const firstLine = (s: string) => s.split("\n")[0]!.trim();
const charges = (r: Result) => ledgerForPayments(r).filter((e) => e.type === "charge");
const chargeCount = (r: Result) =>
  `The ledger has ${counted(charges(r).length, "charge")} for the payment${
    charges(r).length > 0
      ? ` (${charges(r)
          .map((c) => c.id)
          .join(", ")})`
      : ""
  }.`;

function slowStory(r: Result): string {
  const slowest = charges(r)
    .map((c) => ({ c, ms: c.requestedAt ? Date.parse(c.at) - Date.parse(c.requestedAt) : NaN }))
    .filter((x) => Number.isFinite(x.ms));
  const counts = answerCounts(r.requestsDetail);
  const first = [...r.requestsDetail].sort((a, b) => a.index - b.index)[0];
  const parts = [
    slowest.length > 0
      ? `The gateway recorded ${slowest.map((x) => `${x.c.id} ${formatMs(x.ms)} after it got the request`).join(", ")}.`
      : "The ledger had no charge for the payment when the run read it.",
    !first
      ? ""
      : first.answer === "timed-out"
        ? `The first request got no answer: the client gave up after ${formatMs(first.latencyMs)}.`
        : `The first request was answered after ${formatMs(first.latencyMs)}.`,
    counts.attached > 0
      ? `${counted(counts.attached, "request")} arrived while the invocation was still running and attached to it.`
      : "No request attached to a running invocation.",
  ];
  return parts.filter((p) => p !== "").join(" ");
}

/** The attempts that failed, with the invocation they belong to. */
function failures(r: Result): Array<{ inv: InvocationAttempts; a: AttemptRecord }> {
  return (r.attempts ?? []).flatMap((inv) => inv.attempts.filter((a) => a.outcome === "failed").map((a) => ({ inv, a })));
}

function lostStory(r: Result): string {
  const lost = r.invariants.find((i) => i.name.includes("answer to a charge was lost"));
  const links = new Map((r.ledgerLinks ?? []).map((l) => [l.ledgerId, l]));
  const parts: string[] = [];
  if (lost)
    parts.push(
      lost.ok
        ? "The gateway did lose an answer (the run checked it)."
        : "The gateway's answer was not lost in this run (see the invariants): the fault did not fire.",
    );
  for (const c of charges(r)) {
    const l = links.get(c.id);
    if (!l || l.attempt === null) continue;
    const inv = (r.attempts ?? []).find((i) => i.invocationId === l.invocationId);
    const a = inv?.attempts.find((x) => x.number === l.attempt);
    if (a?.outcome === "failed" && a.error) {
      const after = a.endedAt ? Date.parse(a.endedAt) - Date.parse(c.requestedAt ?? c.at) : NaN;
      const next = inv!.attempts.find((x) => x.number === a.number + 1);
      parts.push(
        `Attempt ${a.number} of ${inv!.invocationId} asked for ${c.id} and failed${Number.isFinite(after) ? ` ${formatMs(after)} later` : ""}: ${firstLine(a.error.message)}.` +
          (next ? ` Restate retried it (attempt ${next.number}, ${next.outcome}).` : ""),
      );
      if (l.journal?.inRun)
        parts.push(`The retry got ${c.id} back from the gateway: it is the result of ctx.run "${l.journal.name}" (journal entry ${l.journal.index}).`);
      else parts.push(`No journal entry holds ${c.id}: Restate knows nothing of that charge.`);
    }
  }
  if (parts.length <= 1 && failures(r).length === 0) parts.push("Restate's records show no failed attempt.");
  parts.push(chargeCount(r));
  return parts.join(" ");
}

function crashStory(r: Result): string {
  const crash = (r.events ?? []).find((e) => e.kind === "crash");
  if (!crash) return `The service was not killed: the run never saw the charge's ctx.run in the journal (see the invariants). ${chargeCount(r)}`;
  const killedAt = Date.parse(r.startedAt) + crash.atMs;
  const hit = failures(r).find(({ a }) => a.endedAt !== null && Date.parse(a.endedAt) >= killedAt);
  const parts = [`The lab killed the service at +${formatMs(crash.atMs)}, once the journal showed ctx.run "${crash.run}" ${crash.state}.`];
  if (hit) {
    const after = hit.inv.attempts.filter((a) => a.number > hit.a.number);
    parts.push(
      `Attempt ${hit.a.number} of ${hit.inv.invocationId} ended with it: ${firstLine(hit.a.error?.message ?? "")}.` +
        (after.length > 0
          ? ` Restate tried ${counted(after.length, "more time")}: ${after.map((a) => `attempt ${a.number} ${a.outcome}${a.error ? ` (${firstLine(a.error.message)})` : ""}`).join("; ")}.`
          : ""),
    );
  } else parts.push("Restate's records show no attempt that failed after the kill.");
  parts.push(chargeCount(r));
  return parts.join(" ");
}

function timeoutStory(r: Result): string {
  const timedOut = r.requestsDetail.filter((d) => d.answer === "timed-out");
  if (timedOut.length === 0) return "Every request was answered before the client's timeout.";
  const ids = new Set(timedOut.map((d) => d.invocationId).filter((i) => i !== null));
  const done = (r.attempts ?? []).filter((i) => ids.has(i.invocationId) && i.status === "completed");
  return (
    `${counted(timedOut.length, "request")} timed out at the client.` +
    (done.length > 0
      ? ` Restate kept running ${done.length === 1 ? "its invocation" : "their invocations"} regardless: ${done.map((i) => `${i.invocationId} completed`).join(", ")}.`
      : "") +
    ` ${chargeCount(r)}`
  );
}
