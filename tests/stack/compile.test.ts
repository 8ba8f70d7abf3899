// The lab compiles the learner's gateway and service before each start; Node runs a start script
// that loads the packages, turns source maps on, then runs the compiled code.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileLab } from "../../src/lab/compile.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll } from "../../src/lab/poll.js";
import { freePort } from "../../src/lab/ports.js";
import { cleanUpLabs, newLab } from "./helpers.js";

afterEach(cleanUpLabs);

describe("the compiled service", () => {
  it("loads the Restate SDK before source maps go on, and a learner's error still points at their .ts line", async () => {
    const workspace = newLab();
    const paths = workspacePaths(workspace);
    const lines = readFileSync(paths.serviceScript, "utf8").split("\n").length;
    // A line the learner might have written, at a known place at the end of their entry file.
    appendFileSync(paths.serviceScript, `\nif (process.env.LAB_TEST_THROW) throw new Error("thrown on purpose");\n`);
    const compiled = (await compileLab(paths))!;
    const start = readFileSync(compiled.service, "utf8");
    // CommonJS: Node's ES module loader would add about 11 MB to each process (compile.ts).
    expect(compiled.service).toMatch(/service-start\.cjs$/);
    expect(start.indexOf('require("@restatedev/restate-sdk")')).toBeGreaterThan(-1);
    expect(start.indexOf('require("@restatedev/restate-sdk")')).toBeLessThan(start.indexOf("process.setSourceMapsEnabled(true)"));
    const run = spawnSync(process.execPath, [compiled.service, paths.serviceScript], {
      cwd: workspace,
      env: { ...process.env, LAB_TEST_THROW: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("thrown on purpose");
    expect(run.stderr).toContain(`${paths.serviceScript}:${lines + 1}:`);
  });

  it("tells the supervisor, over the IPC channel it opens, the port it listens on: a port that answers may be another program's", async () => {
    const workspace = newLab();
    const paths = workspacePaths(workspace);
    const compiled = (await compileLab(paths))!;
    expect(compiled.service).toMatch(/\.cjs$/);
    await expectPortTold(compiled.service, paths.serviceScript, workspace);
  });
});

/** Starts a compiled service with an IPC channel, as the supervisor does, and expects its first message to name the port it listens on. */
async function expectPortTold(start: string, source: string, workspace: string): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [start, source], {
    cwd: workspace,
    env: { ...process.env, SERVICE_PORT: String(port), GATEWAY_URL: "http://127.0.0.1:9" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  try {
    const told = await new Promise<unknown>((resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", (code) => reject(new Error(`the service exited (${code}) without a word`)));
    });
    expect(told).toEqual({ labListening: port });
  } finally {
    child.kill("SIGKILL");
  }
}

describe("the compiled gateway", () => {
  it("finds itself as the started file (its import.meta.url check) and listens, as the .ts source does", async () => {
    const workspace = newLab();
    const paths = workspacePaths(workspace);
    const compiled = (await compileLab(paths))!;
    expect(compiled.gateway).toMatch(/gateway-start\.cjs$/);
    const ledger = join(paths.lab, "ledger.jsonl");
    const port = await freePort();
    const child = spawn(process.execPath, [compiled.gateway, paths.gatewayScript], {
      cwd: workspace,
      env: { ...process.env, GATEWAY_PORT: String(port), LEDGER_FILE: ledger },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
      const url = await poll(async () => /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? false, {
        what: "the gateway to listen",
        everyMs: 50,
        timeoutMs: 30_000,
      });
      expect(out).toContain(ledger);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("sources with a top-level await", () => {
  it("are compiled as ES modules, and the CommonJS output of an earlier compile is gone; the service still tells its port", async () => {
    const workspace = newLab();
    const paths = workspacePaths(workspace);
    const first = (await compileLab(paths))!;
    expect(first.service).toMatch(/\.cjs$/);
    appendFileSync(paths.serviceScript, `\nawait Promise.resolve();\nif (process.env.LAB_TEST_THROW) throw new Error("thrown on purpose");\n`);
    const compiled = (await compileLab(paths))!;
    expect(compiled.service).toMatch(/service-start\.mjs$/);
    expect(readdirSync(join(paths.lab, "build")).filter((f) => f.endsWith(".cjs"))).toEqual([]);
    const run = spawnSync(process.execPath, [compiled.service, paths.serviceScript], {
      cwd: workspace,
      env: { ...process.env, LAB_TEST_THROW: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).toContain("thrown on purpose");
    // The ES module start script tells the supervisor its port too: without it, the lab would never count the service as up.
    await expectPortTold(compiled.service, paths.serviceScript, workspace);
  });
});

describe("a start whose sources did not change", () => {
  it("runs the last compile's output again; an edit, or a missing output, compiles again", async () => {
    const workspace = newLab();
    const paths = workspacePaths(workspace);
    // As if the lab had been scaffolded a while ago: a file saved seconds before a compile is not trusted to be in it.
    const old = new Date(Date.now() - 60_000);
    for (const dir of ["src", "gateway"]) {
      for (const file of readdirSync(join(workspace, dir), { recursive: true, encoding: "utf8" })) utimesSync(join(workspace, dir, file), old, old);
    }
    for (const file of ["package.json", "tsconfig.json"]) utimesSync(join(workspace, file), old, old);
    const built = join(paths.lab, "build", "service.cjs");

    await compileLab(paths);
    const first = statSync(built).mtimeMs;
    await compileLab(paths);
    expect(statSync(built).mtimeMs, "nothing changed: not compiled again").toBe(first);

    appendFileSync(paths.serviceScript, `\nif (process.env.LAB_TEST_NEVER_SET) console.log("edited after the first compile");\n`);
    await compileLab(paths);
    expect(readFileSync(built, "utf8")).toContain("edited after the first compile");

    const gateway = join(paths.lab, "build", "gateway.cjs");
    rmSync(gateway);
    await compileLab(paths);
    expect(statSync(gateway).isFile()).toBe(true);
  });
});
