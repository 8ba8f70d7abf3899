// Which handler each scenario exercises, and its lines as the lab's files hold them now: the
// panel's "The code" block. A handler is found by its name in its service's file and its end by
// a bracket-depth scan (strings and comments skipped), not a TypeScript parser: the lab's
// handlers are written as `name: async (...) => { ... },` properties and a learner's edit keeps
// that shape. The charge line is the first `charge(` call, inside a `.run(` callback or not.
import { join } from "node:path";
import { MAX_CODE_LINE_LENGTH, MAX_CODE_LINES, type ChargeLine, type HandlerCode, type ScenarioCode } from "../../shared/code.js";
import { checkLabDir, readLabFile } from "../lab-files.js";
import type { Scenario, ServiceName } from "./types.js";

/** Each service's file in the lab workspace. */
export const SERVICE_FILES: Readonly<Record<ServiceName, string>> = {
  PaymentService: "src/payment-service.ts",
  PaymentAntiPatterns: "src/anti-patterns.ts",
  Fees: "src/fees.ts",
  CheckoutWorkflow: "src/checkout.ts",
  OrderSaga: "src/real-world.ts",
  PaymentWebhooks: "src/real-world.ts",
  CarefulPayments: "src/real-world.ts",
  OrderEmails: "src/real-world.ts",
};

/** The safe handler shown beside an anti-pattern: its charge is journaled and keyed. */
export const FIXED_HANDLER = { service: "PaymentService" as ServiceName, handler: "create" };

/** A lab source file is read only up to this size: a service file is a few kilobytes. */
const MAX_FILE_BYTES = 512 * 1024;
/** At most this many handlers a scenario sends to are shown (then the fixed one). */
const MAX_RUN_HANDLERS = 2;

export interface HandlerRef {
  file: string;
  service: ServiceName;
  handler: string;
  role: "run" | "fixed";
}

/** The handlers a scenario's requests go to (in plan order, each once), and for an anti-pattern the safe one beside it. */
export function scenarioHandlers(s: Scenario): HandlerRef[] {
  const refs: HandlerRef[] = [];
  for (const step of s.plan) {
    if (step.kind !== "requests" || refs.some((r) => r.service === step.service && r.handler === step.handler)) continue;
    refs.push({ file: SERVICE_FILES[step.service], service: step.service, handler: step.handler, role: "run" });
  }
  const shown = refs.slice(0, MAX_RUN_HANDLERS);
  if (s.kind === "anti-pattern" && !shown.some((r) => r.service === FIXED_HANDLER.service && r.handler === FIXED_HANDLER.handler))
    shown.push({ file: SERVICE_FILES[FIXED_HANDLER.service], ...FIXED_HANDLER, role: "fixed" });
  return shown;
}

/** Finds `handler`'s lines in `source` (the text of its service's file); null when no property of that name is there. */
export function findHandler(source: string, ref: HandlerRef): HandlerCode | null {
  const lines = source.split(/\r?\n/);
  const name = new RegExp(`^\\s*${ref.handler}\\s*:\\s*(async\\b|restate\\.|\\()`);
  const start = lines.findIndex((l) => name.test(l));
  if (start < 0) return null;
  const scan = new DepthScanner();
  let end = lines.length - 1;
  let charge: ChargeLine | null = null;
  for (let i = start; i < lines.length; i++) {
    const found = scan.line(lines[i] ?? "");
    if (found.charge && charge === null) charge = { line: i + 1, inRun: found.chargeInRun };
    if (scan.opened && scan.depth <= 0) {
      end = i;
      break;
    }
  }
  // The fix beside an anti-pattern is shown down to the line after its charge: what matters beside the flaw.
  const shownEnd = ref.role === "fixed" && charge !== null ? Math.min(end, charge.line) : end;
  const all = lines.slice(start, shownEnd + 1);
  const shown = all.slice(0, MAX_CODE_LINES).map((l) => (l.length > MAX_CODE_LINE_LENGTH ? `${l.slice(0, MAX_CODE_LINE_LENGTH - 1)}…` : l));
  const lastShown = start + shown.length;
  return {
    file: ref.file,
    service: ref.service,
    handler: ref.handler,
    role: ref.role,
    startLine: start + 1,
    lines: shown,
    charge: charge !== null && charge.line <= lastShown ? charge : null,
    truncated: all.length > shown.length || shownEnd < end,
  };
}

/** Reads the scenario's handlers from the lab workspace, without following links; what is missing is said in `problem`. */
export function scenarioCode(workspace: string, s: Scenario): ScenarioCode {
  const blocks: HandlerCode[] = [];
  const problems: string[] = [];
  const texts = new Map<string, string | null>();
  for (const ref of scenarioHandlers(s)) {
    if (!texts.has(ref.file)) texts.set(ref.file, readSource(workspace, ref.file, problems));
    const text = texts.get(ref.file);
    if (text === null || text === undefined) continue;
    const block = findHandler(text, ref);
    if (block) blocks.push(block);
    else problems.push(`${ref.file} has no handler named ${ref.handler} (was it renamed?)`);
  }
  return { scenario: s.id, blocks, ...(problems.length > 0 ? { problem: problems.join("; ").slice(0, 600) } : {}) };
}

function readSource(workspace: string, file: string, problems: string[]): string | null {
  try {
    // src/ must be a real folder of the workspace, and the file is opened without following a link.
    checkLabDir(workspace, join(workspace, "src"), false);
    const text = readLabFile(join(workspace, file));
    if (text === null) problems.push(`${file} is not in the lab workspace`);
    else if (Buffer.byteLength(text) > MAX_FILE_BYTES) problems.push(`${file} is larger than ${MAX_FILE_BYTES / 1024} KB, so it is not shown`);
    else return text;
  } catch (err) {
    problems.push(`${file} was not read: ${(err as Error).message}`);
  }
  return null;
}

/**
 * Follows bracket depth line by line, skipping strings, template text and comments. A `.run(`
 * call opens a journaled region until its parenthesis closes; a `charge(` call met inside one
 * is journaled.
 */
class DepthScanner {
  depth = 0;
  /** True once the handler's first bracket opened: its end is where the depth comes back to 0. */
  opened = false;
  private runDepths: number[] = [];
  private inBlockComment = false;
  private quote: string | null = null;

  line(text: string): { charge: boolean; chargeInRun: boolean } {
    let charge = false;
    let chargeInRun = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] ?? "";
      if (this.inBlockComment) {
        if (c === "*" && text[i + 1] === "/") {
          this.inBlockComment = false;
          i++;
        }
        continue;
      }
      if (this.quote !== null) {
        if (c === "\\") i++;
        else if (c === this.quote) this.quote = null;
        continue;
      }
      if (c === "/" && text[i + 1] === "/") break;
      if (c === "/" && text[i + 1] === "*") {
        this.inBlockComment = true;
        i++;
        continue;
      }
      if (c === '"' || c === "'" || c === "`") {
        this.quote = c;
        continue;
      }
      if (c === "(" || c === "{" || c === "[") {
        if (c === "(" && /\.run\s*$/.test(text.slice(0, i))) this.runDepths.push(this.depth);
        if (c === "(" && !charge && /\bcharge\s*$/.test(text.slice(0, i))) {
          charge = true;
          chargeInRun = this.runDepths.length > 0;
        }
        this.depth++;
        this.opened = true;
      } else if (c === ")" || c === "}" || c === "]") {
        this.depth--;
        while (this.runDepths.length > 0 && (this.runDepths.at(-1) ?? -1) >= this.depth) this.runDepths.pop();
      }
    }
    // A plain string ends with its line; a template literal may go on.
    if (this.quote === '"' || this.quote === "'") this.quote = null;
    return { charge, chargeInRun };
  }
}
