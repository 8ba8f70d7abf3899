// Under a chaos result's "How it happened": the button that shrinks the run (the lab engine runs it
// again from the same seed with fewer payments, then fewer faults), its progress, and its answer
// as a card: the smallest failing run, the invariant it still breaks, its command line and chains.
import "./chaos-shrink.css";
import { violationChains } from "../../shared/chaos-chain.js";
import { PANEL_SHRINK_RUNS, type ChaosRunRecord, type ShrinkSummary } from "../../shared/protocol.js";
import { button, el, replaceChildren } from "../ui/dom.js";
import { copyButton } from "../ui/id-ref.js";
import { renderChainList } from "./chaos-chain.js";
import { shrinkingText, shrunkHeadline, shrunkNotes, type ShrinkDisplay } from "./chaos-shrink-model.js";

export interface ChaosShrinkCallbacks {
  shrink(): void;
  stop(): void;
}

export class ChaosShrink {
  readonly element: HTMLElement;
  private shown: ShrinkDisplay | null = null;

  constructor(
    private readonly record: ChaosRunRecord,
    private readonly cb: ChaosShrinkCallbacks,
  ) {
    this.element = el("div", { class: "chaos-shrink", testid: "chaos-shrink" });
  }

  show(d: ShrinkDisplay | null): void {
    if (same(this.shown, d)) return;
    this.shown = d;
    replaceChildren(this.element, [d === null ? null : this.draw(d)]);
    this.element.hidden = d === null;
  }

  private draw(d: ShrinkDisplay): HTMLElement {
    switch (d.state) {
      case "offer":
        return el("div", { class: "chaos-shrink-offer" }, [
          button("Find the smallest failing run", () => this.cb.shrink(), {
            class: "secondary",
            testid: "shrink-button",
            attrs: { disabled: !d.canStart, title: d.canStart ? null : "A run is in progress" },
          }),
          el("span", {
            class: "muted small",
            text: `Runs this seed again, at most ${PANEL_SHRINK_RUNS} times, with fewer payments, then fewer faults, and keeps the smallest run that still breaks an invariant. None of these runs is kept in the history.`,
          }),
        ]);
      case "shrinking":
        return el("div", { class: "chaos-shrink-progress", attrs: { role: "status" } }, [
          el("span", { text: shrinkingText(d.progress), testid: "shrink-progress" }),
          button("Stop", () => this.cb.stop(), { class: "secondary", testid: "shrink-stop" }),
        ]);
      case "done":
        return this.card(d.summary);
    }
  }

  private card(s: ShrinkSummary): HTMLElement {
    const chains = violationChains(s.result);
    return el(
      "div",
      { class: "chaos-shrunk", testid: "shrunk", attrs: { "data-seed": s.seed, "data-payments": s.payments, "data-cut-short": String(s.cutShort) } },
      [
        el("p", { class: "chaos-shrunk-head", text: shrunkHeadline(s), testid: "shrunk-headline" }),
        el("p", { class: "chaos-shrunk-breaks" }, [
          "It still breaks ",
          el("span", { class: "chaos-shrunk-invariant", text: s.invariants.join(", "), testid: "shrunk-invariants" }),
          ".",
        ]),
        ...shrunkNotes(s, this.record).map((note) => el("p", { class: "muted small chaos-shrunk-note", text: note })),
        el("div", { class: "chaos-shrunk-command" }, [
          el("code", { class: "mono", text: s.command, testid: "shrunk-command" }),
          copyButton(s.command, "the command line", "shrunk-command-copy"),
        ]),
        chains.length > 0
          ? el("div", { class: "chaos-shrunk-chains", testid: "shrunk-chains" }, [
              el("p", { class: "chaos-shrunk-subhead", text: "How it happened in the smallest run" }),
              ...renderChainList(chains, null),
            ])
          : null,
      ],
    );
  }
}

function same(a: ShrinkDisplay | null, b: ShrinkDisplay | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.state === "offer" && b.state === "offer") return a.canStart === b.canStart;
  if (a.state === "shrinking" && b.state === "shrinking") return shrinkingText(a.progress) === shrinkingText(b.progress);
  if (a.state === "done" && b.state === "done") return a.summary === b.summary;
  return false;
}
