// Chaos runs for the unit tests: the JSON of two real CLI runs (seed 7, 6 payments, 3 requests
// each, 10 s), against PaymentService and against the charge-outside-run anti-pattern, made into
// the panel's records (their evidence is the violations' own histories: the CLI reads no more).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChaosResult, ChaosRunRecord, ChaosSettings, RunSummary } from "../../../src/shared/protocol.js";
import { START } from "./fixtures.js";

const load = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, name), "utf8")) as ChaosResult;

export const chaosSettings: ChaosSettings = {
  targets: ["PaymentService", "PaymentAntiPatterns/chargeOutsideRun"],
  payments: { min: 1, max: 500, default: 20 },
  duplicates: { min: 2, max: 20, default: 4 },
  durationS: { min: 5, max: 600, default: 20 },
};

export function chaosRecord(runId: string, which: "safe" | "anti" = "safe"): ChaosRunRecord {
  const chaos = load(`chaos-${which}.fixture.json`);
  return {
    runId,
    kind: "chaos",
    request: { seed: 7, payments: chaos.options.payments, duplicates: chaos.options.duplicates, durationS: chaos.options.durationS, target: chaos.target },
    finishedAt: "2026-01-01T10:00:30.000Z",
    chaos,
    evidence: { ledger: chaos.violations.flatMap((v) => v.history.ledger), attempts: chaos.violations.flatMap((v) => v.history.attempts) },
  };
}

/** The history's entry of a chaos run: seed 7 against PaymentService, its 18 requests and 6 charges. */
export const chaosSummary = (runId: string, finishedAt = START): RunSummary => ({
  runId,
  kind: "chaos",
  scenario: "chaos",
  title: "Chaos run: PaymentService",
  verdict: "safe",
  requests: 18,
  charges: 6,
  finishedAt,
  seed: 7,
});
