// The lab compiles the learner's gateway and service before each start; Node runs a start script
// that loads the packages, turns source maps on, then runs the compiled code.
import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { compileLab } from "../../src/lab/compile.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { cleanUpLabs, newLab } from "./helpers.js";

afterEach(cleanUpLabs);

describe("the compiled service", () => {
  it("loads the Restate SDK before source maps go on, and a learner's error still points at their .ts line", async () => {
    const workspace = newLab();
    const paths = workspacePaths(workspace);
    const lines = readFileSync(paths.serviceScript, "utf8").split("\n").length;
    // A line the learner might have written, at a known place at the end of their entry file.
    appendFileSync(paths.serviceScript, `\nif (process.env.LAB_TEST_THROW) throw new Error("thrown on purpose");\n`);
    const compiled = (await compileLab(paths))!;
    const start = readFileSync(compiled.service, "utf8");
    expect(start.indexOf('await import("@restatedev/restate-sdk")')).toBeGreaterThan(-1);
    expect(start.indexOf('await import("@restatedev/restate-sdk")')).toBeLessThan(start.indexOf("process.setSourceMapsEnabled(true)"));
    const run = spawnSync(process.execPath, [compiled.service, paths.serviceScript], {
      cwd: workspace,
      env: { ...process.env, LAB_TEST_THROW: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("thrown on purpose");
    expect(run.stderr).toContain(`${paths.serviceScript}:${lines + 1}:`);
  });
});
