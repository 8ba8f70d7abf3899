// exercises/exercises.json lists the exercises for the lab's tools (and exercises/serve.ts):
// every exercise has a starter and a solution under the same file name, a test file, a
// section in docs/04-exercises.md, and both versions define the same Restate services.
// (The exercises' own tests are run by `npm run test:exercises`, not here.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sectionIds as slugs } from "./doc-sections.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const { exercises } = JSON.parse(readFileSync(join(root, "exercises", "exercises.json"), "utf8")) as {
  exercises: Array<{ id: string; title: string; file: string; solution: string; test: string; services: string[]; docs: string }>;
};

describe("exercises/exercises.json", () => {
  it("lists six exercises, with parallel files that exist, tests and docs", () => {
    expect(exercises.map((e) => e.id)).toEqual([
      "01-order-creation",
      "02-refunds",
      "03-email-dedup",
      "04-custom-strategies",
      "05-concurrent-handlers",
      "06-retry-contract",
    ]);
    for (const e of exercises) {
      expect(e.file).toBe(`exercises/${e.id}.ts`);
      expect(e.solution).toBe(`solutions/${e.id}.ts`);
      expect(e.test).toBe(`test/exercises/${e.id}.test.ts`);
      for (const path of [e.file, e.solution, e.test]) expect(existsSync(join(root, path)), `${path} is missing`).toBe(true);
      const [doc = "", anchor = ""] = e.docs.split("#");
      expect(slugs(readFileSync(join(root, doc), "utf8")), `${e.docs} has no such section`).toContain(anchor);
    }
  });

  it("covers every file of exercises/, solutions/ and test/exercises/", () => {
    const listed = (folder: string, suffix: string) =>
      readdirSync(join(root, folder))
        .filter((f) => f.endsWith(suffix))
        .sort();
    const ids = exercises.map((e) => e.id);
    expect(listed("exercises", ".ts")).toEqual([...ids.map((id) => `${id}.ts`), "serve.ts"].sort());
    expect(listed("solutions", ".ts")).toEqual(ids.map((id) => `${id}.ts`));
    expect(listed("test/exercises", ".test.ts")).toEqual(ids.map((id) => `${id}.test.ts`));
  });

  it.each(exercises.map((e) => [e.id, e] as const))("%s: the starter and the solution serve the same services", async (_id, e) => {
    const names = async (path: string) =>
      ((await import(join(root, path))) as { services: Array<{ name: string }> }).services.map((s) => s.name);
    expect(await names(e.file), `${basename(e.file)} in exercises/`).toEqual(e.services);
    expect(await names(e.solution), `${basename(e.solution)} in solutions/`).toEqual(e.services);
  });
});
