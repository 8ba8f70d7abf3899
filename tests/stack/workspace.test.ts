// A scaffolded lab works on its own, without the extension: its npm scripts, as a learner runs them.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { join, relative } from "node:path";
import { packageRoot, templateDir } from "../../src/lab/paths.js";
import { poll } from "../../src/lab/poll.js";
import { freePort } from "../../src/lab/ports.js";
import { cleanUpLabs, newLab } from "./helpers.js";

afterAll(cleanUpLabs);

describe("the scaffolded workspace on its own", () => {
  // The template's whole suite runs in place in every `npm test` (the "template" project, the same
  // pinned packages): here, in a scaffolded copy, its script runs two of its files against a real
  // Restate server, and the copy collects every test the template has, by name.
  it("npm test runs its tests against a real Restate server, and they pass; the copy holds every test of the template", () => {
    const workspace = newLab();
    const result = spawnSync("npm", ["test", "--", "test/payment-service.test.ts", "test/gateway.test.ts"], {
      cwd: workspace,
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(result.stdout).toMatch(/Tests\s+\d+ passed \(\d+\)/);

    const listed = (cwd: string) => {
      const list = spawnSync(process.execPath, [join(packageRoot(), "node_modules", "vitest", "vitest.mjs"), "list", "--json"], {
        cwd,
        encoding: "utf8",
        timeout: 300_000,
        env: Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: "1" }).filter(([k]) => !k.startsWith("VITEST"))),
      });
      expect(list.status, list.stdout + list.stderr).toBe(0);
      const tests = JSON.parse(list.stdout) as Array<{ name: string; file: string }>;
      return tests.map((t) => `${relative(cwd, t.file)} :: ${t.name}`).sort();
    };
    const inCopy = listed(workspace);
    // `vitest list` names a table of cases (it.each) once.
    expect(inCopy.length, "tests the scaffolded copy collects").toBeGreaterThan(60);
    expect(inCopy).toEqual(listed(templateDir()));
  }, 900_000);

  it("npm run dev starts the gateway and the service, and Ctrl-C stops both", async () => {
    const workspace = newLab();
    const [gateway, service] = [await freePort(), await freePort()];
    const dev = spawn("npm", ["run", "dev"], {
      cwd: workspace,
      env: { ...process.env, GATEWAY_PORT: String(gateway), SERVICE_PORT: String(service) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    dev.stdout.on("data", (d: Buffer) => (output += d.toString()));
    dev.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const didNotStart = () => new Error(`npm run dev did not start both:\n${output}`);
    const bothListening = () => {
      if (output.includes("[gateway] payment gateway listening") && output.includes("[service] payment service listening")) return true;
      if (dev.exitCode !== null) throw didNotStart();
      return false;
    };
    await poll(bothListening, {
      what: "the gateway and the service",
      everyMs: 100,
      timeoutMs: 60_000,
      onTimeout: () => {
        throw didNotStart();
      },
    });
    expect((await fetch(`http://127.0.0.1:${gateway}/health`)).ok).toBe(true);
    process.kill(-dev.pid!, "SIGINT"); // what Ctrl-C sends to the terminal's process group
    await once(dev, "exit");
    await expect(fetch(`http://127.0.0.1:${gateway}/health`)).rejects.toThrow();
  });

  it("the workspace's scripts on Node 20 say they need Node 22", () => {
    const workspace = newLab();
    // The check as a Node 20 would run it: it reads process.versions and process.version.
    const check = spawnSync(
      process.execPath,
      [
        "--eval",
        `Object.defineProperty(process.versions, "node", { value: "20.20.2" }); Object.defineProperty(process, "version", { value: "v20.20.2" }); await import("${workspace}/scripts/check-node.mjs")`,
        "--input-type=module",
      ],
      {
        encoding: "utf8",
      },
    );
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/This lab needs Node.js 22 or newer, but ".*" is v20.20.2\. Install Node.js 22\+/);
  });
});
