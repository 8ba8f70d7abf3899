// The run view's "Your prediction" section: the learner's prediction next to the evidence of the
// run, with the concepts section that explains a wrong part.
import "./prediction-result.css";
import type { RunRecord } from "../../shared/protocol.js";
import { button, el, section } from "../ui/dom.js";
import { predictionRows } from "./prediction-result-model.js";

/** The run view's "Your prediction" section: each part, right or wrong, next to its evidence. */
export function renderPredictionResult(record: RunRecord, openConcepts: (section: string) => void): HTMLElement | null {
  const rows = predictionRows(record);
  if (!rows || !record.score) return null;
  const wrong = rows.filter((r) => !r.correct);
  const { correct, of } = record.score;
  const verdict =
    wrong.length === 0 ? `All ${of} right.` : `${correct} of ${of} right. Not as you predicted: ${wrong.map((r) => r.label.toLowerCase()).join("; ")}.`;
  const valid = /^[a-z0-9-]{1,60}$/.test(record.conceptsSection);
  return section(
    "Your prediction",
    {
      testid: "prediction-section",
      class: "prediction-section",
      actions: [
        el("span", {
          class: `score-pill ${wrong.length === 0 ? "all-right" : "some-wrong"}`,
          text: `${correct} / ${of}`,
          testid: "prediction-score",
          attrs: { "data-correct": correct, "data-of": of },
        }),
      ],
    },
    [
      el("p", { class: "prediction-verdict", text: verdict, testid: "prediction-verdict" }),
      el("div", { class: "table-wrap" }, [
        el("table", { class: "plain-table prediction-table", testid: "prediction-table" }, [
          el("thead", {}, [
            el(
              "tr",
              {},
              ["part", "you predicted", "the run showed", "evidence"].map((h) => el("th", { text: h, attrs: { scope: "col" } })),
            ),
          ]),
          el(
            "tbody",
            {},
            rows.map((r) =>
              el("tr", { class: r.correct ? "right" : "wrong", testid: "prediction-row", attrs: { "data-part": r.part, "data-correct": String(r.correct) } }, [
                el("th", { attrs: { scope: "row" } }, [
                  el("span", { class: `pill ${r.correct ? "pill-ok" : "pill-fail"}`, text: r.correct ? "right" : "wrong" }),
                  " ",
                  r.label,
                ]),
                el("td", { class: "mono", text: r.predicted }),
                el("td", { class: "mono", text: r.observed }),
                el("td", { text: r.evidence }),
              ]),
            ),
          ),
        ]),
      ]),
      wrong.length > 0 && valid
        ? el("p", { class: "prediction-why" }, [
            "Why: ",
            button(`read “${record.conceptsSection}” in the concepts`, () => openConcepts(record.conceptsSection), {
              class: "link-button",
              testid: "prediction-learn",
              attrs: { title: `Open the concepts doc at the section that explains this run (${record.conceptsSection})` },
            }),
          ])
        : null,
    ],
  );
}
