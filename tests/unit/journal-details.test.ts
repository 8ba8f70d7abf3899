// What the journal reader (src/lab/replay/journal.ts) takes from sys_journal's entry_json, in the
// shapes Restate 1.7 gives: payloads as arrays of bytes, results as Success or Failure.
import { describe, expect, it } from "vitest";
import { entryDetails } from "../../src/lab/replay/journal.js";
import { JOURNAL_VALUE_MAX, parseToWebview } from "../../src/shared/protocol.js";

const bytes = (text: string) => [...Buffer.from(text, "utf8")];

describe("a journal entry's details", () => {
  it("reads a Run notification's result, its completion id, and a Run command's completion id", () => {
    const notification = JSON.stringify({ Notification: { Completion: { Run: { completion_id: 3, result: { Success: bytes('{"id":"ch_1"}') } } } } });
    expect(entryDetails(notification)).toEqual({ completionId: 3, value: '{"id":"ch_1"}' });
    expect(entryDetails(JSON.stringify({ Command: { Run: { completion_id: 3, name: "charge" } } }))).toEqual({ completionId: 3 });
  });

  it("reads a failure's message, a call's target, an input's payload; cuts long values; ignores what is not JSON", () => {
    const failure = JSON.stringify({ Notification: { Completion: { Run: { completion_id: 1, result: { Failure: { code: 500, message: "declined" } } } } } });
    expect(entryDetails(failure).value).toBe("failed: declined");
    const call = JSON.stringify({
      Command: { Call: { request: { service_name: "Receipts", handler_name: "send", key: "pay-1", parameter: bytes("{}") }, result_completion_id: 2 } },
    });
    expect(entryDetails(call)).toMatchObject({ target: "Receipts/pay-1/send", value: "{}" });
    const long = entryDetails(JSON.stringify({ Command: { Input: { headers: [], payload: bytes("y".repeat(1000)) } } }));
    expect(long.value).toHaveLength(JOURNAL_VALUE_MAX);
    expect(long.value!.endsWith("…")).toBe(true);
    const set = JSON.stringify({ Command: { SetState: { key: "payment", value: bytes('{"a":1}'), name: "" } } });
    expect(entryDetails(set)).toEqual({ stateKey: "payment", value: '{"a":1}' });
    expect(entryDetails(JSON.stringify({ Command: { GetEagerState: { key: "payment", result: "Void", name: "" } } }))).toEqual({ stateKey: "payment" });
    const input = JSON.stringify({ Command: { Input: { headers: [{ key: "x-id", value: "1" }], payload: bytes("{}") } } });
    expect(entryDetails(input)).toEqual({ value: "{}" });
    expect(entryDetails("not json")).toEqual({});
    expect(entryDetails(null)).toEqual({});
    expect(entryDetails("null")).toEqual({});
  });

  it("travels to the panel only when well formed", () => {
    const journal = (e: object) =>
      parseToWebview({
        type: "journal",
        requestId: "w-1",
        runId: "r",
        invocationId: "inv_1",
        entries: [{ index: 0, type: "Command: Run", name: "", appendedAt: null, ...e }],
      });
    expect(journal({ value: "v", completionId: 1, target: "A/b" }).ok).toBe(true);
    expect(journal({ value: "v".repeat(JOURNAL_VALUE_MAX + 1) })).toMatchObject({ ok: false });
    expect(journal({ completionId: -1 })).toMatchObject({ ok: false });
    expect(journal({ target: 5 })).toMatchObject({ ok: false });
    expect(journal({ stateKey: ["payment"] })).toMatchObject({ ok: false });
  });
});
