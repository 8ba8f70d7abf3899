// Which page of a lab's docs holds a section. The concepts are spread over more than one page
// (docs/01-concepts.md, docs/01b-concepts-in-practice.md, ...) and the lab links to a section by
// its id alone (a scenario's conceptsSection), so the page is found by reading the headings.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Every heading's id, as a link's #fragment names it: in lower case, without punctuation, spaces
 * as dashes. The template's test/doc-sections.ts does the same for the docs' own tests (the
 * template cannot import the extension's code); tests/unit/concepts-docs.test.ts keeps them equal.
 */
export function sectionIds(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) =>
      l
        .replace(/^#+ /, "")
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, "")
        .replace(/\s/g, "-"),
    );
}

/** The numbered doc pages of a workspace (docs/01-concepts.md, ...), in reading order. */
export function docPages(workspace: string): string[] {
  const docs = join(workspace, "docs");
  try {
    return readdirSync(docs)
      .filter((f) => /^\d\d[a-z]?-[\w-]+\.md$/.test(f))
      .sort()
      .map((f) => join(docs, f));
  } catch {
    return [];
  }
}

/**
 * The page that has a heading with this id; when none has it, the first concepts page, else the
 * README, else undefined (a workspace without docs).
 */
export function pageForSection(workspace: string, section: string): string | undefined {
  for (const page of docPages(workspace)) {
    let text: string;
    try {
      text = readFileSync(page, "utf8");
    } catch {
      continue;
    }
    if (sectionIds(text).includes(section)) return page;
  }
  return [join(workspace, "docs", "01-concepts.md"), join(workspace, "README.md")].find((f) => existsSync(f));
}
