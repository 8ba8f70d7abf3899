// What the panel shows of every payment of a chaos run, read once the run ended: the gateway's
// ledger entries and Restate's attempts of each invocation. The engine's ChaosResult keeps them
// only for a violation's history; a learner opening any payment's history needs them too.
import type { ChaosEvidence, ChaosResult } from "../../shared/chaos-record.js";
import type { LedgerEntry } from "../../shared/run-result.js";
import { attemptsOf } from "../replay/attempts.js";
import type { LabTarget } from "../replay/target.js";
import { parseLedger } from "../../../lab-templates/payment-service/gateway/contract.js";

export async function chaosEvidence(target: Pick<LabTarget, "admin" | "gateway" | "credential">, result: ChaosResult): Promise<ChaosEvidence> {
  const ids = result.payments.map((p) => p.paymentId);
  const own = new Set(ids);
  let ledger: LedgerEntry[];
  try {
    const res = await fetch(`${target.gateway}/ledger`);
    if (!res.ok) throw new Error(`the gateway's ledger answered ${res.status}`);
    ledger = parseLedger(await res.json()).filter((e) => own.has(e.paymentId));
  } catch (err) {
    return {
      ledger: [],
      attempts: [],
      error: `The ledger could not be read after the run (${(err as Error).message}): each payment's history shows its requests and faults only.`,
    };
  }
  try {
    const { invocations } = await attemptsOf(target.admin, ids, ledger, target.credential);
    return { ledger, attempts: invocations };
  } catch (err) {
    return { ledger, attempts: [], error: `Restate's attempts could not be read after the run (${(err as Error).message}).` };
  }
}
