// A lab's docs: the pages the extension links to by name, and which page holds a section. The
// concepts are spread over more than one page (docs/01-concepts.md, docs/01b-...) and the lab
// links to a section by its id alone (a scenario's conceptsSection), so the page is found by
// reading the headings.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readLabFile } from "./lab-files.js";

/** The pages the extension opens by name, in a lab's docs/ folder (the template's learning path). */
export const DOC_PAGES = {
  concepts: "01-concepts.md",
  validation: "03-validation.md",
  exercises: "04-exercises.md",
} as const;

/** A named page of a lab's docs. */
export function docPage(workspace: string, page: keyof typeof DOC_PAGES): string {
  return join(workspace, "docs", DOC_PAGES[page]);
}

/** The doc to open first: the concepts once the learning path is there, else the README. */
export function firstDoc(workspace: string): string | undefined {
  return [docPage(workspace, "concepts"), join(workspace, "README.md")].find((f) => existsSync(f));
}

/**
 * Every heading's id, as a link's #fragment names it: in lower case, without punctuation, spaces
 * as dashes. The template's test/doc-sections.ts does the same for the docs' own tests (the
 * template cannot import the extension's code); tests/unit/lab-docs.test.ts keeps them equal.
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
    // A workspace's file: read as every other (no link followed, size capped); one that is not is skipped.
    let text: string | null;
    try {
      text = readLabFile(page);
    } catch {
      continue;
    }
    if (text !== null && sectionIds(text).includes(section)) return page;
  }
  return firstDoc(workspace);
}
