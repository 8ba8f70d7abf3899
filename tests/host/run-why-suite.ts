// The run view explains why (issue 23), the VS Code side: starts the lab and opens the panel; the
// outer driver (run-why.test.ts) runs a duplicate scenario and an anti-pattern in the panel and
// sends back what the requests table, the Attempts card and the invariants showed, checked here
// against the runs' records in the history.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { listRuns, loadRun } from "../../src/lab/history.js";
import type { RunRecord } from "../../src/shared/protocol.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { waitFor, type Case, type DriverSignals } from "./harness.js";

/** What the driver read of one run in the panel. */
export interface WhySeen {
  error?: string;
  runId: string;
  rows: Array<{ index: number; key: string; did: string; kind: string; restateId: string }>;
  attempts: { value: string; hint: string };
  /** The invariants top to bottom, with the group each is in. */
  invariants: Array<{ name: string; ok: boolean; role: string; group: string }>;
  /** The Setup checks heading, when shown. */
  setupTitle: string;
  /** What the duplicate's Copy as cURL button said after a click, and the command it sent to be copied. */
  curl?: { said: string; command: string };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function runOf(folder: string, runId: string): RunRecord {
  assert.ok(
    listRuns(folder).some((r) => r.runId === runId),
    `${runId} is in the history`,
  );
  return loadRun(folder, runId)!;
}

/** The Attempts card against the run's own record of attempts (counted here, not by the panel's model). */
function checkAttempts(seen: WhySeen, run: RunRecord): { invocations: number; attempts: number } {
  const list = run.result.attempts;
  assert.ok(list, "the run recorded Restate's attempts");
  const invocations = list.length;
  const attempts = list.reduce((n, i) => n + i.attempts.length, 0);
  assert.equal(seen.attempts.value, String(attempts), "the Attempts card's number");
  assert.ok(
    seen.attempts.hint.startsWith(`${plural(invocations, "invocation")}, ${plural(attempts, "attempt")}: the handler ran `),
    `the Attempts summary: ${seen.attempts.hint}`,
  );
  return { invocations, attempts };
}

/** Failed invariants before the held ones in each group; the sanity ones, and only they, under Setup checks. */
function checkInvariants(seen: WhySeen, run: RunRecord): void {
  assert.equal(seen.invariants.length, run.result.invariants.length, "every invariant is shown");
  for (const i of seen.invariants) assert.equal(i.group, i.role === "sanity" ? "setup" : "safety", `${i.name} is in its group`);
  for (const group of ["safety", "setup"]) {
    const oks = seen.invariants.filter((i) => i.group === group).map((i) => i.ok);
    assert.deepEqual(
      oks,
      [...oks].sort((a, b) => Number(a) - Number(b)),
      `${group}: the failed ones first`,
    );
  }
  if (seen.invariants.some((i) => i.role === "sanity")) assert.equal(seen.setupTitle, "Setup checks");
  const failed = run.result.invariants.find((i) => !i.ok);
  if (failed) assert.equal(seen.invariants[0]?.ok, false, "a failed invariant is listed first");
}

/** The run view's cases, on the running lab `stack()` (panel-views-suite.ts runs them). */
export function runWhyCases(folder: vscode.Uri, signals: DriverSignals, stack: () => RunningStack | undefined): Case[] {
  return [
    [
      "duplicates in a row: each duplicate's row shows the key sent and that Restate replayed the first request's answer",
      async () => {
        const seen = await signals.wait<WhySeen>("duplicates-seen");
        assert.equal(seen.error, undefined, seen.error);
        const run = runOf(folder.fsPath, seen.runId);
        assert.equal(run.result.id, "duplicates-in-a-row");
        const details = [...run.result.requestsDetail].sort((a, b) => a.index - b.index);
        assert.ok(details.length >= 2, "a duplicate was sent");
        assert.equal(seen.rows.length, details.length, "a row per request");
        const [first, second] = details;
        const row = (i: number) => seen.rows.find((r) => r.index === i)!;
        assert.equal(row(first!.index).did, "ran");
        assert.equal(row(second!.index).key, second!.idempotencyKey, "the key sent");
        assert.notEqual(row(second!.index).kind, "ran", "the duplicate did not run the handler");
        assert.equal(second!.invocationId, first!.invocationId, "the same invocation");
        assert.equal(second!.answer, "replayed");
        assert.equal(row(second!.index).did, `replayed #${first!.index}'s answer`);
        assert.ok(second!.restateId, "the answer's x-restate-id is in the record");
        assert.equal(row(second!.index).restateId, second!.restateId, "the x-restate-id shown is the header's");
        const { invocations, attempts } = checkAttempts(seen, run);
        assert.deepEqual([invocations, attempts], [1, 1]);
        assert.equal(seen.attempts.hint, "1 invocation, 1 attempt: the handler ran once");
        checkInvariants(seen, run);
        // Copy as cURL: the same request to the lab's ingress, on the clipboard.
        assert.ok(seen.curl, "the driver clicked Copy as cURL");
        assert.ok(seen.curl.command.startsWith(`curl -i -X POST ${stack()!.urls.ingress.replace(/\/+$/, "")}${second!.path} `), seen.curl.command);
        assert.ok(seen.curl.command.includes(`idempotency-key: ${second!.idempotencyKey}`), seen.curl.command);
        await waitFor("the cURL command on the clipboard", async () => (await vscode.env.clipboard.readText()) === seen.curl!.command, 10_000);
      },
    ],
    [
      "a retry after a client timeout: the timed-out request started the invocation, the retry attached to it (not 'ran')",
      async () => {
        const seen = await signals.wait<WhySeen>("timeout-seen");
        assert.equal(seen.error, undefined, seen.error);
        const run = runOf(folder.fsPath, seen.runId);
        assert.equal(run.result.id, "retry-after-timeout");
        const details = [...run.result.requestsDetail].sort((a, b) => a.sentAtMs - b.sentAtMs);
        const gaveUp = details.find((d) => d.answer === "timed-out");
        assert.ok(gaveUp, `a request timed out at the client: ${details.map((d) => d.answer).join(", ")}`);
        const retry = details.find((d) => d.sentAtMs > gaveUp.sentAtMs && d.invocationId !== null && d.idempotencyKey === gaveUp.idempotencyKey);
        assert.ok(retry, "the retry got an answer with an invocation id");
        // Restate holds one invocation for the key: the retry did not start a second.
        assert.equal(run.result.distinctInvocations, 1);
        const row = seen.rows.find((r) => r.index === retry.index)!;
        assert.notEqual(row.kind, "ran", `the retry's row: ${row.did}`);
        assert.match(row.did, new RegExp(`#${gaveUp.index}`), "it names the timed-out request");
      },
    ],
    [
      "an anti-pattern whose handler ran twice: the Attempts card says so, its failed invariant is listed first",
      async () => {
        const seen = await signals.wait<WhySeen>("anti-seen");
        assert.equal(seen.error, undefined, seen.error);
        const run = runOf(folder.fsPath, seen.runId);
        assert.equal(run.result.id, "anti-pattern-charge-outside-run");
        const { invocations, attempts } = checkAttempts(seen, run);
        assert.ok(attempts > invocations, `a retry: ${invocations} invocation(s), ${attempts} attempts`);
        if (invocations === 1 && attempts === 2) assert.equal(seen.attempts.hint, "1 invocation, 2 attempts: the handler ran twice");
        assert.ok(
          run.result.invariants.some((i) => !i.ok),
          "the anti-pattern failed an invariant",
        );
        checkInvariants(seen, run);
      },
    ],
  ];
}
