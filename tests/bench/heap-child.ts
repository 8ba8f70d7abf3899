// Peak heap of the replay engine for a 10,000-request run, in a process of its own so that
// nothing else (autocannon, the bench's own bookkeeping) is counted. Prints one JSON line.
// Usage: node --import tsx tests/bench/heap-child.ts <ingress> <admin> <gateway> <count> <concurrency>
import { runScenario } from "../../src/lab/replay/run.js";
import { SCENARIOS } from "../../src/lab/replay/scenarios.js";
import type { Scenario } from "../../src/lab/replay/types.js";

const [ingress, admin, gateway, countArg, concurrencyArg] = process.argv.slice(2);
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const base = SCENARIOS.find((s) => s.id === "duplicates-in-a-row")!;
// duplicates-in-a-row, but with the requested concurrency instead of one at a time.
const scenario: Scenario = {
  ...base,
  id: "bench-heap",
  plan: base.plan.map((s) => (s.kind === "requests" ? { ...s, concurrency: "options" as const } : s)),
};

let peak = process.memoryUsage().heapUsed;
const baseline = peak;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};
const timer = setInterval(sample, 10);
const started = performance.now();
const result = await runScenario({ ingress: ingress!, admin: admin!, gateway: gateway! }, scenario, {
  count,
  concurrency,
  onProgress: (done) => {
    if (done % 100 === 0) sample();
  },
});
sample();
clearInterval(timer);
console.log(
  JSON.stringify({
    peakHeapBytes: peak,
    startHeapBytes: baseline,
    requests: result.requests,
    verdict: result.verdict,
    failed: result.requestsDetail.filter((r) => r.answer === "failed" || r.answer === "timed-out").length,
    ms: Math.round(performance.now() - started),
  }),
);
