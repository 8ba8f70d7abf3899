// The ids of a Markdown file's sections, as a link's #fragment names them: each heading in
// lower case, without punctuation, spaces as dashes. The lab links to the concepts pages
// (docs/01-concepts.md, docs/01b-concepts-in-practice.md) and docs/04-exercises.md by these ids,
// and the tests check that every link has its section. The extension has the same function
// (src/lab/concepts-docs.ts, to find the page of a section); its unit test keeps the two equal.

/** Every heading's id, in the order of the file. */
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
