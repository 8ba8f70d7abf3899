// What "The code" block says about a handler: its title, each line's number and mark, and the
// charge line's label. No DOM here (the unit tests run it in Node).
import type { ChargeLine, HandlerCode, ScenarioCode } from "../../shared/protocol.js";

export interface CodeRow {
  /** The line number in the file. */
  n: number;
  text: string;
  charge: boolean;
}

/** The label under the charge line: what ctx.run does or does not do for it. */
export function chargeLabel(charge: ChargeLine): string {
  return charge.inRun ? "charges — inside ctx.run: journaled" : "charges — outside ctx.run: runs again on every retry";
}

export function blockTitle(block: HandlerCode): string {
  const name = `${block.service}.${block.handler}`;
  return block.role === "fixed" ? `The fix: ${name}` : name;
}

/** One sentence under the title: what to look at in this handler. */
export function blockNote(block: HandlerCode): string {
  if (block.role === "fixed") return "The same payment done safely: the charge inside ctx.run, with a gateway key derived from the payment id.";
  if (block.charge === null) return "This handler charges nothing itself.";
  return block.charge.inRun
    ? "Its charge runs inside ctx.run: once the result is journaled, a retry gets it back instead of charging again."
    : "Its charge runs outside ctx.run: nothing is journaled, so a retry of the handler charges again.";
}

export function codeRows(block: HandlerCode): CodeRow[] {
  return block.lines.map((text, i) => {
    const n = block.startLine + i;
    return { n, text, charge: block.charge?.line === n };
  });
}

/** Whether the charge of the handler the run sent to is inside ctx.run; null when no block shows one. */
export function runChargeInRun(code: ScenarioCode | undefined): boolean | null {
  const charge = code?.blocks.find((b) => b.role === "run" && b.charge !== null)?.charge;
  return charge ? charge.inRun : null;
}
