// Activation loads only the first of the extension's two bundles: the engines the commands drive
// (replay, chaos), the commands and the panel come with the second (features.ts) on first use.
import * as esbuild from "esbuild";
import { describe, expect, it, vi } from "vitest";

/** The modules in one of scripts/build.mjs's bundles, built with its own options. */
async function inputsOf(entry: string): Promise<string[]> {
  const build = (await import(new URL("../../scripts/build.mjs", import.meta.url).href)) as {
    BUNDLES: esbuild.BuildOptions[];
    optionsFor: (bundle: esbuild.BuildOptions) => esbuild.BuildOptions;
  };
  const bundle = build.BUNDLES.find((b) => (b.entryPoints as string[])[0] === entry);
  if (!bundle) throw new Error(`no bundle for ${entry} in scripts/build.mjs`);
  const built = await esbuild.build({ ...build.optionsFor(bundle), write: false, metafile: true });
  return Object.keys(built.metafile!.inputs);
}

describe("the extension's two bundles", { timeout: 60_000 }, () => {
  it("activation's bundle carries no replay or chaos engine, command or panel", async () => {
    const first = await inputsOf("src/extension/extension.ts");
    expect(first).toContain("src/extension/test-explorer.ts");
    expect(first).toContain("src/extension/lab-session.ts");
    const heavy = first.filter((f) => /^src\/(lab\/(replay\/(?!running|handler-lenses)|chaos\/)|extension\/(panel|commands)\/)/.test(f));
    expect(heavy).toEqual([]);
  });

  it("the second bundle carries them, and extension.ts reaches it only by features()", async () => {
    const second = await inputsOf("src/extension/features.ts");
    for (const f of ["src/lab/replay/replay.ts", "src/lab/chaos/record.ts", "src/extension/panel/lab-panel.ts", "src/extension/commands/scaffold.ts"])
      expect(second).toContain(f);
  });
});

describe("LabError across the two bundles", () => {
  it("an error made by another copy of the module is a LabError to this one", async () => {
    const here = await import("../../src/lab/errors.js");
    vi.resetModules();
    // @ts-expect-error -- the query makes vitest load a second copy of the module, as the second bundle has
    const other = (await import("../../src/lab/errors.js?copy")) as typeof here;
    expect(other.LabError).not.toBe(here.LabError);
    const err = new other.LabError("the lab is busy", "wait", "replay-running");
    expect(err instanceof here.LabError).toBe(true);
    expect(here.describeError(err)).toEqual({ message: "the lab is busy", fix: "wait" });
    expect(new Error("plain") instanceof here.LabError).toBe(false);
    const nothing: unknown = null;
    expect(nothing instanceof here.LabError).toBe(false);
  });
});
