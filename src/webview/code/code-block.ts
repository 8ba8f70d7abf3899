// The run view's "The code" section: the handler the scenario sent its requests to, as the lab's
// files held it when the run was shown, with line numbers and its charge line marked; beside an
// anti-pattern, the safe handler. A click on a line opens the file at that line in the editor.
import "./code-block.css";
import type { HandlerCode, ScenarioCode } from "../../shared/protocol.js";
import { el, section } from "../ui/dom.js";
import { blockNote, blockTitle, chargeLabel, codeRows } from "./code-model.js";

export class CodeBlock {
  readonly element: HTMLElement;

  constructor(
    code: ScenarioCode,
    private readonly openSource: (file: string, line: number) => void,
  ) {
    this.element = section(
      "The code",
      {
        testid: "code-section",
        actions: [el("span", { class: "section-note", text: "as your lab's files hold it now · click a line to open it" })],
      },
      [
        code.problem ? el("p", { class: "code-problem", testid: "code-problem", text: `Not all of the code could be shown: ${code.problem}.` }) : null,
        el(
          "div",
          { class: "code-blocks" },
          code.blocks.map((b) => this.block(b)),
        ),
      ],
    );
  }

  /** Scrolls the charge line of the handler the run sent to into view and highlights it; false when there is none. */
  showChargeLine(): boolean {
    const line = this.element.querySelector<HTMLElement>('.code-block[data-role="run"] [data-testid="code-charge-line"]');
    if (!line) return false;
    for (const old of this.element.querySelectorAll(".code-line.highlighted")) old.classList.remove("highlighted");
    line.classList.add("highlighted");
    line.scrollIntoView({ block: "center" });
    line.focus({ preventScroll: true });
    return true;
  }

  private block(b: HandlerCode): HTMLElement {
    const rows = codeRows(b);
    return el("div", { class: `code-block role-${b.role}`, testid: "code-block", attrs: { "data-role": b.role, "data-handler": b.handler } }, [
      el("div", { class: "code-head" }, [
        el("h3", { class: "code-title", text: blockTitle(b) }),
        el("span", { class: "code-file mono", text: `${b.file}:${b.startLine}` }),
      ]),
      el("p", { class: "code-note", text: blockNote(b) }),
      el(
        "div",
        { class: "code-lines", attrs: { role: "list", "aria-label": `${blockTitle(b)}, ${b.file}` } },
        rows.flatMap((r) => {
          const kind = b.charge?.inRun ? "in-run" : "outside-run";
          const line = el(
            "button",
            {
              class: `code-line${r.charge ? ` charge charge-${kind}` : ""}`,
              testid: r.charge ? "code-charge-line" : undefined,
              attrs: { type: "button", role: "listitem", title: `Open ${b.file} at line ${r.n}`, "data-line": r.n },
            },
            [el("span", { class: "code-n", text: String(r.n), attrs: { "aria-hidden": "true" } }), el("span", { class: "code-text", text: r.text || " " })],
          );
          line.addEventListener("click", () => this.openSource(b.file, r.n));
          if (!r.charge || !b.charge) return [line];
          const label = el(
            "div",
            { class: `charge-label charge-${kind}`, testid: "code-charge-label", attrs: { role: "listitem", "data-in-run": String(b.charge.inRun) } },
            [el("span", { class: "charge-arrow", text: "▲", attrs: { "aria-hidden": "true" } }), chargeLabel(b.charge)],
          );
          return [line, label];
        }),
      ),
      b.truncated ? el("p", { class: "muted code-cut", text: "The handler goes on: open the file to see the rest." }) : null,
    ]);
  }
}
