// The soak: a steady mix of fresh payments, duplicates (keyed and not), refunds and the panel's
// custom runs against one lab, with its service killed every few seconds, for SOAK_SECONDS
// (60 by default). Then the evidence is judged by the chaos checker (src/lab/chaos/checker.ts):
// each payment charged exactly once, each refund made once, no answer lost; and the stack's
// memory (RSS of its processes, from /proc) at the end is within 20% of it after warm-up.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { check } from "../../src/lab/chaos/checker.js";
import { random } from "../../src/lab/chaos/plan.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll, sleep } from "../../src/lab/poll.js";
import { query } from "../../src/lab/restate-admin.js";
import { replay } from "../../src/lab/replay/replay.js";
import { sendOne } from "../../src/lab/replay/send.js";
import { crashService, localTarget, type LabTarget } from "../../src/lab/replay/target.js";
import { up } from "../../src/lab/stack.js";
import { readState } from "../../src/lab/state.js";
import type { ChaosRequest } from "../../src/shared/chaos-result.js";
import type { LedgerEntry } from "../../src/shared/run-result.js";
import { cleanUpLabs, newLab } from "../stack/helpers.js";
import { Table } from "./table.js";

const SECONDS = soakSeconds();
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORKERS = 12;
/** After the service is back, this long until it is killed again. */
const KILL_EVERY_MS = 3000;
const WARM_UP_S = Math.max(10, Math.round(SECONDS * 0.15));
const WINDOW_S = 5;

const table = new Table();
afterAll(async () => {
  table.print();
  await cleanUpLabs();
});

function soakSeconds(): number {
  const raw = process.env.SOAK_SECONDS;
  if (raw === undefined || raw === "") return 60;
  if (!/^\d+$/.test(raw) || Number(raw) < 30) throw new Error(`SOAK_SECONDS must be a whole number of seconds, 30 or more (60 by default); got "${raw}"`);
  return Number(raw);
}

interface Payment {
  id: string;
  amount: number;
  charged: boolean;
}

it(
  `soak: ${SECONDS} s of duplicates, payments, refunds and custom runs, the service killed every few seconds`,
  { timeout: (SECONDS + 300) * 1000 },
  async () => {
    const lab = newLab();
    await up(lab, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
    const target = await localTarget(lab);
    const next = random(SEED);
    const run = randomBytes(3).toString("hex");
    const origin = performance.now();
    const elapsedS = () => (performance.now() - origin) / 1000;
    const requests: ChaosRequest[] = [];
    const payments: Payment[] = [];
    const kinds = { fresh: 0, duplicate: 0, keylessDuplicate: 0, refund: 0, custom: 0 };
    let kills = 0;

    const send = async (handler: "create" | "refund", paymentId: string, key: string | null, body: unknown) => {
      const sentAtMs = Math.round(performance.now() - origin);
      let last = null;
      let tries = 0;
      // A careful client: an answer lost to a restart is asked for again, with the same key.
      while (tries < 8) {
        tries++;
        last = await sendOne({
          index: requests.length,
          step: 0,
          ingress: target.ingress,
          method: "POST",
          path: `/PaymentService/${paymentId}/${handler}`,
          paymentId,
          idempotencyKey: key,
          body,
          clientTimeoutMs: 60_000,
          origin,
        });
        if (last.status !== null && last.status < 500) break;
        await sleep(Math.min(2000, 200 * 2 ** (tries - 1)));
      }
      const r: ChaosRequest = {
        index: requests.length,
        paymentId,
        handler,
        idempotencyKey: key,
        sentAtMs,
        answeredAtMs: last!.status === null ? null : Math.round(last!.sentAtMs + last!.latencyMs),
        tries,
        status: last!.status,
        response: last!.response,
        invocationId: last!.invocationId,
        error: last!.status === null ? (last!.error ?? "no answer") : last!.status >= 500 ? `HTTP ${last!.status} after ${tries} tries` : null,
      };
      requests.push(r);
      return r;
    };

    const worker = async () => {
      while (elapsedS() < SECONDS) {
        const roll = next();
        const charged = payments.filter((p) => p.charged);
        if (roll < 0.3 || charged.length === 0) {
          const p: Payment = { id: `soak-${run}-${payments.length}`, amount: 100 * (1 + Math.floor(next() * 100)), charged: false };
          payments.push(p);
          kinds.fresh++;
          const r = await send("create", p.id, `key-${p.id}`, { amount: p.amount, currency: "EUR" });
          p.charged = r.status === 200;
        } else if (roll < 0.6) {
          const p = charged[Math.floor(next() * charged.length)]!;
          const keyed = next() < 0.6;
          kinds[keyed ? "duplicate" : "keylessDuplicate"]++;
          await send("create", p.id, keyed ? `key-${p.id}` : null, { amount: p.amount, currency: "EUR" });
        } else if (roll < 0.85) {
          // Refunds of one id, more than once: each payment's refund must be made exactly once.
          const p = charged[Math.floor(next() * charged.length)]!;
          kinds.refund++;
          await send("refund", p.id, next() < 0.5 ? `refund-key-${p.id}` : null, { refundId: `r-${p.id}`, amount: Math.round(p.amount / 2) });
        } else {
          kinds.custom++;
          const { result } = await replay(lab, { scenario: "custom", count: 4, concurrency: 4, key: "generate" });
          for (const o of result.requestsDetail) {
            requests.push({
              index: requests.length,
              paymentId: o.paymentId,
              handler: "create",
              idempotencyKey: o.idempotencyKey,
              sentAtMs: o.sentAtMs,
              answeredAtMs: o.status === null ? null : o.sentAtMs + o.latencyMs,
              tries: 1,
              status: o.status,
              response: o.response,
              invocationId: o.invocationId,
              error: o.error ?? null,
            });
          }
        }
      }
    };

    const killer = async () => {
      while (elapsedS() < SECONDS - 8) {
        await sleep(KILL_EVERY_MS);
        await crashService(lab); // resolves once the supervisor has it back
        kills++;
      }
    };

    const samples: Array<{ atS: number; total: number; byRole: Record<string, number> }> = [];
    const sampler = async () => {
      while (elapsedS() < SECONDS) {
        samples.push({ atS: elapsedS(), ...rssOf(lab) });
        await sleep(1000);
      }
    };

    await Promise.all([...Array.from({ length: WORKERS }, worker), killer(), sampler()]);
    await settle(target);
    const ledger = (await (await fetch(`${target.gateway}/ledger`)).json()) as LedgerEntry[];
    const paymentIds = [...new Set(requests.map((r) => r.paymentId))];
    const verdicts = check({ requests, ledger, paymentIds });

    const chargesOf = (id: string) => ledger.filter((e) => e.type === "charge" && e.paymentId === id).length;
    const notChargedOnce = paymentIds.filter((id) => chargesOf(id) !== 1);
    const refundsAnswered = new Set(requests.filter((r) => r.handler === "refund" && r.status === 200).map((r) => r.paymentId));
    const refundKeys = new Map<string, number>();
    for (const e of ledger.filter((x) => x.type === "refund")) refundKeys.set(e.paymentId, (refundKeys.get(e.paymentId) ?? 0) + 1);
    const notRefundedOnce = [...new Set([...refundsAnswered, ...refundKeys.keys()])].filter((id) => refundKeys.get(id) !== 1 || !refundsAnswered.has(id));
    const lost = requests.filter((r) => r.status === null || r.status >= 500);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const warm = samples.filter((s) => s.atS >= WARM_UP_S && s.atS < WARM_UP_S + WINDOW_S);
    const end = samples.filter((s) => s.atS >= SECONDS - WINDOW_S);
    const warmMb = median(warm.map((s) => s.total)) / 1024;
    const endMb = median(end.map((s) => s.total)) / 1024;
    const ratio = endMb / warmMb;
    const perRole = (set: typeof samples) =>
      Object.fromEntries(["supervisor", "restate", "gateway", "service"].map((role) => [role, Math.round(median(set.map((s) => s.byRole[role] ?? 0)) / 1024)]));

    const statuses = new Map<string, number>();
    for (const r of requests) statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
    console.log(
      [
        "",
        `Soak: ${SECONDS} s, ${WORKERS} clients at once, seed ${SEED} (SOAK_SECONDS and SOAK_SEED set them)`,
        `  requests     ${requests.length}: ${Object.entries(kinds)
          .map(([k, n]) => `${n} ${k}`)
          .join(", ")} (custom runs send 4 each)`,
        `  answers      ${[...statuses].map(([s, n]) => `${n} x ${s}`).join(", ")}; retried ${requests.filter((r) => r.tries > 1).length}; lost ${lost.length}`,
        `  service      killed ${kills} times (SIGKILL), started again by the supervisor each time`,
        `  ledger       ${paymentIds.length} payments: ${ledger.filter((e) => e.type === "charge").length} charges, ${ledger.filter((e) => e.type === "refund").length} refunds; not charged exactly once: ${notChargedOnce.length}; refunds not made exactly once: ${notRefundedOnce.length}`,
        `  invariants   ${verdicts.invariants.map((i) => `${i.name}: ${i.holds ? "holds" : `${i.violations} violations`}`).join("; ")}`,
        `  memory (RSS) after warm-up (${WARM_UP_S}-${WARM_UP_S + WINDOW_S} s): ${warmMb.toFixed(1)} MB ${JSON.stringify(perRole(warm))}`,
        `               at the end (last ${WINDOW_S} s): ${endMb.toFixed(1)} MB ${JSON.stringify(perRole(end))}; end/warm-up ${ratio.toFixed(3)}`,
        "",
      ].join("\n"),
    );

    const observed = {
      chargedOnce: notChargedOnce.length === 0,
      refundedOnce: notRefundedOnce.length === 0,
      answersLost: lost.length,
      brokenInvariants: verdicts.broken.length,
      serviceKilled: kills >= 3,
    };
    const expected = { chargedOnce: true, refundedOnce: true, answersLost: 0, brokenInvariants: 0, serviceKilled: true };
    table.add("soak", `${SECONDS} s: ${requests.length} requests, ${paymentIds.length} payments, ${kills} service kills`, expected, observed);
    const memory = { withinTwentyPercent: Math.abs(ratio - 1) <= 0.2 };
    table.add(
      "soak",
      `stack memory: ${warmMb.toFixed(0)} MB after warm-up, ${endMb.toFixed(0)} MB at the end (x${ratio.toFixed(2)})`,
      { withinTwentyPercent: true },
      memory,
    );
    expect(
      observed,
      JSON.stringify({
        notChargedOnce: notChargedOnce.slice(0, 5),
        notRefundedOnce: notRefundedOnce.slice(0, 5),
        lost: lost.slice(0, 3),
        broken: verdicts.broken.slice(0, 3),
      }),
    ).toEqual(expected);
    expect(memory, `${warmMb} MB -> ${endMb} MB`).toEqual({ withinTwentyPercent: true });
  },
);

/** The resident memory (KiB) of each of the lab's processes now, and their sum. */
function rssOf(lab: string): { total: number; byRole: Record<string, number> } {
  const state = readState(workspacePaths(lab).state);
  const byRole: Record<string, number> = {};
  for (const [role, pid] of Object.entries(state?.pids ?? {})) {
    try {
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      if (kib) byRole[role] = Number(kib);
    } catch {
      // between a kill and the restart: no service for this sample
    }
  }
  return { total: Object.values(byRole).reduce((a, b) => a + b, 0), byRole };
}

/** Waits until Restate has finished every invocation (retries after the last kill included). */
async function settle(target: LabTarget): Promise<void> {
  await poll(
    async () =>
      Number((await query<{ n: number | string }>(target.admin, "SELECT count(*) AS n FROM sys_invocation WHERE status != 'completed'"))[0]?.n ?? 1) === 0,
    {
      what: "Restate to finish the soak's invocations",
      everyMs: 250,
      timeoutMs: 120_000,
    },
  );
}
