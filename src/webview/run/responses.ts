// The run view's Responses section: the distinct answers, most common first, and a line diff of
// the two most common.
import "./responses.css";
import { ANSWER_KINDS } from "../../shared/protocol.js";
import type { RequestOutcome } from "../../shared/protocol.js";
import { el, section } from "../ui/dom.js";
import type { Child } from "../ui/dom.js";
import { answerLabel, formatCount, statusLabel } from "../ui/format.js";
import { diffLines, groupResponses } from "./response-diff.js";

export function renderResponses(details: readonly RequestOutcome[]): HTMLElement {
  const groups = groupResponses(details);
  const children: Child[] = [];
  if (groups.length === 0) children.push(el("p", { class: "muted", text: "No responses." }));
  children.push(
    el(
      "ol",
      { class: "response-groups" },
      groups.slice(0, 20).map((g, i) =>
        el("li", { class: "response-group" }, [
          el("div", { class: "response-group-head" }, [
            el("span", { class: "response-letter", text: String.fromCharCode(65 + i), attrs: { "aria-hidden": "true" } }),
            el("strong", { text: `${formatCount(g.count)} × ${statusLabel(g.status)}` }),
            el("span", {
              class: "muted",
              text: ` · first #${g.firstIndex} · ${ANSWER_KINDS.filter((k) => (g.answers[k] ?? 0) > 0)
                .map((k) => `${formatCount(g.answers[k] ?? 0)} ${answerLabel(k)}`)
                .join(", ")}`,
            }),
          ]),
          el("pre", { class: "code response-json", text: g.status === null && g.error ? `${g.error}` : g.pretty }),
        ]),
      ),
    ),
  );
  if (groups.length > 20) children.push(el("p", { class: "muted", text: `…and ${groups.length - 20} more distinct responses.` }));
  const [a, b] = groups;
  if (a && b) {
    const diff = diffLines(a.pretty, b.pretty);
    children.push(
      el("h3", { class: "subhead", text: `Diff of the two most common: A (${formatCount(a.count)}) → B (${formatCount(b.count)})` }),
      el(
        "pre",
        {
          class: "code diff",
          testid: "response-diff",
          attrs: { "aria-label": "Line diff of responses A and B; lines starting with minus are only in A, plus only in B" },
        },
        diff.map((d) => el("span", { class: `diff-line diff-${d.op}`, text: `${d.op === "same" ? " " : d.op === "removed" ? "-" : "+"} ${d.text}` })),
      ),
    );
  }
  const heading = groups.length === 1 ? "Responses: all the same" : `Responses: ${groups.length} distinct`;
  return section(heading, { testid: "responses" }, children);
}
