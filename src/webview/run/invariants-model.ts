// The run view's invariants in the order a learner reads them: what idempotency protects (the
// safety invariants) with the failed ones first, then the setup checks (the sanity invariants:
// the run did what the scenario planned), also failed first. When only a setup check failed, the
// setup checks come first: the run itself did not go as planned.
import type { InvariantResult } from "../../shared/protocol.js";

export interface InvariantGroup {
  id: "safety" | "setup";
  /** Null for the safety invariants, shown without a heading. */
  title: string | null;
  items: InvariantResult[];
}

const failedFirst = (list: readonly InvariantResult[]) => [...list.filter((i) => !i.ok), ...list.filter((i) => i.ok)];

export function invariantGroups(list: readonly InvariantResult[]): InvariantGroup[] {
  const safety = failedFirst(list.filter((i) => i.role === "safety"));
  const setup = failedFirst(list.filter((i) => i.role === "sanity"));
  const groups: InvariantGroup[] = [];
  if (safety.length > 0) groups.push({ id: "safety", title: null, items: safety });
  if (setup.length > 0) groups.push({ id: "setup", title: "Setup checks", items: setup });
  const onlySetupFailed = setup.some((i) => !i.ok) && safety.every((i) => i.ok);
  return onlySetupFailed ? groups.reverse() : groups;
}
