// The lab stack against real processes: restate-server, the gateway and the service.
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { LabError } from "../../src/lab/errors.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll, sleep } from "../../src/lab/poll.js";
import { findProcesses } from "../../src/lab/processes.js";
import { crashRestate } from "../../src/lab/replay/target.js";
import { isListening } from "../../src/lab/ports.js";
import { readState } from "../../src/lab/state.js";
import { down, status, up } from "../../src/lab/stack.js";
import { charges, cleanUpLabs, newLab, post, processesOf, runCli, spawnCli, takePorts } from "./helpers.js";

afterEach(cleanUpLabs);

describe("up, status, down", () => {
  it("brings up a working lab: a duplicate with one idempotency key is charged once", async () => {
    const workspace = newLab();
    const progress: string[] = [];
    const stack = await up(workspace, { onProgress: (message) => progress.push(message) });
    expect(stack.adopted).toBe(false);
    // Every step is told, in order, even one shorter than the state file's polling (registering often is).
    const [choosing, starting, waiting, registering] = [
      "Choosing ports",
      "Starting Restate, the gateway and the service",
      "Waiting for Restate, the gateway and the service to answer",
      "Registering the service",
    ];
    // When another program takes a chosen port before the lab binds it (the other test lane, say),
    // the supervisor starts the children again on fresh ports and says so in the log: those two
    // steps are told again then, once per restart, and nothing else is.
    const restarts = (readFileSync(workspacePaths(workspace).log, "utf8").match(/a port was taken by another program/g) ?? []).length;
    const told = [choosing, ...Array.from({ length: restarts + 1 }, () => [starting, waiting]).flat(), registering];
    expect(progress.filter((message) => told.includes(message))).toEqual(told);
    expect(progress.length - 2 * restarts, "no step is told twice but a restart's").toBe(new Set(progress).size);
    for (const url of Object.values(stack.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const url = `${stack.urls.ingress}/PaymentService/payment-123/create`;
    const first = await post(url, { amount: 10_000, currency: "USD" }, "unique-key-123");
    const second = await post(url, { amount: 10_000, currency: "USD" }, "unique-key-123");
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.invocationId).toBe(first.invocationId);
    expect(await charges(stack.urls.gateway, "payment-123")).toBe(1);
    // One partition (restate-server.ts; Restate's default would start 24), as its log says when it
    // starts the partitions' processors (all at once, one line; it comes after the ingress answers).
    const starts = await poll(() => /Reconciling partition processors: starts=\[(.*)\] stops=/.exec(readFileSync(workspacePaths(workspace).log, "utf8"))?.[1], {
      what: "restate-server to log its partitions' start",
      everyMs: 50,
      timeoutMs: 10_000,
    });
    expect(starts.match(/P\d+\(/g)).toEqual(["P0("]);

    const running = await status(workspace);
    expect(running).toMatchObject({ state: "ready", healthy: true });
    // The start says where its time went: each moment noted, in order, the deployment last.
    const marks = readState(workspacePaths(workspace).state)!.startupMs!;
    expect(Object.keys(marks).sort()).toEqual(["compiled", "gatewayHealthy", "portsChosen", "registered", "restateHealthy", "serviceListening"]);
    expect(marks.portsChosen!).toBeLessThanOrEqual(marks.compiled!);
    for (const healthy of [marks.restateHealthy!, marks.gatewayHealthy!, marks.serviceListening!]) expect(healthy).toBeLessThanOrEqual(marks.registered!);

    // Three processes: the supervisor runs the compiled gateway in its own process (supervisor.ts startGatewayHere).
    const pids = Object.values(stack.pids).filter((p): p is number => p !== undefined);
    expect(stack.pids.gateway).toBeUndefined();
    expect(pids).toHaveLength(3);
    expect(processesOf(workspace).sort()).toEqual(pids.sort());
    await down(workspace);
    expect(pids.filter((pid) => findProcesses([workspace]).includes(pid))).toEqual([]);
    expect(processesOf(workspace)).toEqual([]);
    expect(await status(workspace)).toMatchObject({ state: "stopped", leftovers: [] });
    expect(existsSync(workspacePaths(workspace).state)).toBe(false);
  });

  it("adopts a running lab on a second up instead of starting another server", async () => {
    const workspace = newLab();
    const first = await up(workspace);
    const second = await up(workspace);
    expect(second.adopted).toBe(true);
    expect(second.pids).toEqual(first.pids);
    expect(findProcesses(["restate-server", workspacePaths(workspace).restateData])).toHaveLength(1);
  });

  it("comes up on other ports when 8080 and 9070 are taken, and says which", async () => {
    const taken = await takePorts([8080, 9070]);
    try {
      const workspace = newLab();
      const stack = await up(workspace);
      expect(stack.urls.ingress).not.toBe("http://127.0.0.1:8080");
      expect(stack.urls.admin).not.toBe("http://127.0.0.1:9070");
      const res = await post(`${stack.urls.ingress}/PaymentService/p-ports/create`, { amount: 100, currency: "EUR" });
      expect(res.status).toBe(200);
    } finally {
      taken.release();
    }
  });

  it("restarts the service when it dies, and the lab keeps working", async () => {
    const workspace = newLab();
    const stack = await up(workspace);
    process.kill(stack.pids.service!, "SIGKILL");
    const current = () => readState(workspacePaths(workspace).state)!;
    const restarted = () => {
      const state = current();
      return state.serviceRestarts > 0 ? state : null;
    };
    const state = await poll(restarted, { what: "the service to be restarted", everyMs: 100, timeoutMs: 10_000, onTimeout: current });
    expect(state.serviceRestarts).toBe(1);
    expect(state.pids.service).not.toBe(stack.pids.service);
    const res = await post(`${stack.urls.ingress}/PaymentService/p-restart/create`, { amount: 100, currency: "EUR" });
    expect(res.status).toBe(200);
  });

  // A chaos run kills restate-server on purpose, and a shrink runs those back to back: a server
  // that came back and answered is no crash loop (the lab stopped at the third kill in a minute).
  it("keeps the lab up through four restate-server kills in a row, each after it answered again", async () => {
    const workspace = newLab();
    const stack = await up(workspace);
    for (let i = 0; i < 4; i++) await crashRestate(workspace); // resolves once the new one answers
    const state = readState(workspacePaths(workspace).state)!;
    expect(state.phase, state.error).toBe("ready");
    expect(state.pids.restate).not.toBe(stack.pids.restate);
    const res = await post(`${stack.urls.ingress}/PaymentService/p-kills/create`, { amount: 100, currency: "EUR" });
    expect(res.status).toBe(200);
  }, 180_000);
});

describe("what a killed run leaves behind", () => {
  it("SIGKILL of a foreground `up`, then `down`: no process is left", async () => {
    const workspace = newLab();
    const cli = spawnCli(["up", workspace]);
    let output = "";
    cli.stdout.on("data", (d: Buffer) => (output += d.toString()));
    const following = () => {
      if (output.includes("Ctrl-C stops the lab")) return true;
      if (cli.exitCode !== null) throw new Error(`up exited early: ${output}`);
      return false;
    };
    await poll(following, { what: "up to follow the log", everyMs: 100, timeoutMs: Infinity });
    expect(processesOf(workspace).length).toBeGreaterThanOrEqual(3);
    cli.kill("SIGKILL");
    await once(cli, "exit");

    const result = runCli(["down", workspace]);
    expect(result.code).toBe(0);
    expect(processesOf(workspace)).toEqual([]);
  });

  it("SIGKILL of the supervisor: status reports the leftovers, `down` stops them, `up` starts cleanly", async () => {
    const workspace = newLab();
    const stack = await up(workspace);
    process.kill(stack.pids.supervisor, "SIGKILL");
    await sleep(200);
    const stopped = await status(workspace);
    expect(stopped.state).toBe("stopped");
    expect(stopped.state === "stopped" && stopped.leftovers.sort()).toEqual([stack.pids.restate, stack.pids.service].sort());
    // The gateway ran in the supervisor's process: it went with it, and its port is free again.
    expect(await isListening(Number(new URL(stack.urls.gateway).port))).toBe(false);

    const again = await up(workspace);
    expect(again.adopted).toBe(false);
    expect(findProcesses(["restate-server", workspacePaths(workspace).restateData])).toEqual([again.pids.restate]);
    for (const pid of [stack.pids.restate, stack.pids.service]) {
      expect(findProcesses([workspace])).not.toContain(pid);
    }
    await down(workspace);
    expect(processesOf(workspace)).toEqual([]);
  });
});

describe("clear errors, nothing started", () => {
  it("refuses a folder that is not a lab", async () => {
    const workspace = newLab();
    const notALab = workspacePaths(workspace).lab; // any folder without the marker
    await expect(up(notALab)).rejects.toMatchObject({ code: "not-a-lab" });
  });

  it("says where restate-server was looked for when it is missing", async () => {
    const workspace = newLab();
    const error = await up(workspace, { restateServerPath: "/nonexistent/restate-server" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toContain("/nonexistent/restate-server");
    expect((error as LabError).fix).toMatch(/restate-server/);
    expect(processesOf(workspace)).toEqual([]);
    expect(existsSync(workspacePaths(workspace).state)).toBe(false);
  });

  it("the CLI prints one line and a fix, and exits non-zero", () => {
    const result = runCli(["up", "/nonexistent-folder-for-lab-test"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*not an Idempotency Lab workspace\nfix: .*scaffold/);
  });
});
