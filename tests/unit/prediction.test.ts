// Predictions (src/shared/prediction.ts): scored part by part against the run's evidence, and
// refused when malformed, on both sides of the wire.
import { describe, expect, it } from "vitest";
import { isPerfect, mostCommonAnswers, predictionProblem, scorePrediction, scoreProblem } from "../../src/shared/prediction.js";
import { burst } from "./webview/fixtures.js";

const evidence = { distinctInvocations: 1, charges: 2, requestsDetail: [{ answer: "executed" as const }] };

describe("predictions", () => {
  it("scores each predicted part against the run: a right whole prediction is perfect", () => {
    const score = scorePrediction({ invocations: 1, charges: 2, answer: "executed" }, evidence);
    expect(score).toEqual({
      parts: [
        { part: "invocations", predicted: 1, observed: 1, correct: true },
        { part: "charges", predicted: 2, observed: 2, correct: true },
        { part: "answer", predicted: "executed", observed: ["executed"], correct: true },
      ],
      correct: 3,
      of: 3,
    });
    expect(isPerfect(score)).toBe(true);
  });

  it("says which part was wrong; a partial prediction is never perfect", () => {
    const score = scorePrediction({ invocations: 1, charges: 1 }, evidence);
    expect(score.parts.map((p) => [p.part, p.correct])).toEqual([
      ["invocations", true],
      ["charges", false],
    ]);
    expect(score).toMatchObject({ correct: 1, of: 2 });
    expect(isPerfect(scorePrediction({ charges: 2 }, evidence))).toBe(false);
  });

  it("takes the most common answer, any of a tie", () => {
    expect(mostCommonAnswers(burst(10))).toEqual(["replayed"]);
    expect(mostCommonAnswers([{ answer: "attached" }, { answer: "executed" }])).toEqual(["executed", "attached"]);
    expect(mostCommonAnswers([])).toEqual([]);
    expect(scorePrediction({ answer: "attached" }, { ...evidence, requestsDetail: [{ answer: "attached" }, { answer: "executed" }] }).correct).toBe(1);
  });

  it("refuses malformed predictions and scores", () => {
    expect(predictionProblem({ charges: 2 })).toBeNull();
    for (const [bad, problem] of [
      [{}, /predicts nothing/],
      [{ charges: -1 }, /charges must be/],
      [{ invocations: 1.5 }, /invocations must be/],
      [{ answer: "maybe" }, /answer kind/],
      [{ charges: 1, extra: 1 }, /unknown fields: extra/],
      ["2", /not an object/],
    ] as const) {
      expect(predictionProblem(bad), JSON.stringify(bad)).toMatch(problem);
    }
    const good = scorePrediction({ invocations: 1, answer: "executed" }, evidence);
    expect(scoreProblem(good)).toBeNull();
    expect(scoreProblem({ ...good, of: 5 })).toMatch(/counts parts/);
    expect(scoreProblem({ ...good, parts: [{ part: "answer", predicted: "executed", observed: ["nope"], correct: true }] })).toMatch(/answer part/);
    expect(scoreProblem({ ...good, parts: [{ part: "charges", predicted: "2", observed: 2, correct: true }] })).toMatch(/charges part/);
    expect(scoreProblem({ ...good, parts: [{ part: "mood", correct: true }] })).toMatch(/unknown part/);
  });
});
