// The invariants' order and groups in the run view (src/webview/run/invariants-model.ts).
import { describe, expect, it } from "vitest";
import type { InvariantResult } from "../../../src/shared/protocol.js";
import { invariantGroups } from "../../../src/webview/run/invariants-model.js";

const inv = (name: string, ok: boolean, role: InvariantResult["role"]): InvariantResult => ({ name, expected: 1, observed: ok ? 1 : 2, ok, role });

describe("invariant groups", () => {
  it("lists the failed safety invariant first, and the sanity ones under Setup checks", () => {
    const groups = invariantGroups([inv("one answer", true, "safety"), inv("gateway reachable", true, "sanity"), inv("charged once", false, "safety")]);
    expect(groups.map((g) => [g.id, g.title, g.items.map((i) => i.name)])).toEqual([
      ["safety", null, ["charged once", "one answer"]],
      ["setup", "Setup checks", ["gateway reachable"]],
    ]);
  });

  it("puts the setup checks first when only one of them failed", () => {
    const groups = invariantGroups([
      inv("charged once", true, "safety"),
      inv("no request failed", true, "sanity"),
      inv("lost answer injected", false, "sanity"),
    ]);
    expect(groups.map((g) => [g.id, g.items.map((i) => i.name)])).toEqual([
      ["setup", ["lost answer injected", "no request failed"]],
      ["safety", ["charged once"]],
    ]);
  });

  it("leaves out an empty group", () => {
    expect(invariantGroups([inv("charged once", true, "safety")]).map((g) => g.id)).toEqual(["safety"]);
    expect(invariantGroups([])).toEqual([]);
  });
});
