// The bench's real-VS-Code part: activation time in the extension host and the time the lab
// panel takes to render a 10,000-request run. One VS Code launch (tests/host/runner: VS Code
// desktop through test-electron where there is one, else the VS Code server in headless
// Chromium, where Playwright drives the webview).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { saveRun } from "../../../src/lab/history.js";
import { packageRoot } from "../../../src/lab/paths.js";
import { poll } from "../../../src/lab/poll.js";
import { SCENARIOS } from "../../../src/lab/replay/scenarios.js";
import type { RequestOutcome } from "../../../src/lab/replay/types.js";
import type { RunRecord } from "../../../src/shared/protocol.js";
import { runHostTests } from "../../host/runner/index.js";
import { figure, log, median, notMeasured, type Row } from "../figures.js";
import { newLab } from "../lab.js";

const ACTIVATION = "activation time in the extension host (code load + ext.activate())";
const ACTIVATION_TARGET: Row["target"] = { what: "value", cmp: "<=", limit: 50 };
const PANEL = "panel: render a 10,000-request run (history click to verdict and 10,000 requests on screen)";

/** A synthetic finished run of `count` requests: one execution, the rest replayed. */
export function syntheticRun(runId: string, count: number, finishedAt: Date): RunRecord {
  const scenario = SCENARIOS.find((s) => s.id === "concurrent-burst")!;
  const paymentId = `pay-${runId}`;
  const key = `concurrent-burst-${runId}`;
  const response = { paymentId, status: "charged", amount: 10_000, currency: "USD", chargeId: `ch-${runId}` };
  const invocationId = `inv_1bench${runId.replace(/-/g, "")}`;
  const requestsDetail: RequestOutcome[] = Array.from({ length: count }, (_, i) => ({
    index: i,
    step: 0,
    method: "POST",
    path: `/PaymentService/${paymentId}/create`,
    paymentId,
    idempotencyKey: key,
    body: { amount: 10_000, currency: "USD" },
    sentAtMs: Math.round(i * 0.7 * 10) / 10,
    latencyMs: 20 + (i % 97),
    status: 200,
    response,
    invocationId,
    replayHeader: i > count / 2,
    answer: i === 0 ? "executed" : i > count / 2 ? "replayed" : "attached",
  }));
  return {
    runId,
    request: { scenario: scenario.id, count, concurrency: 100 },
    finishedAt: finishedAt.toISOString(),
    conceptsSection: scenario.conceptsSection,
    result: {
      id: scenario.id,
      title: scenario.title,
      lesson: scenario.lesson,
      kind: scenario.kind,
      verdict: "safe",
      expectedVerdict: "safe",
      requests: count,
      distinctResponses: 1,
      distinctInvocations: 1,
      charges: 1,
      refunds: 0,
      invariants: scenario.invariants.map((s) => ({ name: s.name, expected: 1, observed: 1, ok: true, role: s.role })),
      explanation: scenario.explanation.asExpected,
      notes: ["synthetic run made by the bench"],
      paymentIds: [paymentId],
      startedAt: finishedAt.toISOString(),
      durationMs: 7_000,
      ledger: [{ id: `ch-${runId}`, type: "charge", paymentId, amount: 10_000, currency: "USD", idempotencyKey: key, at: finishedAt.toISOString() }],
      invocations: [
        {
          id: invocationId,
          target: `PaymentService/${paymentId}/create`,
          status: "completed",
          idempotency_key: key,
          completion_result: "success",
          retry_count: 0,
          created_at: finishedAt.toISOString(),
          userKey: true,
        },
      ],
      requestsDetail,
    },
  };
}

export async function hostFigures(benchRounds: number): Promise<Row[]> {
  // At least five: a VS Code starting up shares two cores with its browser and server, and one
  // launch's activation or one first open can take three times another's (measured 5.7-81 ms of
  // code load for the same bundle): the median of three swung with a single round.
  const rounds = Math.max(benchRounds, 5);
  const rows: Row[] = [];
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), "bench-host-"));
  const suite = join(dir, "host-suite.cjs");
  const out = join(dir, "host-result.json");
  const panel: { firstOpens: number[]; deliveries: number[]; cached: number[]; error?: string } = { firstOpens: [], deliveries: [], cached: [] };
  const workspace = await newLab("bench-host-lab-");
  try {
    await esbuild.build({
      entryPoints: [join(root, "tests", "bench", "host-suite.ts")],
      outfile: suite,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      external: ["vscode"],
      logLevel: "warning",
    });
    // History: one small run to switch to between rounds, and one 10,000-request run per round.
    const now = Date.now();
    const small = "bench-small";
    saveRun(workspace, syntheticRun(small, 5, new Date(now - 60_000)));
    const big = Array.from({ length: rounds }, (_, i) => `bench-big-${i}`);
    big.forEach((id, i) => saveRun(workspace, syntheticRun(id, 10_000, new Date(now - 50_000 + i * 1000))));

    const code = await runHostTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      workspaceFolder: workspace,
      env: { HOST_BENCH_OUT: out, HOST_BENCH_SIGNALS: dir },
      timeoutMs: 6 * 60_000,
      screenshotDir: join(dir, "shots"),
      async onPage(page, ctx) {
        try {
          await poll(() => existsSync(join(dir, "panel-open.json")), { what: "the panel to open", everyMs: 200, timeoutMs: 240_000 });
          const frame = await ctx.findWebviewFrame(page, `[data-run-id="${small}"]`, { timeoutMs: 90_000 });
          // A string, not a function: tsx's transform would add helpers the webview lacks.
          const open = (runId: string, requests: number) =>
            frame.evaluate(`(async () => {
              const item = document.querySelector('[data-run-id="${runId}"]');
              if (!item) throw new Error("no history item ${runId}");
              // When the run's message reaches this frame: splits the time into delivery and rendering.
              let arrived = null;
              const onMessage = (e) => {
                if (e.data && e.data.type === "run" && arrived === null) arrived = performance.now();
              };
              window.addEventListener("message", onMessage, true);
              // As a pointer's click does: the item takes the focus, then the click. (click() alone
              // leaves the focus on the run shown before, and the panel then moves it to the new
              // run's title, a forced layout of 27-48 ms that no learner's click causes.)
              item.focus();
              const t0 = performance.now();
              item.click();
              await new Promise((resolve, reject) => {
                const tick = () => {
                  const s = document.querySelector('[data-testid="summary-requests"]');
                  if (s && s.getAttribute("data-value") === "${requests}" && document.querySelector('[data-testid="verdict"]')) {
                    requestAnimationFrame(() => setTimeout(resolve, 0)); // the frame that shows it
                  } else if (performance.now() - t0 > 60000) reject(new Error("run ${runId} not shown after 60 s"));
                  else setTimeout(tick, 1);
                };
                tick();
              });
              window.removeEventListener("message", onMessage, true);
              const total = performance.now() - t0;
              return { total, delivery: arrived === null ? null : arrived - t0 };
            })()`) as Promise<{ total: number; delivery: number | null }>;
          for (const id of big) {
            await open(small, 5);
            const first = await open(id, 10_000);
            panel.firstOpens.push(first.total);
            if (first.delivery !== null) panel.deliveries.push(first.delivery);
            await open(small, 5);
            panel.cached.push((await open(id, 10_000)).total);
            log(
              `panel round: first open ${Math.round(first.total)} ms (message after ${first.delivery === null ? "?" : Math.round(first.delivery)} ms), again (webview cache) ${Math.round(panel.cached.at(-1)!)} ms`,
            );
          }
        } catch (err) {
          panel.error = String(err);
        } finally {
          writeFileSync(join(dir, "panel-done.json"), "{}");
        }
      },
    });

    const results = [existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : {}];
    const codes = [code];
    // More launches for the activation alone: one activation per extension host.
    for (let i = 1; i < rounds; i++) {
      const again = join(dir, `host-result-${i}.json`);
      codes.push(
        await runHostTests({
          extensionDevelopmentPath: root,
          extensionTestsPath: suite,
          workspaceFolder: workspace,
          env: { HOST_BENCH_OUT: again, HOST_BENCH_SIGNALS: dir, HOST_BENCH_PANEL: "0" },
          timeoutMs: 3 * 60_000,
          screenshotDir: join(dir, "shots"),
        }),
      );
      results.push(existsSync(again) ? (JSON.parse(readFileSync(again, "utf8")) as Record<string, unknown>) : {});
    }
    const measured = results.filter((r) => typeof r.activateMs === "number" && !r.wasActive);
    if (measured.length > 0) {
      const spawned = [...new Set(measured.flatMap((r) => (r.spawnedDuringActivation as string[] | undefined) ?? []))];
      const load = measured.map((r) => (r.loadMs as number) ?? 0);
      const call = measured.map((r) => r.activateMs as number);
      const total = measured.map((_, i) => load[i]! + call[i]!);
      const r1 = (xs: number[]) => xs.map((x) => Math.round(x * 10) / 10);
      rows.push(
        figure({
          section: "extension",
          name: ACTIVATION,
          value: median(total),
          unit: "ms",
          target: ACTIVATION_TARGET,
          rounds: r1(total),
          note: `median of ${total.length} VS Code launch(es), one activation each, after a 2 s settle; the dev build in dist/ (unminified); processes started during activation: ${spawned.length ? spawned.join(" | ") : "none"}${results.some((r) => r.wasActive) ? "; some launches had it active already (left out)" : ""}`,
        }),
        figure({ section: "extension", name: "  of which: loading the extension's code (require)", value: median(load), unit: "ms", rounds: r1(load) }),
        figure({
          section: "extension",
          name: "  of which: ext.activate() (activate() and VS Code's bookkeeping)",
          value: median(call),
          unit: "ms",
          rounds: r1(call),
        }),
      );
      const later = results.map((r) => r.featuresLoadMs).filter((x): x is number => typeof x === "number");
      if (later.length > 0)
        rows.push(
          figure({
            section: "extension",
            name: "first command: loading the rest of the extension (features.cjs)",
            value: median(later),
            unit: "ms",
            rounds: r1(later),
            note: "once per window, on the first command, panel or test run; not part of activation",
          }),
        );
    } else {
      const why = results
        .map((r, i) => (r.wasActive ? "already active before the timer" : `exit ${codes[i]}${r.error ? `: ${String(r.error).split("\n")[0]}` : ""}`))
        .join("; ");
      rows.push(notMeasured("extension", ACTIVATION, `the host runs gave no figure (${why})`, ACTIVATION_TARGET));
    }

    if (panel.firstOpens.length > 0) {
      rows.push(
        figure({
          section: "panel",
          name: PANEL,
          value: median(panel.firstOpens),
          unit: "ms",
          rounds: panel.firstOpens.map((x) => Math.round(x)),
          target: { what: "value", cmp: "<=", limit: 300 },
          note: "first open of each run (extension reads it from history, posts it, webview renders)",
        }),
        ...(panel.deliveries.length
          ? [
              figure({
                section: "panel",
                name: "  of which: click to the run's message in the webview (read, check, post, deliver)",
                value: median(panel.deliveries),
                unit: "ms",
                rounds: panel.deliveries.map((x) => Math.round(x)),
              }),
            ]
          : []),
        figure({
          section: "panel",
          name: "panel: re-show the same 10,000-request run (webview cache, render only)",
          value: median(panel.cached),
          unit: "ms",
          rounds: panel.cached.map((x) => Math.round(x)),
          note: "no target in the issue",
        }),
      );
    } else
      rows.push(
        notMeasured(
          "panel",
          PANEL,
          panel.error?.split("\n")[0] ?? `the webview could not be driven (host exit ${code}; the desktop launcher has no Playwright page)`,
        ),
      );
    return rows;
  } finally {
    rmSync(join(workspace, ".."), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
