// A run record nested far deeper than the lab writes is refused by the record check, with a
// message, before the panel could draw (and recurse into) it; the check itself does not recurse.
import { describe, expect, it } from "vitest";
import { runRecordProblem } from "../../src/shared/protocol.js";
import { depthProblem, MAX_RECORD_DEPTH } from "../../src/shared/run-record-check.js";
import { chaosRecord } from "./webview/chaos-fixtures.js";
import { outcome, record } from "./webview/fixtures.js";

/** 10,000 nested arrays, parsed from text as a history file would be (JSON.stringify itself overflows on it). */
const deep = () => JSON.parse("[".repeat(10_000) + "]".repeat(10_000)) as unknown;

describe("how deep a record may nest", () => {
  it("the lab's own records pass", () => {
    expect(runRecordProblem(record("r1", [outcome(0, { response: { id: "p1", nested: { a: [1, { b: 2 }] } } })]))).toBeNull();
    expect(runRecordProblem(chaosRecord("c1"))).toBeNull();
  });

  it("a response nested 10,000 levels: the run and the chaos record are refused with a message", () => {
    expect(runRecordProblem(record("r2", [outcome(0, { response: deep() })]))).toBe(`it nests deeper than ${MAX_RECORD_DEPTH} levels`);
    const chaos = chaosRecord("c2") as unknown as { evidence: { ledger: unknown[] } };
    chaos.evidence.ledger = [deep()];
    expect(runRecordProblem(chaos)).toBe(`it nests deeper than ${MAX_RECORD_DEPTH} levels`);
  });

  it("counts levels exactly", () => {
    const nested = (n: number) => JSON.parse("[".repeat(n) + "]".repeat(n)) as unknown;
    expect(depthProblem(nested(MAX_RECORD_DEPTH))).toBeNull();
    expect(depthProblem(nested(MAX_RECORD_DEPTH + 1))).not.toBeNull();
    expect(depthProblem("text")).toBeNull();
    // Objects count as arrays do, and a deep branch after a shallow one is found.
    const objects = (n: number) => JSON.parse('{"a":'.repeat(n) + "1" + "}".repeat(n)) as unknown;
    expect(depthProblem(objects(MAX_RECORD_DEPTH))).toBeNull();
    expect(depthProblem({ shallow: [1, 2], deep: objects(MAX_RECORD_DEPTH) })).not.toBeNull();
  });
});
