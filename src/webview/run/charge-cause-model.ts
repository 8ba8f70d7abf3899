// Each charge's cause in words: which attempt made it, whether a journal entry holds it, and why
// a later attempt did or did not repeat it. Told only from the run's records (the ledger, its
// links to attempts and journal entries, the attempts) and, when the panel has the handler's
// code, whether its charge call sits inside ctx.run.
import type { AttemptRecord, LedgerEntry, LedgerLink } from "../../shared/protocol.js";
import { ledgerForPayments } from "./run-model.js";
import type { Result } from "./run-model.js";

export interface ChargeCause {
  ledgerId: string;
  /** The attempt that made it, when Restate's records tie it to one. */
  attempt: number | null;
  /** "journaled": a ctx.run result holds it; "mentioned": a journal entry only names its id; "none": no journal entry holds it. */
  journal: "journaled" | "mentioned" | "none" | "unknown";
  text: string;
}

/** `chargeInRun`: whether the handler's charge call is inside ctx.run (from "The code"), or null when not known. */
export function chargeCauses(result: Result, chargeInRun: boolean | null): ChargeCause[] {
  const links = new Map((result.ledgerLinks ?? []).map((l) => [l.ledgerId, l]));
  return ledgerForPayments(result)
    .filter((e) => e.type === "charge")
    .map((e) => chargeCause(e, result.ledgerLinks ? links.get(e.id) : undefined, result, chargeInRun));
}

function chargeCause(entry: LedgerEntry, link: LedgerLink | undefined, result: Result, chargeInRun: boolean | null): ChargeCause {
  const base = { ledgerId: entry.id };
  if (!link)
    return {
      ...base,
      attempt: null,
      journal: "unknown",
      text: "This run's record does not tie the charge to an attempt (it was recorded before the lab read attempts).",
    };
  if (link.attempt === null)
    return {
      ...base,
      attempt: null,
      journal: link.journal ? "journaled" : "unknown",
      text: "No attempt in Restate's records was running when the gateway got this charge.",
    };
  const n = link.attempt;
  const attempts = result.attempts?.find((a) => a.invocationId === link.invocationId)?.attempts ?? [];
  // Read `journal` absent as null: in no journal entry.
  const journal = link.journal ?? null;
  if (journal === null) {
    const made = n > 1 ? `Made by attempt ${n}, a retry` : `Made by attempt ${n}`;
    const why =
      chargeInRun === false
        ? n > 1
          ? "the charge is outside ctx.run, so the retry ran it again"
          : "the charge is outside ctx.run, so a retry of the handler runs it again"
        : chargeInRun === true
          ? `its ctx.run step's result was never journaled, so ${n > 1 ? "the retry ran the step again" : "a retry runs the step again"}`
          : "nothing was recorded that a retry could replay instead of charging";
    return { ...base, attempt: n, journal: "none", text: `${made}. It is in no journal entry: ${why}.` };
  }
  if (!journal.inRun) {
    const outside =
      chargeInRun === false ? `: the charge is outside ctx.run, so ${n > 1 ? "the retry ran it again" : "a retry of the handler runs it again"}` : "";
    return {
      ...base,
      attempt: n,
      journal: "mentioned",
      text: `Made by attempt ${n}${n > 1 ? ", a retry" : ""}. Journal entry ${journal.index} (${journal.type}) names its id, but no ctx.run result holds it${outside}.`,
    };
  }
  const step = `ctx.run "${journal.name}"`;
  const appendedBy = attempts.find((a) => a.entries !== null && a.entries.first <= journal.index && journal.index <= a.entries.last)?.number ?? null;
  const sentences = [`Made by attempt ${n} inside ${step}; journal entry ${journal.index} holds it.`];
  if (appendedBy !== null && appendedBy > n)
    sentences.push(
      entry.idempotencyKey !== null
        ? `Its answer did not reach the handler, so attempt ${appendedBy} ran the step again with the same gateway key (${entry.idempotencyKey}): the gateway answered with this charge instead of making a new one.`
        : `Attempt ${appendedBy} ran the step again and journaled this charge.`,
    );
  const replayed = laterAttempts(attempts, Math.max(n, appendedBy ?? n));
  if (replayed.length > 0) sentences.push(`${capitalized(attemptNames(replayed))} replayed ${step} from the journal: no new charge.`);
  return { ...base, attempt: n, journal: "journaled", text: sentences.join(" ") };
}

function laterAttempts(attempts: readonly AttemptRecord[], after: number): number[] {
  return attempts.map((a) => a.number).filter((m) => m > after);
}

/** "attempt 2", "attempts 2 and 3", "attempts 2, 3 and 4". */
export function attemptNames(numbers: readonly number[]): string {
  if (numbers.length === 1) return `attempt ${numbers[0]}`;
  return `attempts ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
