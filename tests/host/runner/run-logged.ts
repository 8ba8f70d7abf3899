// Runs a long command (npm, tar, a compiler) with its output in a log file instead of the
// terminal; a failure quotes the log's tail. Stopped with this process, also on Ctrl-C.
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";

export interface RunLoggedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  log: (line: string) => void;
  /** Printed every 30 s while it runs, so a slow step does not look stuck. */
  heartbeat?: string;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export function runLogged(cmd: string, args: string[], { cwd, env, logFile, heartbeat, log }: RunLoggedOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: "a" });
    out.write(`\n$ ${cmd} ${args.join(" ")}   (in ${cwd})\n`);
    // Own process group, so an interrupted prepare can stop npm and its compilers too.
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    keepAutogroupNice(child.pid);
    const killGroup = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const onSignal = (signal: NodeJS.Signals) => {
      killGroup();
      // Sole listener: keep the default behaviour (exit) that this listener replaced.
      if (process.listenerCount(signal) === 1) process.exit(signal === "SIGINT" ? 130 : 143);
    };
    for (const sig of SIGNALS) process.on(sig, onSignal);
    process.on("exit", killGroup);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const started = Date.now();
    const timer = heartbeat ? setInterval(() => log(`  ... ${heartbeat} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000) : undefined;
    const finish = (err?: Error) => {
      clearInterval(timer);
      for (const sig of SIGNALS) process.off(sig, onSignal);
      process.off("exit", killGroup);
      out.end(() => (err ? reject(err) : resolve()));
    };
    child.on("error", finish);
    child.on("close", (code, signal) => {
      if (code === 0) return finish();
      let tail = "";
      try {
        tail = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
      } catch {
        // no log to quote
      }
      finish(new Error(`${cmd} ${args.join(" ")} failed (${signal ?? `exit ${code}`}); log ${logFile}:\n${tail}`));
    });
  });
}

/**
 * On Linux a new session is a new autogroup, at nice 0: the child gets this process's autogroup
 * nice again (npm test runs the VS Code server's prepare at -10, and its npm and compilers are
 * the work). Nothing happens where there are no autogroups or it is not allowed.
 */
function keepAutogroupNice(pid: number | undefined): void {
  try {
    const nice = /nice (-?\d+)/.exec(readFileSync("/proc/self/autogroup", "utf8"))?.[1];
    if (pid !== undefined && nice !== undefined && nice !== "0") writeFileSync(`/proc/${pid}/autogroup`, nice);
  } catch {
    // no autogroups here, or not allowed
  }
}
