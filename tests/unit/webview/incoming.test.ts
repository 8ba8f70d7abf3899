// The webview's checks of incoming lists and records (src/webview/incoming.ts).
import { describe, expect, it } from "vitest";
import type { AnswerKind } from "../../../src/shared/protocol.js";
import { runRecordProblem, sanitizeScenarios } from "../../../src/webview/incoming.js";
import { burst, outcome, record } from "./fixtures.js";

describe("incoming data", () => {
  it("keeps only well-formed scenarios, never one that claims the custom id", () => {
    const good = { id: "concurrent-burst", title: "t", lesson: "l", kind: "idempotent", defaults: { count: 1, concurrency: 1 }, conceptsSection: "x", needsLocalService: false };
    expect(sanitizeScenarios([good, { ...good, id: "custom" }, { ...good, kind: "other" }, { id: "x" }]).map((s) => s.id)).toEqual(["concurrent-burst"]);
  });

  it("names what is wrong with a malformed run record", () => {
    expect(runRecordProblem(record("r", burst(3)))).toBeNull();
    const broken = record("r", burst(3));
    (broken.result as { ledger?: unknown }).ledger = undefined;
    expect(runRecordProblem(broken)).toMatch(/ledger/);
    const badAnswer = record("r", [outcome(0, { answer: "weird" as AnswerKind })]);
    expect(runRecordProblem(badAnswer)).toMatch(/request/);
  });
});
