// A restate-server of its own, started outside the lab: the "existing Restate" a user points
// the lab at (a cluster, a cloud), for the suites that test that setting.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./harness.js";

export async function startExternalRestate(workspace: string): Promise<{ admin: string; ingress: string; pid: number; stop: () => void }> {
  const require = createRequire(join(workspace, "package.json"));
  const binary = require.resolve(`@restatedev/restate-server-${process.platform}-${process.arch}/bin/restate-server`);
  const [ingress, admin, node] = [await freePort(), await freePort(), await freePort()];
  const baseDir = mkdtempSync(join(tmpdir(), "external-restate-"));
  const child = spawn(binary, ["--base-dir", baseDir, "--no-logo"], {
    env: {
      ...process.env,
      RESTATE_LISTEN_MODE: "tcp",
      RESTATE_BIND_IP: "127.0.0.1",
      RESTATE_BIND_PORT: String(node),
      RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingress}`,
      RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${admin}`,
    },
    stdio: "ignore",
  });
  const urls = { admin: `http://127.0.0.1:${admin}`, ingress: `http://127.0.0.1:${ingress}` };
  await waitFor("the external restate-server", async () => (await fetch(`${urls.admin}/health`).catch(() => null))?.ok);
  return {
    ...urls,
    pid: child.pid!,
    stop: () => {
      child.once("exit", () => rmSync(baseDir, { recursive: true, force: true }));
      child.kill("SIGKILL");
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
