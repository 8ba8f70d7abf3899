// Reading Restate's journal payloads: entry_json shows them as arrays of bytes.
import { describe, expect, it } from "vitest";
import { journalText, traceOf } from "../../src/lab/replay/attempts.js";

const bytes = (text: string) => [...Buffer.from(text, "utf8")];
const run = (index: number, completion: number, name: string) => ({
  id: "inv_1",
  index,
  entry_type: "Command: Run",
  name,
  appended_at: null,
  entry_json: JSON.stringify({ Command: { Run: { completion_id: completion, name } } }),
});
const result = (index: number, completion: number, value: string) => ({
  id: "inv_1",
  index,
  entry_type: "Notification: Run",
  name: null,
  appended_at: "2026-11-30T00:00:00Z",
  entry_json: JSON.stringify({ Notification: { Completion: { Run: { completion_id: completion, result: { Success: bytes(value) } } } } }),
});

describe("journal payloads", () => {
  it("decodes the byte arrays of an entry into text", () => {
    expect(journalText(JSON.stringify({ Command: { SetState: { key: "payment", value: bytes('{"chargeId":"ch_1"}') } } }))).toBe('{"chargeId":"ch_1"}');
    expect(journalText("not json")).toBe("");
    expect(journalText(null)).toBe("");
  });

  it("ties a ledger entry to the ctx.run whose result is it, by the step's name", () => {
    const entries = [
      run(2, 1, "charge"),
      result(3, 1, '{"id":"ch_7","type":"charge"}'),
      run(4, 2, "send receipt"),
      result(5, 2, '{"id":"rc_1","chargeId":"ch_7"}'),
    ];
    expect(traceOf("ch_7", entries)).toEqual({ index: 3, type: "Notification: Run", name: "charge", inRun: true, appendedAt: "2026-11-30T00:00:00Z" });
  });

  it("a mere mention is no journal entry: a charge made outside ctx.run, then named by the receipt step, is in none", () => {
    // anti-pattern-charge-outside-run: the charge ch_8 never went through ctx.run; the receipt
    // step after it carries its id (in its result) and so does the state the handler wrote.
    const entries = [
      run(4, 2, "send receipt"),
      result(5, 2, '{"id":"rc_1","chargeId":"ch_8"}'),
      {
        id: "inv_1",
        index: 6,
        entry_type: "Command: SetState",
        name: null,
        appended_at: null,
        entry_json: JSON.stringify({ Command: { SetState: { key: "payment", value: bytes('{"id":"ch_8","chargeId":"ch_8"}') } } }),
      },
    ];
    expect(traceOf("ch_8", entries)).toBeNull();
    expect(traceOf("rc_1", entries)).toMatchObject({ index: 5, name: "send receipt", inRun: true });
    expect(traceOf("ch_9", entries)).toBeNull();
    expect(traceOf("ch_1", [result(3, 1, '{"id":"ch_10"}')])).toBeNull(); // ch_1 is not ch_10
  });
});
