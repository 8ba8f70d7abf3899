// The panel's "Learn more" opens the docs page that holds a scenario's section: the concepts
// are split over two pages, and a section is named by its id alone.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sectionIds as templateSectionIds } from "../../lab-templates/payment-service/test/doc-sections.ts";
import { docPages, pageForSection, sectionIds } from "../../src/lab/lab-docs.js";

const template = join(import.meta.dirname, "../../lab-templates/payment-service");
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "concepts-docs-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("the page that holds a section", () => {
  it("reads heading ids as the template's docs tests do, on every page of the docs", () => {
    for (const doc of readdirSync(join(template, "docs"))) {
      const text = readFileSync(join(template, "docs", doc), "utf8");
      expect(sectionIds(text), doc).toEqual(templateSectionIds(text));
    }
  });

  it("finds each section on its page of the template's concepts", () => {
    expect(basename(pageForSection(template, "journaling")!)).toBe("01-concepts.md");
    expect(basename(pageForSection(template, "workflows")!)).toBe("01-concepts.md");
    expect(basename(pageForSection(template, "anti-patterns")!)).toBe("01b-concepts-in-practice.md");
    expect(basename(pageForSection(template, "kill-and-cancel-then-retry")!)).toBe("01b-concepts-in-practice.md");
  });

  it("lists the numbered pages in reading order, and nothing else", () => {
    const dir = workspace({ "docs/02-b.md": "", "docs/01b-a.md": "", "docs/01-a.md": "", "docs/notes.md": "", "README.md": "" });
    expect(docPages(dir).map((p) => basename(p))).toEqual(["01-a.md", "01b-a.md", "02-b.md"]);
  });

  it("falls back to the first concepts page, then the README, then nothing", () => {
    const both = workspace({ "docs/01-concepts.md": "# 1. Concepts\n", "README.md": "# Lab\n" });
    expect(pageForSection(both, "no-such-section")).toBe(join(both, "docs", "01-concepts.md"));
    const readme = workspace({ "README.md": "# Lab\n" });
    expect(pageForSection(readme, "journaling")).toBe(join(readme, "README.md"));
    expect(pageForSection(workspace({}), "journaling")).toBeUndefined();
  });
});
