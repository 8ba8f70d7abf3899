// A restate-server of its own, started outside the lab: the "existing Restate" a user points
// the lab at (a cluster, a cloud), for the suites that test that setting.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { poll } from "../../src/lab/poll.js";
import { freePort } from "../../src/lab/ports.js";
import { isRestateHealthy, restateServerLaunch, restateUrls, workspaceRestateServer } from "../../src/lab/restate-server.js";

export async function startExternalRestate(workspace: string): Promise<{ admin: string; ingress: string; pid: number; stop: () => void }> {
  const ports = { ingress: await freePort(), admin: await freePort(), node: await freePort() };
  const baseDir = mkdtempSync(join(tmpdir(), "external-restate-"));
  const { command, args, env } = restateServerLaunch({ binary: workspaceRestateServer(workspace), baseDir, nodeName: "external", ports });
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: "ignore" });
  const urls = restateUrls(ports);
  await poll(() => isRestateHealthy(urls), { what: "the external restate-server", everyMs: 100, timeoutMs: 30_000 });
  return {
    ...urls,
    pid: child.pid!,
    stop: () => {
      child.once("exit", () => rmSync(baseDir, { recursive: true, force: true }));
      child.kill("SIGKILL");
    },
  };
}
