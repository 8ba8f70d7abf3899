// Which processes the lab takes for its own: whole arguments in order, the run token in the
// environment (never in an argument), and the start time recorded at spawn.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { findLabProcesses, isOurs, newRunToken, RUN_TOKEN_ENV, startTimeOf } from "../../src/lab/processes.js";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

async function lookAlike(args: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "--", ...args], { stdio: "ignore", env: { ...process.env, ...env } });
  children.push(child);
  await once(child, "spawn");
  return child.pid!;
}

describe.runIf(process.platform === "linux")("proving a process is the lab's", () => {
  it("compares whole arguments in order, not substrings: a lab in /x/tmp/y/x/w1 is not the lab in /x/w1", async () => {
    const token = newRunToken();
    const pid = await lookAlike(["--base-dir", "/x/tmp/y/x/w1/.restate"], { [RUN_TOKEN_ENV]: token });
    expect(isOurs({ pid, commandLine: ["--base-dir", "/x/tmp/y/x/w1/.restate"], runToken: token })).toBe(true);
    expect(isOurs({ pid, commandLine: ["--base-dir", "/x/w1/.restate"], runToken: token })).toBe(false);
    expect(isOurs({ pid, commandLine: ["/x/w1/.restate"], runToken: token })).toBe(false);
    expect(isOurs({ pid, commandLine: ["--base-dir", "/x/tmp/y/x/w1/.restate"], runToken: token })).toBe(true);
    // The parts must follow one another.
    expect(isOurs({ pid, commandLine: ["--", "/x/tmp/y/x/w1/.restate"], runToken: token })).toBe(false);
  });

  it("leftovers are found only on the exact data folder and with a token the workspace recorded", async () => {
    const token = newRunToken();
    const pid = await lookAlike(["--base-dir", "/x/tmp/z/x/w1/.restate"], { [RUN_TOKEN_ENV]: token });
    expect(findLabProcesses(["--base-dir", "/x/w1/.restate"], [token]).map((p) => p.pid)).not.toContain(pid);
    expect(findLabProcesses(["--base-dir", "/x/tmp/z/x/w1/.restate"], [newRunToken()]).map((p) => p.pid)).not.toContain(pid);
    expect(findLabProcesses(["--base-dir", "/x/tmp/z/x/w1/.restate"], []).map((p) => p.pid)).not.toContain(pid);
    expect(findLabProcesses(["--base-dir", "/x/tmp/z/x/w1/.restate"], [token]).map((p) => p.pid)).toEqual([pid]);
  });

  it("a token in an argument is not a token in the environment", async () => {
    const token = newRunToken();
    const pid = await lookAlike(["/x/w2/src/main.ts", `${RUN_TOKEN_ENV}=${token}`], {});
    expect(isOurs({ pid, commandLine: ["/x/w2/src/main.ts"], runToken: token })).toBe(false);
  });

  it("a start time recorded at spawn must match: a pid given to another process is not ours", async () => {
    const token = newRunToken();
    const pid = await lookAlike(["/x/w3/gateway/server.ts"], { [RUN_TOKEN_ENV]: token });
    const started = startTimeOf(pid)!;
    expect(started).toMatch(/^\d+$/);
    expect(isOurs({ pid, commandLine: ["/x/w3/gateway/server.ts"], runToken: token, started })).toBe(true);
    expect(isOurs({ pid, commandLine: ["/x/w3/gateway/server.ts"], runToken: token, started: String(Number(started) + 1) })).toBe(false);
  });
});
