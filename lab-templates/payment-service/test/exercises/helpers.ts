// Shared by the exercises' tests: a real stack that also serves the exercises' services
// (exercises/serve.ts, from exercises/ or, with LAB_EXERCISES_DIR=solutions, solutions/),
// plain HTTP helpers, and the gateway's ledger and receipts as ground truth.
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseLedger, type LedgerEntry } from "../../gateway/contract.ts";
import { call, startStack, type Stack } from "../harness.ts";

export { newId, setFaults, startStack, waitForJournaledRun } from "../harness.ts";
export type { Stack };

/** Which folder the exercise services come from: "exercises" (the default) or "solutions". */
export const exercisesDir = process.env.LAB_EXERCISES_DIR || "exercises";

/** The file of exercise `id` that these tests judge, for the tests' titles. */
export function judged(id: string): string {
  return triedFile(id) ?? `${exercisesDir}/${id}.ts`;
}

function triedFile(id: string): string | undefined {
  return (process.env.LAB_TRY_FILES ?? "")
    .split(",")
    .map((f) => f.trim())
    .find((f) => f !== "" && basename(f).startsWith(`${id}.`));
}

/**
 * The module of exercise `id` that these tests judge: from exercisesDir, or the file that
 * LAB_TRY_FILES names for it (see exercises/serve.ts). For exercises that run in the test
 * itself, such as a client.
 */
export async function exerciseModule<T>(id: string): Promise<T> {
  const tried = triedFile(id);
  const url = tried ? pathToFileURL(resolve(tried)).href : new URL(`../../${exercisesDir}/${id}.ts`, import.meta.url).href;
  return (await import(url)) as T;
}

/** A stack serving the exercises, without the payment service (which only exercise 6 calls, on a stack of its own). */
export function startExerciseStack(env: Record<string, string> = {}): Promise<Stack> {
  return startStack({ paymentService: false, extraService: { entry: "exercises/serve.ts", env: { LAB_EXERCISES_DIR: exercisesDir, ...env } } });
}

export interface Answer {
  status: number;
  body: any;
  invocationId: string | null;
  /** True when Restate answered from its idempotency store (`idempotency-expires` header). */
  replayed: boolean;
}

/** POSTs JSON to the ingress, with optional extra headers (`idempotency-key`, `x-request-key`...). */
export function post(stack: Stack, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(stack, path, body, undefined, headers);
}

export const withKey = (idempotencyKey: string) => ({ "idempotency-key": idempotencyKey });


export async function chargesOf(stack: Stack, paymentId: string): Promise<LedgerEntry[]> {
  return (await ledgerOf(stack, paymentId)).filter((e) => e.type === "charge");
}

export async function refundsOf(stack: Stack, paymentId: string): Promise<LedgerEntry[]> {
  return (await ledgerOf(stack, paymentId)).filter((e) => e.type === "refund");
}

async function ledgerOf(stack: Stack, paymentId: string): Promise<LedgerEntry[]> {
  const res = await fetch(`${stack.gateway}/ledger?paymentId=${encodeURIComponent(paymentId)}`);
  return parseLedger(await res.json());
}

/** The emails ("receipts") the gateway sent for a payment or order id. */
export async function emailsOf(stack: Stack, paymentId: string): Promise<Array<{ id: string; idempotencyKey: string | null }>> {
  const res = await fetch(`${stack.gateway}/receipts?paymentId=${encodeURIComponent(paymentId)}`);
  return (await res.json()) as Array<{ id: string; idempotencyKey: string | null }>;
}

/** Charges a payment directly at the gateway, as another system would have. */
export async function chargeAtGateway(stack: Stack, paymentId: string, amount: number): Promise<{ id: string }> {
  const res = await fetch(`${stack.gateway}/charges`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ paymentId, amount, currency: "USD" }),
  });
  if (res.status !== 201) throw new Error(`the gateway did not take the charge: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

export async function clearFaults(stack: Stack): Promise<void> {
  await fetch(`${stack.gateway}/faults`, { method: "DELETE" });
}

/**
 * Kills the exercise service while the invocation of `target` ("Service/key/handler") is
 * running, `afterMs` after Restate first shows it running, and starts the service again.
 * Restate then retries the invocation on the new process.
 */
export async function crashWhileRunning(stack: Stack, target: string, afterMs: number): Promise<void> {
  await waitUntilRunning(stack, target);
  await sleep(afterMs);
  await stack.restartExtraService();
}

/** Waits (10 s at most) until Restate shows an invocation of `target` ("Service/key/handler") running. */
export async function waitUntilRunning(stack: Stack, target: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`${stack.admin}/query`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: `SELECT status FROM sys_invocation WHERE target = '${target}'` }),
    });
    const rows = ((await res.json()) as { rows?: Array<{ status: string }> }).rows ?? [];
    if (rows.some((r) => r.status === "running")) return;
    if (Date.now() > deadline) throw new Error(`no invocation of ${target} was running within 10 s`);
    await sleep(20);
  }
}

/** Polls until `check` returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
