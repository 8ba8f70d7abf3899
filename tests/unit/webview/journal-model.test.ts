// The inspector's journal table (src/webview/run/journal-model.ts): each entry's meaning in plain
// words, its value cut short, its time from the run's start, its marks and a legend of those used.
import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../../src/shared/protocol.js";
import { journalRows, legendOf, meaningOf, shortIds, VALUE_SHOWN } from "../../../src/webview/run/journal-model.js";
import { laneOf } from "../../../src/webview/run/lanes-model.js";
import { START } from "./fixtures.js";
import { customLostAnswer } from "./lesson-fixtures.js";

const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();
const entry = (index: number, type: string, over: Partial<JournalEntry> = {}): JournalEntry => ({ index, type, name: "", appendedAt: at(index * 10), ...over });

/** The lost-answer run's journal as Restate 1.7 shows it: attempt 1 failed on ctx.run "charge", the retry stored its result. */
const JOURNAL: JournalEntry[] = [
  entry(0, "Command: Input", { value: '{"amount":10000,"currency":"USD"}' }),
  entry(1, "Command: GetEagerState", { stateKey: "payment" }),
  entry(2, "Command: Run", { name: "charge", completionId: 1 }),
  entry(3, "Notification: Run", { completionId: 1, value: '{"id":"ch_000003","amount":10000}', appendedAt: at(2557) }),
  entry(4, "Command: Run", { completionId: 2 }),
  entry(5, "Notification: Run", { completionId: 2, value: '"2026-01-01T10:00:02.560Z"' }),
  entry(6, "Command: SetState", { name: "payment", value: "x".repeat(200) }),
  entry(7, "Command: Call", { target: "Receipts/pay-1/send", value: "inv_1aBcDeFgHiJkLmNoPqRsTuVwXyZ0123" }),
  entry(8, "Command: Output", { value: '{"status":"charged"}', appendedAt: null }),
];

describe("the journal table", () => {
  it("says what each entry means, naming a Run notification's step from its command", () => {
    expect(JOURNAL.map((e) => meaningOf(e, JOURNAL))).toEqual([
      "input received (the request)",
      "state 'payment' read",
      "ctx.run 'charge' started",
      "ctx.run 'charge' result stored",
      "ctx.date started",
      "ctx.date result stored",
      "state 'payment' written",
      "call to Receipts/pay-1/send",
      "output written (the answer)",
    ]);
  });

  it("tells an unnamed ctx.run from ctx.date, a stored failure from a result, and names types it has no words for", () => {
    const unnamed = [entry(0, "Command: Run", { completionId: 4 }), entry(1, "Notification: Run", { completionId: 4, value: '{"ok":true}' })];
    expect(unnamed.map((e) => meaningOf(e, unnamed))).toEqual(["ctx.run (unnamed) started", "ctx.run (unnamed) result stored"]);
    const failed = [
      entry(0, "Command: Run", { name: "charge", completionId: 1 }),
      entry(1, "Notification: Run", { completionId: 1, value: "failed: declined" }),
    ];
    expect(meaningOf(failed[1]!, failed)).toBe("ctx.run 'charge' failure stored");
    expect(meaningOf(entry(0, "Notification: Run", { completionId: 9 }), [])).toBe("ctx.run (unnamed) result stored");
    expect(meaningOf(entry(0, "Command: Frobnicate", { name: "x" }))).toBe("command: Frobnicate 'x'");
  });

  it("puts each entry in the attempt that appended it, with times from the run's start, values cut short and marks", () => {
    const r = customLostAnswer().result;
    const lane = laneOf(r, r.attempts![0]!.invocationId)!;
    const rows = journalRows(JOURNAL, lane, START);
    expect(rows.map((row) => row.attempt)).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(rows[3]).toMatchObject({ at: "+2.56 s", failedBy: null, ledgerIds: ["ch_000003"], marks: ["ledger"] });
    expect(rows[2]).toMatchObject({ failedBy: 1, marks: ["failed-on"], at: "+20 ms" });
    expect(rows[8]!.at).toBeNull();
    expect(rows[1]!.value).toBeNull();
    expect(rows[6]!.value!.shown).toHaveLength(VALUE_SHOWN);
    expect(rows[6]!.value!.shown.endsWith("…")).toBe(true);
    expect(rows[6]!.value!.whole).toHaveLength(200);
    expect(rows[7]!.value!.shown).toBe("inv_1aBcDe…0123");
    expect(legendOf(rows).map((l) => l.mark)).toEqual(["failed-on", "ledger"]);
    expect(legendOf(rows.slice(0, 2))).toEqual([]);
  });

  it("works without Restate's records of the attempts", () => {
    const rows = journalRows(JOURNAL.slice(0, 2), undefined, START);
    expect(rows.map((r) => [r.attempt, r.marks])).toEqual([
      [null, []],
      [null, []],
    ]);
  });
});

describe("ids in the inspector's sentences", () => {
  it("are shortened the one way the panel shortens ids", () => {
    expect(shortIds("made by attempt 1 of inv_1fsMmBVxeHO31qNs2ACwezyItch48H9mSq; in no journal entry")).toBe(
      "made by attempt 1 of inv_1fsMmB…9mSq; in no journal entry",
    );
    expect(shortIds("inv_short")).toBe("inv_short");
  });
});
