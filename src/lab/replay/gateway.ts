// The lab's mock payment gateway as the replay engine uses it: the faults a scenario injects,
// and the ledger (and receipts) that say what really happened.
import type { LabTarget } from "./target.js";
import { parseLedger } from "../../../lab-templates/payment-service/gateway/contract.js";
import type { Faults, LedgerEntry } from "./types.js";

export async function setFaults(target: LabTarget, faults: Faults | null): Promise<void> {
  const res = await fetch(`${target.gateway}/faults`, {
    method: faults ? "POST" : "DELETE",
    headers: { "content-type": "application/json" },
    body: faults ? JSON.stringify(faults) : undefined,
  });
  if (!res.ok) throw new Error(`The gateway refused the faults (${res.status}): ${await res.text()}`);
}

export async function getFaults(target: LabTarget): Promise<Required<Faults>> {
  return (await (await fetch(`${target.gateway}/faults`)).json()) as Required<Faults>;
}

export async function ledgerFor(target: LabTarget, paymentId: string): Promise<LedgerEntry[]> {
  const res = await fetch(`${target.gateway}/ledger?paymentId=${encodeURIComponent(paymentId)}`);
  if (!res.ok) throw new Error(`The gateway's ledger did not answer (${res.status})`);
  return parseLedger(await res.json());
}

export async function receiptsFor(target: LabTarget, paymentId: string): Promise<number> {
  return (await receiptsOf(target, paymentId)).length;
}

/** The receipts the gateway sent for a payment, oldest first. */
export async function receiptsOf(target: LabTarget, paymentId: string): Promise<Array<{ id: string; at: string }>> {
  const res = await fetch(`${target.gateway}/receipts?paymentId=${encodeURIComponent(paymentId)}`);
  return res.ok ? ((await res.json()) as Array<{ id: string; at: string }>) : [];
}
