// "The code" of a scenario: the handler's lines the run exercised, as the lab's own files held
// them when the run was shown (a learner's edit shows), the line that charges, and for an
// anti-pattern the safe handler beside it. Plain data and its checks, shared by both sides.
import { isInt, isObject } from "./parse.js";

/** The lab files the panel may show or open: the service's sources, nothing else. */
export const CODE_FILE_PATTERN = /^src\/[a-z0-9-]{1,40}\.ts$/;
export const MAX_CODE_BLOCKS = 3;
export const MAX_CODE_LINES = 150;
export const MAX_CODE_LINE_LENGTH = 400;
/** A line number in a lab source file: no file the lab ships is near this long. */
export const MAX_SOURCE_LINE = 100_000;

/** The call that charges the customer, and whether a ctx.run callback holds it. */
export interface ChargeLine {
  /** The 1-based line number in the file. */
  line: number;
  /** Inside a ctx.run callback: journaled, a retry gets its result back instead of charging again. */
  inRun: boolean;
}

/** One handler's lines. */
export interface HandlerCode {
  /** The file inside the lab workspace, e.g. "src/anti-patterns.ts". */
  file: string;
  service: string;
  handler: string;
  /** "run": the handler the scenario sends its requests to; "fixed": the safe version beside an anti-pattern. */
  role: "run" | "fixed";
  /** The 1-based line number of lines[0]. */
  startLine: number;
  lines: string[];
  /** Null when the handler charges nothing. */
  charge: ChargeLine | null;
  /** True when the handler had more lines than the panel shows (the rest is cut off). */
  truncated: boolean;
}

/** What the extension found for a scenario: its blocks, or why it found none (e.g. the file is missing). */
export interface ScenarioCode {
  scenario: string;
  blocks: HandlerCode[];
  /** Why a handler could not be shown (a file missing, renamed handler), in words; absent when all were found. */
  problem?: string;
}

const isName = (v: unknown): v is string => typeof v === "string" && /^[A-Za-z][A-Za-z0-9_]{0,60}$/.test(v);

function blockProblem(b: unknown): string | null {
  if (!isObject(b)) return "is not an object";
  if (typeof b.file !== "string" || !CODE_FILE_PATTERN.test(b.file)) return "has no lab source file";
  if (!isName(b.service) || !isName(b.handler)) return "has no service and handler name";
  if (b.role !== "run" && b.role !== "fixed") return "has no role";
  if (!isInt(b.startLine, 1, MAX_SOURCE_LINE)) return "has no start line";
  if (!Array.isArray(b.lines) || b.lines.length === 0 || b.lines.length > MAX_CODE_LINES) return `needs 1 to ${MAX_CODE_LINES} lines`;
  if (!b.lines.every((l) => typeof l === "string" && l.length <= MAX_CODE_LINE_LENGTH))
    return `has a line that is not text of at most ${MAX_CODE_LINE_LENGTH} characters`;
  if (typeof b.truncated !== "boolean") return "does not say whether it was cut off";
  if (b.charge === null) return null;
  const end = b.startLine + b.lines.length - 1;
  if (!isObject(b.charge) || !isInt(b.charge.line, b.startLine, end) || typeof b.charge.inRun !== "boolean") return "has a charge line outside its lines";
  return null;
}

/** What is wrong with a scenario's code, or null when the panel can show it. */
export function scenarioCodeProblem(c: unknown): string | null {
  if (!isObject(c)) return "is not an object";
  if (typeof c.scenario !== "string" || !/^[a-z0-9-]{1,80}$/.test(c.scenario)) return "has no scenario id";
  if (c.problem !== undefined && (typeof c.problem !== "string" || c.problem.length > 600)) return "has a malformed problem";
  if (!Array.isArray(c.blocks) || c.blocks.length > MAX_CODE_BLOCKS) return `needs at most ${MAX_CODE_BLOCKS} blocks`;
  for (const [i, b] of c.blocks.entries()) {
    const problem = blockProblem(b);
    if (problem !== null) return `block ${i} ${problem}`;
  }
  return null;
}

/** What is wrong with an openSource request's place, or null: a lab source file and a line in it. */
export function sourcePlaceProblem(file: unknown, line: unknown): string | null {
  if (typeof file !== "string" || !CODE_FILE_PATTERN.test(file)) return "needs a lab source file (src/<name>.ts)";
  return isInt(line, 1, MAX_SOURCE_LINE) ? null : `needs a line from 1 to ${MAX_SOURCE_LINE}`;
}
