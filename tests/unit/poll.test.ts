// poll(): the one wait-until-it-answers loop of the engine and the tests.
import { describe, expect, it } from "vitest";
import { poll } from "../../src/lab/poll.js";

describe("poll", () => {
  it("asks again until the check answers, and returns the answer", async () => {
    const answers = [false, null, undefined, "ready"];
    let asked = 0;
    expect(await poll(() => answers[asked++], { what: "an answer", everyMs: 0, timeoutMs: Infinity })).toBe("ready");
    expect(asked).toBe(4);
  });

  it("says what it waited for when the time is up", async () => {
    await expect(poll(() => false, { what: "the server", everyMs: 0, timeoutMs: 0 })).rejects.toThrow("timed out after 0 s waiting for the server");
  });

  it("returns onTimeout's value, or throws its error, instead", async () => {
    expect(await poll(() => false, { what: "x", everyMs: 0, timeoutMs: 0, onTimeout: () => "late" as const })).toBe("late");
    const own = new Error("not ready after 150 s");
    await expect(
      poll(() => false, {
        what: "x",
        everyMs: 0,
        timeoutMs: 0,
        onTimeout: () => {
          throw own;
        },
      }),
    ).rejects.toBe(own);
  });

  it("stops at the first error the check throws", async () => {
    let asked = 0;
    const failing = () => {
      asked++;
      throw new Error("start-up failed");
    };
    await expect(poll(failing, { what: "x", everyMs: 0, timeoutMs: Infinity })).rejects.toThrow("start-up failed");
    expect(asked).toBe(1);
  });
});
