// The docs are checked like code: every ```ts block in docs/*.md must type-check against the
// Restate SDK, and every ```sh block that calls curl must run against a real stack, exit 0 and
// print what the doc says it prints, twice in a row (three stacks, a lane of blocks each).
//
// Markers, as HTML comments (invisible in the rendered Markdown):
//   <!-- prelude            before a ts block: code compiled in front of it (imports, a context)
//   ... -->
//   <!-- postlude           after a ts block: code compiled after it (closing brackets)
//   ... -->
//   <!-- file: test/x.ts -->  before a ts block: where it is compiled (default: src/, so that
//                             `./gateway-client.ts` resolves as it does for the service's code)
//   <!-- excerpt-of: src/payment-service.ts -->  before a ts block: every line of the block is in
//                             that file, in order (`// ...` stands for lines left out)
//   <!-- expect-output      after a sh block: one regular expression a line; stdout must match each
//   ... -->
//   <!-- continues -->       before a sh block: it builds on the sh block before it in the same doc
//                             (its shell variables), as in one terminal; the test runs that block
//                             first, its output silenced
// In sh blocks the usual ports (ingress 8080, admin 9070, service 9080, gateway 9081, exercises
// 9082) are replaced by the test stack's.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sectionIds } from "./doc-sections.ts";
import { startStack, type Stack } from "./harness.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const docsDir = join(root, "docs");
const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith(".md"))
  .sort();

interface Block {
  doc: string;
  /** 1-based line of the block's first code line in the doc. */
  line: number;
  lang: string;
  code: string;
  prelude: string;
  postlude: string;
  file?: string;
  excerptOf?: string;
  expect: RegExp[];
  /** Runs after the sh block before it, in the same shell. */
  continues: boolean;
}

interface Comment {
  name: string;
  argument: string;
  body: string;
}

/** Reads an HTML comment that starts at lines[i]; returns it and the index after it. */
function readComment(lines: string[], i: number): { comment: Comment; next: number } | null {
  const first = lines[i]!.trim();
  if (!first.startsWith("<!--")) return null;
  let text = first.slice(4);
  let j = i;
  while (!text.includes("-->")) {
    j++;
    if (j >= lines.length) throw new Error(`unclosed HTML comment at line ${i + 1}`);
    text += "\n" + lines[j]!;
  }
  text = text.slice(0, text.indexOf("-->"));
  const [head = "", ...rest] = text.split("\n");
  const match = /^\s*([\w-]+)(?::\s*(.*?))?\s*$/.exec(head);
  return { comment: { name: match?.[1] ?? "", argument: match?.[2] ?? "", body: rest.join("\n") }, next: j + 1 };
}

function parseBlocks(doc: string): Block[] {
  const lines = readFileSync(join(docsDir, doc), "utf8").split("\n");
  const blocks: Block[] = [];
  let pending: Comment[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const comment = readComment(lines, i);
    if (comment) {
      pending.push(comment.comment);
      i = comment.next;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (!fence) {
      if (line.trim() !== "") pending = [];
      i++;
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") end++;
    if (end >= lines.length) throw new Error(`${doc}:${i + 1}: unclosed code block`);
    const block: Block = {
      doc,
      line: start + 1,
      lang: fence[1] ?? "",
      code: lines.slice(start, end).join("\n"),
      prelude: pending.find((c) => c.name === "prelude")?.body ?? "",
      postlude: "",
      file: pending.find((c) => c.name === "file")?.argument,
      excerptOf: pending.find((c) => c.name === "excerpt-of")?.argument,
      expect: [],
      continues: pending.some((c) => c.name === "continues"),
    };
    pending = [];
    i = end + 1;
    // Comments right after the block: its postlude, its expected output.
    for (;;) {
      let k = i;
      while (k < lines.length && lines[k]!.trim() === "") k++;
      const after = k < lines.length ? readComment(lines, k) : null;
      if (!after || !["postlude", "expect-output"].includes(after.comment.name)) break;
      if (after.comment.name === "postlude") block.postlude = after.comment.body;
      else block.expect.push(...after.comment.body.split("\n").filter((l) => l.trim() !== "").map((l) => new RegExp(l.trim(), "m")));
      i = after.next;
    }
    blocks.push(block);
  }
  return blocks;
}

const blocks = docs.flatMap(parseBlocks);
const where = (b: Block) => `docs/${b.doc}:${b.line}`;

/** A sh block's script: with the blocks it continues in front, their output silenced. */
function script(block: Block): string {
  if (!block.continues) return block.code;
  const previous = blocks
    .slice(0, blocks.indexOf(block))
    .reverse()
    .find((b) => b.doc === block.doc && b.lang === "sh");
  if (!previous) throw new Error(`${where(block)} continues, but no sh block comes before it`);
  return `{\n${script(previous)}\n} > /dev/null\n${block.code}`;
}

describe("the docs", () => {
  it("are all there, with the section ids the lab links to", () => {
    expect(docs).toEqual(expect.arrayContaining(["01-concepts.md", "01b-concepts-in-practice.md", "02-hands-on.md", "03-validation.md", "04-exercises.md", "05-real-world.md"]));
    // The concepts span two pages; the lab opens whichever has the section (src/lab/lab-docs.ts).
    const slugs = ["01-concepts.md", "01b-concepts-in-practice.md"].flatMap((doc) => sectionIds(readFileSync(join(docsDir, doc), "utf8")));
    const sections = ["idempotency-keys", "virtual-object-state", "journaling", "anti-patterns"];
    // The lessons' scenarios link to these too (src/lab/replay in the extension).
    sections.push("keys-drawn-from-the-journal", "the-scope-of-a-key", "workflows", "when-a-key-is-free-again", "kill-and-cancel-then-retry");
    for (const id of sections) {
      // Once: the lab opens the first page that has the id.
      expect(slugs.filter((s) => s === id), `the concepts pages have ${slugs.filter((s) => s === id).length} headings whose id is "${id}", not one`).toHaveLength(1);
    }
  });

  it("are no longer than 700 lines a page", () => {
    const long = docs.map((doc) => [doc, readFileSync(join(docsDir, doc), "utf8").split("\n").length] as const).filter(([, n]) => n > 700);
    expect(long, "split a page that grows past 700 lines").toEqual([]);
  });

  it("link only to pages and sections that exist", () => {
    const problems: string[] = [];
    const pages = [...docs.map((doc) => ["docs", doc] as const), [".", "README.md"] as const];
    for (const [dir, doc] of pages) {
      const text = readFileSync(join(root, dir, doc), "utf8");
      for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(link!)) continue;
        const [path = "", anchor] = link!.split("#");
        const target = path === "" ? join(root, dir, doc) : resolve(root, dir, path);
        if (!existsSync(target)) {
          problems.push(`${doc}: ${link} (no such file)`);
          continue;
        }
        if (anchor && target.endsWith(".md") && !sectionIds(readFileSync(target, "utf8")).includes(anchor)) problems.push(`${doc}: ${link} (no such section)`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("use only ts and sh code blocks", () => {
    const others = blocks.filter((b) => !["ts", "sh"].includes(b.lang)).map((b) => `${where(b)} (${b.lang || "no language"})`);
    expect(others, "every code block is checked, so it must be ts or sh").toEqual([]);
  });

  it("have ts blocks that type-check against the Restate SDK", () => {
    const tsBlocks = blocks.filter((b) => b.lang === "ts");
    expect(tsBlocks.length, "no ts block found: is the parser broken?").toBeGreaterThan(0);
    const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    });
    if (!config) throw new Error("cannot read tsconfig.json");

    const virtual = new Map<string, { block: Block; preludeLines: number }>();
    const sources = new Map<string, string>();
    tsBlocks.forEach((block, n) => {
      const relative = block.file ?? `src/__docs__${block.doc.replace(/\W/g, "_")}_${n}.ts`;
      const path = resolve(root, relative);
      const prelude = block.prelude === "" ? "" : block.prelude + "\n";
      virtual.set(path, { block, preludeLines: prelude === "" ? 0 : prelude.split("\n").length - 1 });
      // `export {}` keeps every block a module of its own.
      sources.set(path, `${prelude}${block.code}\n${block.postlude}\nexport {};\n`);
    });

    const host = ts.createCompilerHost(config.options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (f) => sources.has(resolve(f)) || fileExists.call(host, f);
    host.readFile = (f) => sources.get(resolve(f)) ?? readFile.call(host, f);
    host.getSourceFile = (f, language, ...rest) => {
      const text = sources.get(resolve(f));
      return text !== undefined ? ts.createSourceFile(f, text, language) : getSourceFile.call(host, f, language, ...rest);
    };
    const program = ts.createProgram({ rootNames: [...sources.keys()], options: { ...config.options, noEmit: true }, host });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const origin = d.file ? virtual.get(resolve(d.file.fileName)) : undefined;
      if (!d.file || d.start === undefined) return `(global) ${message}`;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      if (!origin) return `${d.file.fileName}:${line + 1} ${message}`;
      const inBlock = line - origin.preludeLines;
      const place = inBlock < 0 ? "its prelude" : inBlock >= origin.block.code.split("\n").length ? "its postlude" : `line ${origin.block.line + inBlock}`;
      return `${where(origin.block)} (${place}): ${message}`;
    });
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("quote the lab's code as it is where they say they do", () => {
    const problems: string[] = [];
    for (const block of blocks.filter((b) => b.excerptOf)) {
      const source = readFileSync(join(root, block.excerptOf!), "utf8").split("\n").map((l) => l.trim());
      let at = 0;
      for (const line of block.code.split("\n").map((l) => l.trim())) {
        if (line === "" || line === "// ...") continue;
        const found = source.indexOf(line, at);
        if (found === -1) {
          problems.push(`${where(block)}: "${line}" is not in ${block.excerptOf} (after line ${at})`);
          break;
        }
        at = found + 1;
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });
});

describe("the docs' curl commands, against real stacks", () => {
  const curlBlocks = blocks.filter((b) => b.lang === "sh" && /\bcurl\b/.test(b.code));
  // The blocks mostly wait (for a retention to run out, a cleaner, a slowed gateway): one after
  // another they took two minutes. They run in LANES lanes at once, each with a stack of its own
  // and its blocks one at a time, since some change what the whole stack does (the gateway's
  // faults, a service's retention) until they put it back.
  const LANES = 3;
  const stacks: Stack[] = [];
  /** Each block's two runs, started in beforeAll; each test awaits its own and judges it. */
  const outcomes = new Map<Block, Promise<Array<{ round: string; code: string; result: Awaited<ReturnType<typeof run>> }>>>();
  beforeAll(async () => {
    // Cleaning expired idempotency entries every 5 s, as the lab's own restate-server does (the default is 1 h).
    const started = await Promise.allSettled(
      Array.from({ length: LANES }, () => startStack({ extraService: { entry: "exercises/serve.ts" }, restateEnv: { RESTATE_WORKER__CLEANUP_INTERVAL: "5s" } })),
    );
    for (const s of started) if (s.status === "fulfilled") stacks.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    lanes(curlBlocks, LANES).forEach((lane, i) => {
      let previous: Promise<unknown> = Promise.resolve();
      for (const block of lane) {
        const outcome = previous.then(() => runTwice(block, stacks[i]!));
        outcomes.set(block, outcome);
        // A block that could not run fails its own test (which awaits it), not the ones after it.
        previous = outcome.catch(() => undefined);
      }
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([...outcomes.values()]);
    await Promise.all(stacks.map((stack) => stack.stop()));
  });

  it("are there", () => {
    expect(curlBlocks.length, "no curl block found: is the parser broken?").toBeGreaterThan(0);
  });

  // Twice each: a learner runs a block again (after a typo, to look once more), so it must not
  // depend on ids that only work once.
  it.each(curlBlocks.map((b) => [where(b), b] as const))("%s exits 0 and prints what the doc says, run after run", async (_where, block) => {
    for (const { round, code, result } of await outcomes.get(block)!) {
      const output = `--- ${round}, script\n${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
      expect(result.status, `${where(block)} exited ${result.status} on ${round}\n${output}`).toBe(0);
      for (const pattern of block.expect) {
        expect(result.stdout, `${where(block)}: on ${round}, the output does not match ${pattern}\n${output}`).toMatch(pattern);
      }
    }
  }, 300_000);
});

/** A block's script with the usual ports replaced by `stack`'s, run twice in a row. */
async function runTwice(block: Block, stack: Stack) {
  const port = (url: string) => new URL(url).port;
  const ports: Record<string, string> = {
    "8080": port(stack.ingress),
    "9070": port(stack.admin),
    "9080": port(stack.service!),
    "9081": port(stack.gateway),
    "9082": port(stack.extraService!),
  };
  const code = script(block).replace(/\b(127\.0\.0\.1|localhost):(8080|9070|9080|9081|9082)\b/g, (_m, host: string, p: string) => `${host}:${ports[p]}`);
  const rounds = [];
  for (const round of ["the first run", "a second run"]) rounds.push({ round, code, result: await run(code) });
  return rounds;
}

/**
 * The blocks in `count` lanes of about equal length, each lane in the docs' order: the longest
 * first, each into the lane with the least so far. A block's length is guessed from its waits
 * (sleep, until) and whether it slows the gateway or changes a retention.
 */
function lanes(all: Block[], count: number): Block[][] {
  const guess = (b: Block) => 1 + (script(b).match(/\b(sleep|until)\b/g)?.length ?? 0) + (/\/faults|\/services\//.test(script(b)) ? 4 : 0);
  const out = Array.from({ length: count }, () => ({ blocks: [] as Block[], length: 0 }));
  for (const block of [...all].sort((x, y) => guess(y) - guess(x))) {
    const lane = out.reduce((least, l) => (l.length < least.length ? l : least));
    lane.blocks.push(block);
    lane.length += guess(block);
  }
  return out.map((l) => l.blocks.sort((x, y) => all.indexOf(x) - all.indexOf(y)));
}

/** Runs a script with bash -e -o pipefail (asynchronously: the stack's processes keep their output flowing). */
function run(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", ["-e", "-o", "pipefail", "-c", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}
