// Draws the panel's state (panel-state.ts) into the layout's hosts. Each part is redrawn only when
// what it shows changed, so fields keep their focus and text while runs come and go.
import { CHAOS_SCENARIO_ID, isChaosRecord, type ScenarioCode } from "../../shared/protocol.js";
import { Builder } from "../builder/builder.js";
import { ChaosForm } from "../chaos/chaos-form.js";
import { ChaosView } from "../chaos/chaos-view.js";
import { CUSTOM_SCENARIO_ID } from "../builder/builder-model.js";
import { renderCatalog } from "../sidebar/catalog.js";
import { renderCompare } from "../compare/compare.js";
import { el, replaceChildren } from "../ui/dom.js";
import { renderHistory } from "../sidebar/history.js";
import { describeLab } from "../sidebar/lab-model.js";
import { renderLab } from "../sidebar/lab-status.js";
import { mountLayout } from "./layout.js";
import type { PanelHosts } from "./layout.js";
import { renderNotice } from "../ui/notice.js";
import { comparable, shownRecord } from "./panel-state.js";
import type { PanelEvent, PanelState } from "./panel-state.js";
import { RunView } from "../run/run-view.js";
import { CodeBlock } from "../code/code-block.js";
import { runChargeInRun } from "../code/code-model.js";
import { inProgressView } from "./in-progress-model.js";
import { shrinkDisplay, shrinkingText } from "../chaos/chaos-shrink-model.js";

/** What the main host holds, to tell whether it must be redrawn. */
type MainContent =
  { kind: "run"; view: RunView; code: ScenarioCode | undefined } | { kind: "chaos"; view: ChaosView } | { kind: "other"; key: readonly unknown[] };

export class PanelView {
  private readonly hosts: PanelHosts;
  private last: PanelState | null = null;
  private builder: Builder | ChaosForm | null = null;
  private main: MainContent | null = null;
  private shownView: PanelState["view"] | null = null;

  constructor(private readonly dispatch: (event: PanelEvent) => void) {
    this.hosts = mountLayout((view) => dispatch({ type: "setView", view }));
    // Every copy button (id-ref.ts) says what to copy in data-copy; a tick shows for a moment.
    document.addEventListener("click", (e) => {
      const copy = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-copy]") : null;
      if (!copy?.dataset.copy) return;
      dispatch({ type: "copy", text: copy.dataset.copy });
      copy.classList.add("copied");
      setTimeout(() => copy.classList.remove("copied"), 1500);
    });
  }

  render(s: PanelState): void {
    const last = this.last;
    this.last = s;
    const changed = (...pick: ((s: PanelState) => unknown)[]) => last === null || pick.some((f) => f(last) !== f(s));
    if (changed((x) => x.lab)) this.renderLab(s);
    if (
      changed(
        (x) => x.initialized,
        (x) => x.scenarios,
        (x) => x.scenarioId,
        (x) => x.chaosSettings,
        (x) => x.history,
      )
    )
      this.renderCatalog(s);
    if (
      changed(
        (x) => x.initialized,
        (x) => x.scenarios,
        (x) => x.scenarioId,
        (x) => x.settings.predictBeforeRun,
        (x) => x.chaosSettings,
      )
    ) {
      this.renderBuilder(s);
    } else {
      if (
        changed(
          (x) => x.running,
          (x) => x.progress,
        )
      )
        this.builder?.setRunning(s.running !== null, s.progress, shrinkingLabel(s));
      if (changed((x) => x.failure)) this.builder?.setFailure(s.failure);
      if (changed((x) => x.prediction) && this.builder instanceof Builder) this.builder.setPrediction(s.prediction);
    }
    if (
      changed(
        (x) => x.history,
        (x) => x.currentRunId,
        (x) => busyRunId(x),
      )
    ) {
      replaceChildren(this.hosts.history, [renderHistory(s.history, s.currentRunId, busyRunId(s), (runId) => this.dispatch({ type: "openRun", runId }))]);
    }
    if (changed((x) => x.notice)) {
      replaceChildren(this.hosts.notice, [s.notice ? renderNotice(s.notice, () => this.dispatch({ type: "dismissNotice" })) : null]);
    }
    this.renderMain(s);
    if (this.main?.kind === "run" && changed((x) => x.journal)) this.main.view.showJournal(s.journal);
    if (this.main?.kind === "chaos") this.main.view.showPayment(s.openPayment);
    if (this.main?.kind === "chaos") this.main.view.showShrink(shrinkDisplay(this.main.view.record, s));
  }

  private renderLab(s: PanelState): void {
    replaceChildren(this.hosts.lab, [renderLab(s.lab, () => this.dispatch({ type: "startLab" }))]);
    this.builder?.setCanRun(describeLab(s.lab).canRun);
  }

  private renderCatalog(s: PanelState): void {
    if (!s.initialized) {
      replaceChildren(this.hosts.catalog, [el("p", { class: "muted small", text: "Loading scenarios…" })]);
      return;
    }
    replaceChildren(this.hosts.catalog, [
      renderCatalog(s.scenarios, s.scenarioId, (scenarioId) => this.dispatch({ type: "selectScenario", scenarioId }), s.chaosSettings !== null, s.history),
    ]);
    this.hosts.catalogChoice.textContent = this.hosts.nextRunTitle.textContent =
      s.scenarioId === CUSTOM_SCENARIO_ID
        ? "Custom request"
        : s.scenarioId === CHAOS_SCENARIO_ID
          ? "Chaos run"
          : (s.scenarios.find((sc) => sc.id === s.scenarioId)?.title ?? "");
  }

  private renderBuilder(s: PanelState): void {
    if (!s.initialized || s.builder === null) {
      replaceChildren(this.hosts.builder, []);
      replaceChildren(this.hosts.actions, []);
      this.builder = null;
      return;
    }
    if (s.scenarioId === CHAOS_SCENARIO_ID && s.chaosSettings !== null && s.chaosValues !== null) {
      this.builder = new ChaosForm(s.chaosValues, s.chaosSettings, {
        onChange: (values) => this.dispatch({ type: "editChaos", values }),
        onRun: (request) => this.dispatch({ type: "runChaos", request }),
        onStop: () => this.dispatch({ type: "stop" }),
      });
    } else this.builder = this.scenarioBuilder(s);
    this.builder.setCanRun(describeLab(s.lab).canRun);
    this.builder.setRunning(s.running !== null, s.progress, shrinkingLabel(s));
    this.builder.setFailure(s.failure);
    replaceChildren(this.hosts.builder, [this.builder.element]);
    replaceChildren(this.hosts.actions, [this.builder.actions]);
  }

  private scenarioBuilder(s: PanelState): Builder {
    const scenario = s.scenarios.find((sc) => sc.id === s.scenarioId);
    const title = s.scenarioId === CUSTOM_SCENARIO_ID ? "Custom request" : (scenario?.title ?? s.scenarioId);
    return new Builder(
      s.scenarioId,
      title,
      s.builder!,
      {
        onChange: (values) => this.dispatch({ type: "editBuilder", values }),
        onRun: (request) => this.dispatch({ type: "run", request }),
        onStop: () => this.dispatch({ type: "stop" }),
        onPredict: (draft) => this.dispatch({ type: "editPrediction", draft }),
      },
      s.settings.predictBeforeRun ? s.prediction : null,
    );
  }

  private renderMain(s: PanelState): void {
    this.hosts.selectView(s.view);
    // Another view opens at its top (Compare's run pickers first), not where the last one was scrolled to.
    if (this.last !== null && this.shownView !== null && this.shownView !== s.view) window.scrollTo({ top: 0 });
    this.shownView = s.view;
    if (s.view === "compare") {
      const scenarioRun = (id: string | null) => {
        const r = id ? s.runs.get(id) : undefined;
        return r && !isChaosRecord(r) ? r : undefined;
      };
      const recordA = scenarioRun(s.compareA);
      const recordB = scenarioRun(s.compareB);
      this.showMain(["compare", s.history, s.compareA, s.compareB, recordA, recordB, s.unavailable], () =>
        renderCompare({
          history: comparable(s.history),
          a: s.compareA,
          b: s.compareB,
          recordA,
          recordB,
          unavailable: new Set(s.unavailable),
          onPick: (a, b) => this.dispatch({ type: "pickCompare", a, b }),
        }),
      );
      return;
    }
    // A run in progress: how far it got, in place of the last run (the new one replaces it when it ends).
    if (s.running !== null && s.running !== s.shrink?.requestId) {
      const p = inProgressView(s.progress);
      this.showMain(["running", p.progress], () =>
        el("div", { class: "empty in-progress", testid: "in-progress", attrs: { role: "status" } }, [
          el("h1", { class: "run-title", text: p.title }),
          el("p", { class: "in-progress-count", text: p.progress, testid: "in-progress-count" }),
          el("p", { class: "muted", text: p.hint }),
        ]),
      );
      return;
    }
    const record = shownRecord(s);
    if (!record) {
      const loading = s.pendingOpen !== null && s.pendingOpen === s.currentRunId;
      this.showMain(["empty", loading], () =>
        el("div", { class: "empty", testid: "empty-state" }, [
          el("h1", { class: "run-title", text: loading ? "Loading the run…" : "No run yet" }),
          el("p", {
            class: "muted",
            text: loading
              ? "Asking the extension for it."
              : "Pick a scenario on the left and press Run above. Its verdict, timeline, requests and ledger show here.",
          }),
        ]),
      );
      return;
    }
    // Already on screen (a run with the code it was drawn with).
    if (this.main?.kind === "chaos" && this.main.view.record === record) return;
    if (this.main?.kind === "run" && this.main.view.record === record && (isChaosRecord(record) || this.main.code === s.code[record.result.id])) return;
    if (isChaosRecord(record)) {
      const view = new ChaosView(record, {
        exportRun: (format) => this.dispatch({ type: "exportRun", format }),
        openPayment: (paymentId) => this.dispatch({ type: "openPayment", paymentId }),
        shrink: () => this.dispatch({ type: "shrink", runId: record.runId }),
        stop: () => this.dispatch({ type: "stop" }),
      });
      this.placeRun({ kind: "chaos", view });
      view.showPayment(s.openPayment);
      return;
    }
    const code = s.code[record.result.id];
    const block =
      code && code.blocks.length + (code.problem ? 1 : 0) > 0 ? new CodeBlock(code, (file, line) => this.dispatch({ type: "openSource", file, line })) : null;
    const view = new RunView(
      record,
      {
        inspect: (invocationId) => this.dispatch({ type: "inspect", invocationId }),
        closeInspector: () => this.dispatch({ type: "closeInspector" }),
        exportRun: (format) => this.dispatch({ type: "exportRun", format }),
        openConcepts: (section) => this.dispatch({ type: "openConcepts", section }),
        ingress: () => (this.last?.lab?.state === "ready" ? this.last.lab.ingress : null),
      },
      block && { element: block.element, chargeInRun: runChargeInRun(code), showChargeLine: () => block.showChargeLine() },
    );
    this.placeRun({ kind: "run", view, code });
  }

  private placeRun(main: Extract<MainContent, { view: unknown }>): void {
    this.disposeRunView();
    this.main = main;
    const view = main.view;
    replaceChildren(this.hosts.main, [view.element]);
    // The Run button lost the focus while it was disabled: the keyboard goes on from the new verdict.
    // Only while the webview has the focus: a run shown from elsewhere never takes it from an editor.
    if (document.hasFocus() && (document.activeElement === null || document.activeElement === document.body)) view.focusTitle();
  }

  /** Shows what `draw` makes, unless the main host already shows the same `key`. */
  private showMain(key: readonly unknown[], draw: () => HTMLElement): void {
    if (this.main?.kind === "other" && this.main.key.length === key.length && this.main.key.every((k, i) => k === key[i])) return;
    this.disposeRunView();
    this.main = { kind: "other", key };
    replaceChildren(this.hosts.main, [draw()]);
  }

  private disposeRunView(): void {
    if (this.main?.kind === "run" || this.main?.kind === "chaos") this.main.view.dispose();
  }
}

/** While a shrink runs, the progress under Run says so instead of counting answers. */
function shrinkingLabel(s: PanelState): string | undefined {
  return s.running !== null && s.running === s.shrink?.requestId ? shrinkingText(s.progress) : undefined;
}

/** The history item marked busy: the run the learner opened, until the extension answers. */
function busyRunId(s: PanelState): string | null {
  return s.pendingOpenQuiet ? null : s.pendingOpen;
}
