// What a scenario sends, in words: the count a learner chooses, and the requests it adds itself.
import { counted } from "../../shared/wording.js";
import type { RequestStep, Scenario } from "./types.js";

export interface PlanWords {
  /** True when the learner's count changes how many requests go out. */
  adjustable: boolean;
  /** What one of the counted requests is, e.g. "PaymentService.create with one shared key". */
  each: string;
  /** Requests the scenario sends whatever the count (attach calls included). */
  fixed: number;
  /** Whether the counted requests may go out several at a time. */
  concurrent: boolean;
}

export function describePlan(scenario: Scenario): PlanWords {
  const repeated = scenario.plan.filter((s): s is RequestStep => s.kind === "requests" && s.count === "options");
  const fixed = scenario.plan.reduce((n, s) => n + (s.kind === "requests" && s.count !== "options" ? s.count : s.kind === "attach" ? 1 : 0), 0);
  const first = repeated[0];
  return {
    adjustable: first !== undefined,
    each: first ? `${first.service}.${first.handler}${first.via === "send" ? " (/send)" : ""} ${keyWords(first)}` : "",
    fixed,
    concurrent: repeated.some((s) => s.concurrency === "options"),
  };
}

/** The count prompt: what the number counts, and what the scenario adds to it. */
export function countPrompt(scenario: Scenario): string {
  const plan = describePlan(scenario);
  const extra = plan.fixed > 0 ? ` The scenario also sends ${counted(plan.fixed, "request")} of its own.` : "";
  return `How many requests to ${plan.each}?${extra}`;
}

function keyWords(step: RequestStep): string {
  switch (step.key) {
    case "shared":
      return "with one idempotency key";
    case "per-request":
      return "each with a key of its own";
    case "none":
      return "without an idempotency key";
    case "second":
      return "with a second key of its own";
  }
}
