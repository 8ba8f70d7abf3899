// The run view's scope table: service, object key, handler and key of each request, and the
// invocation that answered it, drawn from the run's requests when they went to more than one scope.
import "./scopes.css";
import { el, section } from "../ui/dom.js";
import { invocationButton } from "./inspector.js";
import { answerChip } from "./requests.js";
import type { Result } from "./run-model.js";
import { scopeRows, scopeSummary } from "./scopes-model.js";

export function renderScopes(result: Result, inspect: (invocationId: string) => void): HTMLElement | null {
  const rows = scopeRows(result);
  if (!rows) return null;
  const head = ["#", "scope: service / object key / handler", "idempotency key", "→ invocation", "answer"];
  const first = rows[0]!;
  // Each part of a scope that differs from the first request's is marked: where the key went elsewhere.
  const part = (text: string, differs: boolean, name: string) =>
    el("span", { class: `scope-part${differs ? " differs" : ""}`, text, attrs: { title: `${name}${differs ? ": not the first request's" : ""}` } });
  return section("Scope of the key", { testid: "scopes-section", actions: [el("span", { class: "section-note", text: "from the run's requests" })] }, [
    el("p", { class: "muted small", text: scopeSummary(rows), testid: "scopes-summary" }),
    el("div", { class: "table-wrap" }, [
      el("table", { class: "plain-table scope-table", testid: "scope-table" }, [
        el("thead", {}, [
          el(
            "tr",
            {},
            head.map((h, i) => el("th", { text: h, class: i === 0 ? "num" : undefined, attrs: { scope: "col" } })),
          ),
        ]),
        el(
          "tbody",
          {},
          rows.map((r) =>
            el("tr", { testid: "scope-row", attrs: { "data-index": r.index, "data-invocation-id": r.invocationId ?? undefined } }, [
              el("td", { class: "num" }, [String(r.index), r.label ? el("div", { class: "muted small", text: r.label }) : null]),
              el("td", { class: "mono scope-cell" }, [
                part(r.service, r.service !== first.service, "service"),
                " / ",
                part(r.objectKey ?? "—", r.objectKey !== first.objectKey, "object key"),
                " / ",
                part(r.handler, r.handler !== first.handler, "handler"),
              ]),
              el("td", { class: "mono scope-key", text: r.idempotencyKey ?? "(none)" }),
              el("td", {}, [
                r.invocationId ? invocationButton(r.invocationId, `scope-${r.index}-inv`, inspect) : el("span", { class: "muted", text: "none" }),
                el("div", {
                  class: `scope-same small ${r.sameInvocationAs === null ? "new" : "same"}`,
                  text: r.invocationId === null ? "" : r.sameInvocationAs === null ? "a new invocation" : `the same as #${r.sameInvocationAs}'s`,
                }),
              ]),
              el("td", {}, [answerChip(r.answer), r.status !== null ? el("span", { class: "muted small", text: ` ${r.status}` }) : null]),
            ]),
          ),
        ),
      ]),
    ]),
  ]);
}
