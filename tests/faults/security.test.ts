// The faults suite's security rows: a lab folder may come from someone else, so nothing in it
// (.lab/stack.json, links under .lab/) decides what the lab signals, reads, writes or where a
// token goes; and the lab's servers answer only this machine. Each attack runs for real.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { contentSecurityPolicy, panelHtml } from "../../src/extension/panel/html.js";
import { listRuns, loadRecordText, saveRun } from "../../src/lab/history.js";
import { isLabWorkspace, workspacePaths } from "../../src/lab/paths.js";
import { resetLab } from "../../src/lab/reset.js";
import { scaffold } from "../../src/lab/scaffold.js";
import { findProcesses, isAlive, newRunToken } from "../../src/lab/processes.js";
import { runScenario } from "../../src/lab/replay/run.js";
import { findScenario } from "../../src/lab/replay/scenarios.js";
import { crashService, localTarget } from "../../src/lab/replay/target.js";
import { down, status, up, type RunningStack } from "../../src/lab/stack.js";
import { parseToExtension, runRecordProblem, type RunRecord } from "../../src/shared/protocol.js";
import { cleanUpLabs, cliPath, newLab, runCli, runCliAsync } from "../stack/helpers.js";
import { captureProxy } from "./capture-proxy.js";
import { listeners } from "./sockets.js";
import { Table } from "./table.js";

const table = new Table();
const ANY_PORTS = { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 };
let workspace: string;
let stack: RunningStack;
const decoys: ChildProcess[] = [];

beforeAll(async () => {
  workspace = newLab();
  stack = await up(workspace, { ports: ANY_PORTS });
});
afterAll(async () => {
  table.print();
  for (const d of decoys) d.kill("SIGKILL");
  await cleanUpLabs();
});

/** A process that is not the lab's; `args` end up in its command line (to look like a lab's). */
async function decoy(...args: string[]): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", ...args], { stdio: "ignore" });
  decoys.push(child);
  await once(child, "spawn");
  return child.pid!;
}

/** A state file as an attacker would write it: every role pointing at `pid`. */
function forgeState(lab: string, pid: number, patch: Record<string, unknown> = {}): void {
  const paths = workspacePaths(lab);
  mkdirSync(paths.lab, { recursive: true });
  const state = {
    version: 2,
    phase: "ready",
    detail: "ready",
    runToken: newRunToken(),
    pids: { supervisor: pid, restate: pid, gateway: pid, service: pid },
    urls: { ingress: "http://127.0.0.1:1", admin: "http://127.0.0.1:2", gateway: "http://127.0.0.1:3", service: "http://127.0.0.1:4" },
    serviceRestarts: 0,
    updatedAt: new Date().toISOString(),
    ...patch,
  };
  writeFileSync(paths.state, JSON.stringify(state));
}

describe("a state file from someone else signals nothing", () => {
  it("the old format with an empty marker, naming an unrelated process: down leaves it alone and says why", async () => {
    const lab = newLab();
    const pid = await decoy();
    mkdirSync(workspacePaths(lab).lab, { recursive: true });
    writeFileSync(
      workspacePaths(lab).state,
      JSON.stringify({ version: 1, workspace: lab, phase: "ready", supervisor: { pid, marker: "" }, processes: { restate: { pid, marker: "" } } }),
    );
    const out = runCli(["down", lab]);
    const observed = {
      alive: isAlive(pid),
      exit: out.code === 0 ? 0 : "non-zero",
      says: /not one this lab wrote/.test(out.stdout),
      fileRemoved: !existsSync(workspacePaths(lab).state),
    };
    const expected = { alive: true, exit: "non-zero", says: true, fileRemoved: true };
    table.add("security", "CLI down, stack.json names an unrelated process (empty marker)", expected, observed);
    expect(observed, out.stdout + out.stderr).toEqual(expected);
  });

  it("a well-formed file naming a process whose command line holds the lab's paths: down, up and crashService leave it alone", async () => {
    const lab = newLab();
    const paths = workspacePaths(lab);
    // Its command line contains the workspace, the service script and the supervisor's folder; only the run token is missing.
    const pid = await decoy(lab, paths.serviceScript, paths.gatewayScript, paths.restateData);
    forgeState(lab, pid);
    const downResult = await down(lab);
    forgeState(lab, pid);
    const crash = await crashService(lab).then(
      () => "crashed",
      (err: Error) => err.message,
    );
    forgeState(lab, pid);
    const started = await up(lab, { ports: ANY_PORTS });
    const observed = {
      downStopped: downResult.stopped,
      crash: /not running/.test(crash),
      adopted: started.adopted,
      freshSupervisor: started.pids.supervisor !== pid,
      alive: isAlive(pid),
    };
    const expected = { downStopped: [], crash: true, adopted: false, freshSupervisor: true, alive: true };
    table.add("security", "stack.json names a look-alike process (no run token): down, crashService, up", expected, observed);
    expect(observed).toEqual(expected);
    await down(lab);
    expect(isAlive(pid)).toBe(true);
  });

  it("a running lab's real pids with a guessed run token: down signals nothing", async () => {
    const state = JSON.parse(readFileSync(workspacePaths(workspace).state, "utf8")) as { runToken: string };
    const real = state.runToken;
    const lab = newLab();
    forgeState(lab, stack.pids.supervisor, {
      pids: { supervisor: stack.pids.supervisor, restate: stack.pids.restate, service: stack.pids.service },
    });
    const result = await down(lab);
    const after = JSON.parse(readFileSync(workspacePaths(workspace).state, "utf8")) as { runToken: string; pids: unknown };
    const observed = {
      stopped: result.stopped,
      labStillReady: (await status(workspace)).state,
      samePids: JSON.stringify(after.pids) === JSON.stringify(stack.pids),
      sameToken: after.runToken === real,
    };
    const expected = { stopped: [], labStillReady: "ready", samePids: true, sameToken: true };
    table.add("security", "another lab's pids with a guessed run token: down", expected, observed);
    expect(observed).toEqual(expected);
  });

  it("URLs in the state file are used only when they are the lab's own (http://127.0.0.1:<port>)", async () => {
    const paths = workspacePaths(workspace);
    const original = readFileSync(paths.state, "utf8");
    const trap = await captureProxy(null);
    try {
      // The real running lab's file, with its admin URL pointed elsewhere (here a loopback name, so the test can watch it).
      const parsed = JSON.parse(original) as { urls: Record<string, string> };
      parsed.urls.admin = trap.url.replace("127.0.0.1", "localhost");
      writeFileSync(paths.state, JSON.stringify(parsed));
      const seen = await status(workspace);
      const target = await localTarget(workspace).then(
        () => "accepted",
        (err: Error) => err.message,
      );
      const observed = { status: seen.state, refused: /neither this machine's lab/.test(target), trapCalled: trap.seen.length };
      table.add(
        "security",
        "stack.json points the admin URL elsewhere: status and replay refuse it",
        { status: "failed", refused: true, trapCalled: 0 },
        observed,
      );
      expect(observed).toEqual({ status: "failed", refused: true, trapCalled: 0 });
    } finally {
      writeFileSync(paths.state, original);
      trap.close();
    }
  });
});

describe("another lab whose path holds this one's", () => {
  it("starting a lab at <base>/w1 leaves alone the running lab at <base>/deep<base>/w1", async () => {
    const base = mkdtempSync(join(tmpdir(), "lookalike-"));
    const lab = (path: string) => {
      scaffold(path);
      symlinkSync(inject("labNodeModules"), workspacePaths(path).nodeModules, "dir");
      return path;
    };
    // The running lab's data folder, <base>/deep<base>/w1/.restate, holds <base>/w1/.restate.
    const running = lab(join(base, "deep", base, "w1"));
    const starting = lab(join(base, "w1"));
    try {
      const first = await up(running, { ports: ANY_PORTS });
      // Its state file written by a crashed run would name a token; here it has none: nothing may be taken for a leftover.
      await up(starting, { ports: ANY_PORTS });
      const observed = { runningRestate: isAlive(first.pids.restate!), runningStatus: (await status(running)).state };
      table.add(
        "security",
        "a look-alike lab (its path holds this one's) survives this one's start",
        { runningRestate: true, runningStatus: "ready" },
        observed,
      );
      expect(observed).toEqual({ runningRestate: true, runningStatus: "ready" });
    } finally {
      await down(starting);
      await down(running);
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe("forged busy files expire", () => {
  it("a start.lock and a replay record naming pid 1 with no start time: down and Reset go ahead at once", async () => {
    const lab = newLab();
    const paths = workspacePaths(lab);
    mkdirSync(paths.replays, { recursive: true });
    const since = new Date().toISOString();
    writeFileSync(paths.startLock, JSON.stringify({ pid: 1, started: null, token: newRunToken(), action: "start", since }));
    writeFileSync(join(paths.replays, `${newRunToken()}.json`), JSON.stringify({ pid: 1, started: null, scenario: "concurrent-burst", since }));
    // The CLI's down, with a safety net far below the lock's 10-minute wait.
    const out = spawnSync(process.execPath, [cliPath(), "down", lab], { encoding: "utf8", timeout: 60_000 });
    writeFileSync(paths.startLock, JSON.stringify({ pid: 1, started: null, token: newRunToken(), action: "start", since }));
    const reset = await resetLab(lab).then(
      () => "reset",
      (err: Error) => err.message,
    );
    const observed = { down: out.signal ?? out.status, waited: /in progress/.test(out.stdout + out.stderr), reset, lockLeft: existsSync(paths.startLock) };
    const expected = { down: 0, waited: false, reset: "reset", lockLeft: false };
    table.add("security", "forged start.lock / replay record (pid 1, started null): down, reset", expected, observed);
    expect(observed, out.stdout + out.stderr).toEqual(expected);
  });
});

describe("links under .lab are refused", () => {
  it("a .lab/history that links elsewhere: the run is not written there", () => {
    const lab = newLab();
    const elsewhere = mkdtempSync(join(tmpdir(), "history-target-"));
    mkdirSync(workspacePaths(lab).lab, { recursive: true });
    symlinkSync(elsewhere, join(workspacePaths(lab).lab, "history"));
    const run = {
      runId: "r1",
      request: { scenario: "duplicates-in-a-row" },
      finishedAt: new Date().toISOString(),
      result: { id: "x" },
    } as unknown as RunRecord;
    const error = (() => {
      try {
        saveRun(lab, run);
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    const observed = { refused: /symbolic link/.test(error), writtenElsewhere: readdirSync(elsewhere).length };
    table.add("security", "symlinked .lab/history: saving a run", { refused: true, writtenElsewhere: 0 }, observed);
    expect(observed).toEqual({ refused: true, writtenElsewhere: 0 });
    unlinkSync(join(workspacePaths(lab).lab, "history"));
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("a .lab, or a lab.log, that links elsewhere: up refuses with the reason and starts nothing", async () => {
    const observed: Record<string, unknown> = {};
    for (const which of [".lab", "lab.log"] as const) {
      const lab = newLab();
      const paths = workspacePaths(lab);
      const elsewhere = mkdtempSync(join(tmpdir(), "link-target-"));
      const victim = join(elsewhere, "victim.txt");
      writeFileSync(victim, "the user's file\n");
      if (which === ".lab") symlinkSync(elsewhere, paths.lab);
      else {
        mkdirSync(paths.lab);
        symlinkSync(victim, paths.log);
      }
      const error = await up(lab, { ports: ANY_PORTS }).then(
        () => "",
        (err: Error) => err.message,
      );
      observed[which] = {
        refused: /symbolic link/.test(error),
        victimUnchanged: readFileSync(victim, "utf8") === "the user's file\n",
        onlyVictim: readdirSync(elsewhere),
        nothingStarted: findProcesses([lab]).length === 0,
      };
      unlinkSync(which === ".lab" ? paths.lab : paths.log);
      rmSync(elsewhere, { recursive: true, force: true });
    }
    const each = { refused: true, victimUnchanged: true, onlyVictim: ["victim.txt"], nothingStarted: true };
    table.add("security", "symlinked .lab or .lab/lab.log: up", { ".lab": each, "lab.log": each }, observed);
    expect(observed).toEqual({ ".lab": each, "lab.log": each });
  });
});

describe("files a workspace brings are read bounded, and written only inside it", () => {
  it("an idempotency-lab.json linked to /dev/zero, a FIFO, or 100 MB: scaffold and up refuse with the reason, activation sees no lab", () => {
    const observed: Record<string, unknown> = {};
    for (const kind of ["link to /dev/zero", "fifo", "100 MB"] as const) {
      const folder = mkdtempSync(join(tmpdir(), "marker-"));
      const marker = join(folder, "idempotency-lab.json");
      if (kind === "link to /dev/zero") symlinkSync("/dev/zero", marker);
      else if (kind === "fifo") spawnSync("mkfifo", [marker]);
      else truncateSync((writeFileSync(marker, ""), marker), 100 * 1024 * 1024);
      // A safety net only: a reader that follows the link would read for ever, and be killed here.
      const cli = (command: string) => spawnSync(process.execPath, [cliPath(), command, folder], { encoding: "utf8", timeout: 60_000 });
      const scaffolded = cli("scaffold");
      const started = cli("up");
      observed[kind] = {
        scaffold: [scaffolded.signal ?? scaffolded.status, /symbolic link|not a regular file|larger than/.test(scaffolded.stderr)],
        up: [started.signal ?? started.status, /symbolic link|not a regular file|larger than/.test(started.stderr)],
        activation: isLabWorkspace(folder),
        nothingWritten: readdirSync(folder),
      };
      rmSync(folder, { recursive: true, force: true });
    }
    const each = { scaffold: [1, true], up: [1, true], activation: false, nothingWritten: ["idempotency-lab.json"] };
    const expected = { "link to /dev/zero": each, fifo: each, "100 MB": each };
    table.add("security", "linked / FIFO / oversized marker: scaffold, up, activation", expected, observed);
    expect(observed).toEqual(expected);
  });

  it("scaffold onto a lab whose docs and scripts folders link elsewhere: refused, nothing written there", () => {
    const lab = newLab();
    const elsewhere = mkdtempSync(join(tmpdir(), "scaffold-target-"));
    mkdirSync(join(elsewhere, "docs"));
    mkdirSync(join(elsewhere, "scripts"));
    const observed: Record<string, unknown> = {};
    for (const folder of ["docs", "scripts"]) {
      rmSync(join(lab, folder), { recursive: true, force: true });
      symlinkSync(join(elsewhere, folder), join(lab, folder));
      const out = runCli(["scaffold", lab]);
      observed[folder] = {
        exit: out.code,
        says: out.stderr.includes(`${join(lab, folder)} is a symbolic link`),
        written: readdirSync(join(elsewhere, folder)),
      };
      unlinkSync(join(lab, folder));
    }
    // A link in a file's own place is refused too (it would be kept, and then read as the lab's).
    rmSync(join(lab, "README.md"));
    symlinkSync(join(elsewhere, "docs"), join(lab, "README.md"));
    const file = runCli(["scaffold", lab]);
    observed.file = { exit: file.code, says: file.stderr.includes("README.md is a symbolic link") };
    rmSync(elsewhere, { recursive: true, force: true });
    const each = { exit: 1, says: true, written: [] };
    const expected = { docs: each, scripts: each, file: { exit: 1, says: true } };
    table.add("security", "scaffold through symlinked docs/, scripts/, a linked file", expected, observed);
    expect(observed).toEqual(expected);
  });

  it("a run file nested 10,000 levels: the record check refuses it with a message (the panel never draws it)", () => {
    const lab = newLab();
    const history = join(workspacePaths(lab).lab, "history");
    mkdirSync(history, { recursive: true });
    // As a workspace could bring it: text, since JSON.stringify itself overflows on such a value.
    writeFileSync(join(history, "20261206000000-deep.json"), `{"runId":"deep","result":${"[".repeat(10_000)}${"]".repeat(10_000)}}`);
    const problem = runRecordProblem(JSON.parse(loadRecordText(lab, "deep")!));
    table.add("security", "a history record nested 10,000 levels", "it nests deeper than 64 levels", problem);
    expect(problem).toBe("it nests deeper than 64 levels");
  });

  it("a 300 MB run file and a 100 MB history index: refused with the reason, not read", () => {
    const lab = newLab();
    const history = join(workspacePaths(lab).lab, "history");
    mkdirSync(history, { recursive: true });
    truncateSync((writeFileSync(join(history, "20261206000000-huge.json"), ""), join(history, "20261206000000-huge.json")), 300 * 1024 * 1024);
    truncateSync((writeFileSync(join(history, "index.json"), ""), join(history, "index.json")), 100 * 1024 * 1024);
    const error = (() => {
      try {
        loadRecordText(lab, "huge");
        return "read";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    const observed = { run: /larger than the lab reads/.test(error), index: listRuns(lab) };
    table.add("security", "huge history files", { run: true, index: [] }, observed);
    expect(observed, error).toEqual({ run: true, index: [] });
  });
});

describe("the token for an existing Restate", () => {
  it("goes only to the origins it was entered for, and never into a child's environment, the log, the state or the history", async () => {
    const token = `t0ken-${newRunToken()}`;
    const admin = await captureProxy(stack.urls.admin);
    const ingress = await captureProxy(stack.urls.ingress);
    const lab = newLab();
    try {
      // The CLI's way: the token in an environment variable, bound to the two URLs given as flags.
      const out = await runCliAsync(
        ["up", lab, "--detach", "--json", "--restate-admin", admin.url, "--restate-ingress", ingress.url, "--gateway-port", "0", "--service-port", "0"],
        { IDEMPOTENCY_LAB_RESTATE_TOKEN: token },
      );
      expect(out.code, out.stderr).toBe(0);
      const started = JSON.parse(out.stdout) as { pids: Record<string, number> };
      const duringUp = { admin: admin.seen.splice(0), ingress: ingress.seen.splice(0) };
      // Then a credential entered for the admin origin only: the ingress must not get it.
      const target = await localTarget(lab, { admin: admin.url, ingress: ingress.url, credential: { authorization: `Bearer ${token}`, origins: [admin.url] } });
      const result = await runScenario(target, findScenario("duplicates-in-a-row")!, { count: 2 });
      saveRun(lab, { runId: "tokenrun", request: { scenario: result.id }, finishedAt: new Date().toISOString(), result } as RunRecord);
      const environments = Object.values(started.pids).map((pid) => readFileSync(`/proc/${pid}/environ`, "utf8"));
      const labFiles = readdirSync(workspacePaths(lab).lab, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"));
      const bearer = (r: { headers: { authorization?: string } }) => r.headers.authorization === `Bearer ${token}`;
      const observed = {
        replayed: result.verdict,
        upSentItToBoth: duringUp.admin.length > 0 && duringUp.ingress.length > 0 && [...duringUp.admin, ...duringUp.ingress].every(bearer),
        runSentItToAdmin: admin.seen.length > 0 && admin.seen.every(bearer),
        runSentItToIngress: ingress.seen.some((r) => r.headers.authorization !== undefined),
        ingressCalled: ingress.seen.length > 0,
        inChildEnvironments: environments.some((env) => env.includes(token)),
        inLabFiles: labFiles.some((text) => text.includes(token)),
      };
      const expected = {
        replayed: "safe",
        upSentItToBoth: true,
        runSentItToAdmin: true,
        runSentItToIngress: false,
        ingressCalled: true,
        inChildEnvironments: false,
        inLabFiles: false,
      };
      table.add("security", "token: only its origins; not in children's environment, log, state or history", expected, observed);
      expect(observed).toEqual(expected);
    } finally {
      await down(lab);
      admin.close();
      ingress.close();
    }
  });

  it("the CLI refuses to send a token over plain http to another machine", () => {
    const out = runCli(["up", newLab(), "--restate-admin", "http://restate.example:9070", "--restate-ingress", "https://restate.example:8080"], {
      IDEMPOTENCY_LAB_RESTATE_TOKEN: "secret",
    });
    const observed = { exit: out.code === 0 ? 0 : "non-zero", says: /only sent over https/.test(out.stderr) };
    table.add("security", "CLI: a token for a plain-http Restate elsewhere", { exit: "non-zero", says: true }, observed);
    expect(observed).toEqual({ exit: "non-zero", says: true });
  });
});

describe("the lab's servers answer only this machine", () => {
  it("every socket the lab listens on is bound to 127.0.0.1 (from the kernel's socket table)", async () => {
    const pids = Object.values(stack.pids).filter((p): p is number => p !== undefined);
    const found = listeners(pids);
    // The supervisor's guard (ingress, admin), the gateway and the service; restate-server is on Unix sockets only.
    table.add(
      "security",
      "listening sockets of the supervisor, restate, gateway and service",
      ">= 4, all on 127.0.0.1",
      found.length >= 4 && found.every((l) => l.address === "127.0.0.1") ? ">= 4, all on 127.0.0.1" : found,
    );
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(found.filter((l) => l.address !== "127.0.0.1")).toEqual([]);
  });

  it("the gateway refuses a foreign Host, a web page's Origin and a form's body, and charges nothing", async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${stack.urls.gateway}/charges`, { method: "POST", headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(JSON.stringify({ paymentId: "p-from-a-page", amount: 100, currency: "USD" }));
      });
    const json = { "content-type": "application/json" };
    const observed = {
      rebound: await status({ ...json, host: "attacker.example" }),
      page: await status({ ...json, origin: "https://attacker.example" }),
      form: await status({ "content-type": "application/x-www-form-urlencoded" }),
      charges: ((await (await fetch(`${stack.urls.gateway}/ledger?paymentId=p-from-a-page`)).json()) as unknown[]).length,
    };
    table.add("security", "gateway: foreign Host / Origin / form body", { rebound: 403, page: 403, form: 415, charges: 0 }, observed);
    expect(observed).toEqual({ rebound: 403, page: 403, form: 415, charges: 0 });
  });

  it("Restate's ingress and admin refuse a web page's Origin and a rebound Host; the lab's own clients still get through", async () => {
    const ingress = stack.urls.ingress;
    const admin = stack.urls.admin;
    const page = "https://attacker.example";
    const json = { "content-type": "application/json" };
    const payment = JSON.stringify({ amount: 100, currency: "USD" });
    const before = (await httpCall(`${admin}/deployments`)).body;
    const foreign = {
      // A page's fetch: its preflight, then the POST a simple request would send anyway.
      preflight: await httpCall(`${ingress}/PaymentService/web-page-1/create`, {
        method: "OPTIONS",
        headers: { origin: page, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      }),
      create: await httpCall(`${ingress}/PaymentService/web-page-1/create`, { method: "POST", headers: { ...json, origin: page }, body: payment }),
      // DNS rebinding: the page's own name resolved to 127.0.0.1, so Host is its name and there is no cross-origin Origin.
      reboundCreate: await httpCall(`${ingress}/PaymentService/web-page-2/create`, {
        method: "POST",
        headers: { ...json, host: `attacker.example:${new URL(ingress).port}` },
        body: payment,
      }),
      services: await httpCall(`${admin}/services`, { headers: { host: `attacker.example:${new URL(admin).port}` } }),
      query: await httpCall(`${admin}/query`, {
        method: "POST",
        headers: { ...json, accept: "application/json", host: "attacker.example" },
        body: JSON.stringify({ query: "SELECT id FROM sys_invocation" }),
      }),
      register: await httpCall(`${admin}/deployments`, {
        method: "POST",
        headers: { ...json, host: "attacker.example" },
        body: JSON.stringify({ uri: "http://127.0.0.1:1/" }),
      }),
    };
    let charges = 0;
    for (const id of ["web-page-1", "web-page-2"])
      charges += ((await (await fetch(`${stack.urls.gateway}/ledger?paymentId=${id}`)).json()) as unknown[]).length;
    const restateCli = spawnSync(join(process.cwd(), "node_modules", ".bin", "restate"), ["services", "list"], {
      env: { ...process.env, RESTATE_ADMIN_URL: admin },
      encoding: "utf8",
    });
    const observed = {
      preflight: [foreign.preflight.status, foreign.preflight.headers["access-control-allow-origin"] ?? "none"],
      create: foreign.create.status,
      reboundCreate: foreign.reboundCreate.status,
      services: [foreign.services.status, foreign.services.body.includes("PaymentService")],
      query: foreign.query.status,
      register: foreign.register.status,
      deploymentsUnchanged: (await httpCall(`${admin}/deployments`)).body === before,
      charges,
      restateListensOnTcp: listeners([stack.pids.restate!]).length,
      ownUi: (await httpCall(`${admin}/ui/`)).status,
      ownUiViaLocalhost: (await httpCall(`${admin.replace("127.0.0.1", "localhost")}/health`)).status,
      ownUiOrigin: (await httpCall(`${ingress}/restate/health`, { headers: { origin: admin } })).status,
      advertisedIngress: (JSON.parse((await httpCall(`${admin}/version`)).body) as { ingress_endpoint: string }).ingress_endpoint,
      restateCli: [restateCli.status, restateCli.stdout.includes("PaymentService")],
      labStatus: (await status(workspace)).state,
    };
    const expected = {
      preflight: [403, "none"],
      create: 403,
      reboundCreate: 403,
      services: [403, false],
      query: 403,
      register: 403,
      deploymentsUnchanged: true,
      charges: 0,
      restateListensOnTcp: 0,
      ownUi: 200,
      ownUiViaLocalhost: 200,
      ownUiOrigin: 200,
      advertisedIngress: `${ingress}/`,
      restateCli: [0, true],
      labStatus: "ready",
    };
    table.add("security", "Restate ingress/admin: foreign Origin or Host refused, own clients served", expected, observed);
    expect(observed, restateCli.stderr).toEqual(expected);
  });

  it("the panel's CSP allows no inline scripts and no remote sources", () => {
    const csp = contentSecurityPolicy("https://file+.vscode-resource.vscode-cdn.net", "n0nce");
    const html = panelHtml({
      cspSource: "vscode-webview://x",
      nonce: "n0nce",
      scriptUri: "vscode-webview://x/dist/webview.js",
      styleUri: "vscode-webview://x/dist/webview.css",
    });
    const observed = {
      unsafeInline: csp.includes("unsafe-inline") || csp.includes("unsafe-eval"),
      defaultNone: csp.startsWith("default-src 'none'"),
      scriptsByNonceOnly: /script-src 'nonce-n0nce'(;|$)/.test(csp),
      inlineScriptsInHtml: /<script(?![^>]*\bsrc=)[^>]*>/.test(html) || /\son\w+=/.test(html) || /style=/.test(html),
      remoteSources: /https?:\/\/(?!file\+\.vscode-resource)/.test(csp),
    };
    const expected = { unsafeInline: false, defaultNone: true, scriptsByNonceOnly: true, inlineScriptsInHtml: false, remoteSources: false };
    table.add("security", "panel CSP and HTML", expected, observed);
    expect(observed).toEqual(expected);
  });

  it("the webview's messages are validated: unknown and malformed ones are refused", () => {
    const bad = [
      { type: "eval", code: "x" },
      { type: "run", requestId: "r1", request: { scenario: "x", count: -1 } },
      "run",
      null,
      { type: "export", requestId: "r2", runId: "r", format: "exe" },
    ];
    const refused = bad.filter((m) => !parseToExtension(m).ok).length;
    table.add("security", "malformed or unknown panel messages refused", bad.length, refused);
    expect(refused).toBe(bad.length);
  });
});

/** An HTTP call with any headers (fetch would not send a Host of our choosing). */
function httpCall(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
