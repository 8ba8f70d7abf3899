// The same folder once the user trusts it in the workbench: its files, a forged .lab/stack.json,
// and workspace settings that point the lab at another Restate, still decide nothing the user did
// not confirm. The second part of security-suite.ts; the outer test (security.test.ts) clicks Trust
// and answers the confirmation dialog in the real workbench, as a user would.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import type { ExistingRestateSettings } from "../../src/extension/existing-restate.js";
import { workspacePaths } from "../../src/lab/paths.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { captureProxy } from "../faults/capture-proxy.js";
import { startExternalRestate } from "./external-restate.js";
import type { LabTests } from "../../src/extension/test-explorer.js";
import { EXTENSION_ID, isAlive, waitFor, type Case, type DriverSignals } from "./harness.js";
import { collect } from "./untrusted-suite.js";

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

function ok<T>(value: T | { error: string }): T {
  if (typeof value === "object" && value !== null && "error" in value) throw new Error(`command failed: ${JSON.stringify(value)}`);
  return value as T;
}

/**
 * The user trusts the folder as anyone would: Manage Workspace Trust, then Trust (the driver clicks
 * it, after putting the lab's packages where the planted ones were). The Test Explorer hears of it.
 */
export function grantTrustCase(signals: DriverSignals): Case {
  return [
    "trusted in the workbench (Manage Workspace Trust, Trust): the Test Explorer's items no longer say they need trust",
    async () => {
      assert.equal(vscode.workspace.isTrusted, false);
      signals.send("trust-asked");
      await vscode.commands.executeCommand("workbench.trust.manage");
      await waitFor("the workspace to be trusted", () => vscode.workspace.isTrusted, 240_000);
      const tests = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { tests: LabTests }).tests;
      const items = () => ["validation", "exercises", "exam"].flatMap((id) => [tests.controller.items.get(id)!, ...collect(tests.controller.items.get(id)!)]);
      // It discovers again on onDidGrantWorkspaceTrust, as it does for a learner.
      await waitFor("items without the trust note", () => items().every((item) => !/Needs a trusted workspace/.test(item.description ?? "")));
      assert.ok(items().length > 10, `the lab's items are there (${items().length})`);
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    },
  ];
}

/** The checks once the folder is trusted. */
export function trustedCases(folder: vscode.Uri): Case[] {
  const paths = workspacePaths(folder.fsPath);
  const restate = () => (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { restate: ExistingRestateSettings }).restate;
  const config = () => vscode.workspace.getConfiguration("idempotencyLab", folder);

  return [
    [
      "a token in the old authHeader setting moves to secret storage once, bound to the user's Restate, and the setting is cleared",
      async () => {
        await config().update("existingRestate.adminUrl", "https://restate.example:9070", vscode.ConfigurationTarget.Global);
        await config().update("existingRestate.ingressUrl", "https://restate.example:8080", vscode.ConfigurationTarget.Global);
        await config().update("existingRestate.authHeader", "Bearer old-token", vscode.ConfigurationTarget.Global);
        const credential = await restate().credential();
        assert.deepEqual(credential, { authorization: "Bearer old-token", origins: ["https://restate.example:9070", "https://restate.example:8080"] });
        assert.equal(config().inspect("existingRestate.authHeader")?.globalValue, undefined, "the old setting is cleared");
        ok(await run(COMMANDS.clearRestateToken));
        assert.equal(await restate().credential(), undefined);
        for (const key of ["adminUrl", "ingressUrl"]) await config().update(`existingRestate.${key}`, undefined, vscode.ConfigurationTarget.Global);
      },
    ],
    [
      "a forged stack.json naming a look-alike process: Stop Lab and Reset Lab State leave that process alone",
      async () => {
        // Its command line holds the workspace and the service script; it lacks only the lab's run token.
        const decoy = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", paths.workspace, paths.serviceScript], { stdio: "ignore" });
        await once(decoy, "spawn");
        try {
          const forge = () => {
            mkdirSync(paths.lab, { recursive: true });
            const pid = decoy.pid!;
            writeFileSync(
              paths.state,
              JSON.stringify({
                version: 2,
                phase: "ready",
                detail: "ready",
                runToken: "0".repeat(32),
                pids: { supervisor: pid, restate: pid, gateway: pid, service: pid },
                serviceRestarts: 0,
                updatedAt: "",
              }),
            );
          };
          forge();
          const stopped = ok(await run<{ stopped: number[] }>(COMMANDS.stop, { folder }));
          assert.deepEqual(stopped.stopped, []);
          assert.ok(isAlive(decoy.pid!), "Stop Lab left the process alive");
          forge();
          ok(await run(COMMANDS.resetLabState, { folder, confirmed: true }));
          assert.ok(isAlive(decoy.pid!), "Reset Lab State left the process alive");
        } finally {
          decoy.kill("SIGKILL");
        }
      },
    ],
    [
      "the workspace's settings point the admin URL elsewhere: the user confirms it, and the token entered for the user's Restate never goes there",
      async () => {
        const external = await startExternalRestate(folder.fsPath);
        const usersAdmin = await captureProxy(external.admin);
        const usersIngress = await captureProxy(external.ingress);
        const workspaceAdmin = await captureProxy(external.admin); // the workspace's choice: same server, another origin
        try {
          for (const [key, value] of [
            ["enabled", true],
            ["adminUrl", usersAdmin.url],
            ["ingressUrl", usersIngress.url],
          ] as const) {
            await config().update(`existingRestate.${key}`, value, vscode.ConfigurationTarget.Global);
          }
          const token = `secret-${Date.now()}`;
          const set = ok(await run<{ origins: string[] }>(COMMANDS.setRestateToken, { token, folder }));
          assert.deepEqual(set.origins, [usersAdmin.url, usersIngress.url]);

          await config().update("existingRestate.adminUrl", workspaceAdmin.url, vscode.ConfigurationTarget.Workspace);
          // The question ("Use this Restate") is answered by the outer test's browser driver.
          const lab = ok(await run<RunningStack>(COMMANDS.start, { folder }));
          assert.equal(lab.urls.admin, workspaceAdmin.url);
          ok(await run(COMMANDS.replay, { scenario: "duplicates-in-a-row", count: 2 }));

          assert.ok(workspaceAdmin.seen.length > 0, "the lab did use the workspace's admin URL");
          assert.deepEqual(
            workspaceAdmin.seen.filter((r) => r.headers.authorization !== undefined),
            [],
            "no token went to the workspace's admin URL",
          );
          assert.ok(
            usersIngress.seen.some((r) => r.headers.authorization === `Bearer ${token}`),
            "the token went to the origin it was entered for",
          );
          for (const pid of Object.values(lab.pids)) {
            assert.ok(!readFileSync(`/proc/${pid}/environ`, "utf8").includes(token), `pid ${pid}'s environment holds no token`);
          }
          ok(await run(COMMANDS.stop, { folder }));
        } finally {
          await config().update("existingRestate.adminUrl", undefined, vscode.ConfigurationTarget.Workspace);
          for (const key of ["enabled", "adminUrl", "ingressUrl"])
            await config().update(`existingRestate.${key}`, undefined, vscode.ConfigurationTarget.Global);
          await run(COMMANDS.clearRestateToken);
          for (const r of [usersAdmin, usersIngress, workspaceAdmin]) r.close();
          external.stop();
        }
      },
    ],
  ];
}
