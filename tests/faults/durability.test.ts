// The faults suite's rows for the files that must survive a crash or a full disk, through a real
// lab start: a ledger whose last line was torn by a crash, a ledger with a corrupt line in the
// middle, and a run history that cannot be written.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workspacePaths } from "../../src/lab/paths.js";
import { findProcesses } from "../../src/lab/processes.js";
import { replay } from "../../src/lab/replay/replay.js";
import { resetLab } from "../../src/lab/reset.js";
import { status, up } from "../../src/lab/stack.js";
import { cleanUpLabs, newLab, post, runCli } from "../stack/helpers.js";
import { Table } from "./table.js";

const table = new Table();
const ANY_PORTS = { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 };

afterAll(async () => {
  table.print();
  await cleanUpLabs();
});

/** A ledger line as the gateway writes it. */
function entry(n: number, paymentId: string): string {
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString();
  return JSON.stringify({
    id: `ch_${String(n).padStart(6, "0")}`,
    type: "charge",
    paymentId,
    amount: 100,
    currency: "EUR",
    idempotencyKey: `charge-${paymentId}`,
    at,
    requestedAt: at,
  });
}

function labWithLedger(text: string): { lab: string; ledger: string } {
  const lab = newLab();
  const { lab: dir, ledger } = workspacePaths(lab);
  mkdirSync(dir, { recursive: true });
  writeFileSync(ledger, text);
  return { lab, ledger };
}

describe("the gateway's ledger, through a lab start", () => {
  it("a corrupt line in the middle: up fails naming the file and line, the file is unchanged, nothing keeps running", () => {
    const text = `${entry(1, "p-1")}\n{"id":"ch_000002","type":"ch@@garbage\n${entry(3, "p-3")}\n`;
    const { lab, ledger } = labWithLedger(text);
    const out = runCli(["up", lab, "--detach", "--ingress-port", "0", "--admin-port", "0", "--gateway-port", "0", "--service-port", "0"]);
    const errorLine = out.stderr.split("\n").find((l) => l.startsWith("error:")) ?? "";
    const observed = {
      exit: out.code === 0 ? 0 : "non-zero",
      namesFileAndLine: errorLine.includes(`${ledger}: line 2 is not a ledger entry`),
      saysWhatToDo: /fix or remove that line/.test(errorLine),
      fileUnchanged: readFileSync(ledger, "utf8") === text,
      leftRunning: findProcesses([lab]),
    };
    const expected = { exit: "non-zero", namesFileAndLine: true, saysWhatToDo: true, fileUnchanged: true, leftRunning: [] };
    table.add("durability", "ledger with a corrupt middle line: `up` refuses", expected, observed);
    expect(observed, out.stderr).toEqual(expected);
  });

  it("a torn last line: set aside with a warning naming the file and line, the lab starts, earlier entries and new charges count", async () => {
    const torn = '{"id":"ch_000003","type":"charge","paymentId":"p-3","amo';
    const { lab, ledger } = labWithLedger(`${entry(1, "p-1")}\n${entry(2, "p-2")}\n${torn}`);
    const stack = await up(lab, { ports: ANY_PORTS });
    const log = readFileSync(workspacePaths(lab).log, "utf8");
    const asideName = readdirSync(workspacePaths(lab).lab).find((f) => f.startsWith("ledger.jsonl.torn-"));
    const charged = await post(`${stack.urls.ingress}/PaymentService/p-after/create`, { amount: 100, currency: "EUR" }, "after-torn");
    const lines = readFileSync(ledger, "utf8").trimEnd().split("\n");
    const observed = {
      warned: log.includes(`WARN: ${ledger}: line 3 was incomplete`),
      setAside: asideName !== undefined && readFileSync(join(workspacePaths(lab).lab, asideName), "utf8") === torn,
      started: (await status(lab)).state,
      newCharge: charged.status,
      ledgerLines: lines.map((l) => (JSON.parse(l) as { paymentId: string }).paymentId),
    };
    const expected = { warned: true, setAside: true, started: "ready", newCharge: 200, ledgerLines: ["p-1", "p-2", "p-after"] };
    table.add("durability", "ledger with a torn last line: set aside, the lab starts", expected, observed);
    expect(observed, log.slice(-2000)).toEqual(expected);
  });
});

describe("the run history", () => {
  it("cannot be written (.lab/history is a file): the replay's result stands with a note, the user is told, the lab keeps running", async () => {
    const lab = newLab();
    await up(lab, { ports: ANY_PORTS });
    const history = join(workspacePaths(lab).lab, "history");
    writeFileSync(history, "not a folder");
    const told: string[] = [];
    const run = await replay(lab, { scenario: "duplicates-in-a-row", count: 3 }, { onHistoryError: (m) => told.push(m) });
    const cli = runCli(["replay", lab, "--scenario", "duplicates-in-a-row", "--count", "2"]);
    const observed = {
      verdict: run.result.verdict,
      noted: run.result.notes.some((n) => /could not be kept in the history .*is not a folder/.test(n)),
      toldOnce: told.length,
      cliExit: cli.code,
      cliSays: /could not be kept in the history/.test(cli.stdout) && /could not be kept in the history/.test(cli.stderr),
      fileUntouched: readFileSync(history, "utf8") === "not a folder",
      labStill: (await status(lab)).state,
    };
    const expected = { verdict: "safe", noted: true, toldOnce: 1, cliExit: 0, cliSays: true, fileUntouched: true, labStill: "ready" };
    table.add("durability", "history cannot be written (.lab/history is a file)", expected, observed);
    expect(observed, cli.stdout + cli.stderr).toEqual(expected);
  });
});

describe("the record of a running replay", () => {
  it("cannot be written (.lab/replays is a link): the replay runs with a note, nothing is written through the link, a reset refuses", async () => {
    const lab = newLab();
    await up(lab, { ports: ANY_PORTS });
    const elsewhere = mkdtempSync(join(tmpdir(), "lab-elsewhere-"));
    symlinkSync(elsewhere, workspacePaths(lab).replays, "dir");
    const run = await replay(lab, { scenario: "duplicates-in-a-row", count: 2 });
    const reset = await resetLab(lab).catch((err: unknown) => err);
    const observed = {
      verdict: run.result.verdict,
      noted: run.result.notes.some((n) => /not recorded as running .*symbolic link/.test(n)),
      writtenElsewhere: readdirSync(elsewhere).length,
      resetRefused: reset instanceof Error && /symbolic link/.test(reset.message),
      labStill: (await status(lab)).state,
    };
    const expected = { verdict: "safe", noted: true, writtenElsewhere: 0, resetRefused: true, labStill: "ready" };
    table.add("durability", "running-replay record cannot be written (.lab/replays is a link)", expected, observed);
    expect(observed, JSON.stringify(run.result.notes)).toEqual(expected);
  });
});
