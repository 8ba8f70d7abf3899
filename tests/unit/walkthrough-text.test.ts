// The walkthrough's pages name how many exercises the lab has: that number follows the
// template's exercises.json (it said "five" after the sixth exercise came).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { packageRoot, templateDir } from "../../src/lab/paths.js";

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

it("every count of exercises in the walkthrough matches the template's exercises", () => {
  const { exercises } = JSON.parse(readFileSync(join(templateDir(), "exercises", "exercises.json"), "utf8")) as { exercises: unknown[] };
  const dir = join(packageRoot(), "media", "walkthrough");
  const counts = readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/\b(\w+) exercises\b/g)].map((m) => [f, m[1]!.toLowerCase()] as const))
    .filter(([, word]) => WORDS.includes(word));
  expect(counts.length).toBeGreaterThan(0);
  for (const [file, word] of counts) expect(`${file}: ${word}`).toBe(`${file}: ${WORDS[exercises.length]}`);
});
