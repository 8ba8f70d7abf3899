// `npm test`: every check CI runs, with the time each phase took. Most of the suite waits (for a
// server to start, a key to expire, a VS Code to load), so the work runs in lanes at once, and the
// lanes that must not be slowed down have the machine first:
//
//   1. build (esbuild, a second)
//   2. the lab template's packages (tests/stack/lab-deps.ts; the lanes use them), and in the
//      background the host tests' VS Code server (tests/host/runner/prepare.ts; the first run
//      downloads and builds it, half a minute alone, first in line at autogroup nice -10; later
//      runs find it ready)
//   3. at once:
//      - the engine lane, at normal priority: unit, package, faults, stack. Its bursts, process
//        kills and cluster tests are the ones that failed when lanes shared 2 cores as equals.
//      - the template lane at nice 5, once the VS Code server is ready (on a fresh machine that
//        build is on the way of the VS Code lane, which ends last): the lab template's own tests
//        in place, each file with a stack of its own on free ports, and a scaffolded lab's npm
//        scripts (workspace.test.ts). They mostly wait (for a retention to run out, a cleaner,
//        a slowed gateway), which the engine lane's work fills; and the faults tests with no timing
//        in them (the "refusals" project: 30-40 s that were the engine lane's, the lane that ends
//        last once the VS Code lane had fewer windows). (The exercises test, heavier,
//        stays in the engine lane: run here early beside the faults tests, a wrong solution's
//        test timed out.)
//      - the VS Code lane at nice 10, once its server is ready: the extension in a real VS Code.
//      - the checks, at nice 19, one at a time: typecheck (four projects), eslint, prettier. Each
//        keeps a cache in node_modules/.cache/npm-test, so a later run checks only what changed.
//      The engine lane prints as it goes; the other lanes' and the checks' output follow when
//      they end. The last line adds the lanes up: "vitest: N passed, N failed, N skipped".
//      More at once was tried: two VS Code lanes beside the engine lane took as long on 2 cores
//      (918 s against 946 s) and failed three tests on time-outs at load average 24. The lab's
//      processes start their own sessions, and the kernel's autogroups share the cores between
//      sessions whatever their nice, so nice holds back only the lane's own processes.
//
// TEST_LANES=one runs `vitest run` once, all projects, one file at a time, after the checks (as
// before 2026-12-07). Arguments after `npm test --` go to vitest in every lane (file filters, -t),
// e.g. `npm test -- tests/unit/poll`.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, constants, setPriority } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;
// Each tool's own script, run by this Node (npm's: Node 24): a tool's `#!/usr/bin/env node` would
// take whichever node is first on PATH.
const TOOLS = {
  vitest: "vitest/vitest.mjs",
  tsc: "typescript/bin/tsc",
  eslint: "eslint/bin/eslint.js",
  prettier: "prettier/bin/prettier.cjs",
};
const tool = (name) => join(root, "node_modules", TOOLS[name]);
const started = performance.now();
const phases = [];
/** Children still running: stopped when the run ends early (a check failed). */
const running = new Set();
const vitestArgs = process.argv.slice(2);
const cores = Math.max(1, availableParallelism());
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs a command; its output goes to the terminal, or to `logFile` (then printed on failure or when
 * asked). `ownSession`: in a session of its own, a number: that session's autogroup nice (see
 * main()); stopped as a group.
 */
function run(name, command, args, { logFile, env, nice = 0, ownSession } = {}) {
  const t0 = performance.now();
  return new Promise((settle) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", logFile ? "pipe" : "inherit", logFile ? "pipe" : "inherit"],
      detached: ownSession !== undefined,
    });
    if (ownSession !== undefined) {
      child.kill = (signal = "SIGTERM") => killGroup(child.pid, signal);
      try {
        // Linux: the session's autogroup (the child leads it). Root may raise its weight; otherwise it stays at 0.
        writeFileSync(`/proc/${child.pid}/autogroup`, String(ownSession));
      } catch {
        // no autogroups here, or not allowed: the usual share
      }
    }
    running.add(child);
    child.on("close", () => running.delete(child));
    // Before it starts anything of its own: what it starts inherits the priority.
    if (nice !== 0 && child.pid !== undefined) {
      try {
        setPriority(child.pid, nice);
      } catch {
        // not allowed here: the lane runs at the usual priority
      }
    }
    if (logFile) {
      const out = createWriteStream(logFile);
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
      child.on("close", () => out.end());
    }
    child.on("error", (err) => settle(done(1, err.message)));
    child.on("close", (code, signal) => settle(done(code ?? 1, signal ? `killed by ${signal}` : "")));
    function done(code, why) {
      const ms = performance.now() - t0;
      phases.push({ name, ms, code });
      console.log(`== ${name}: ${code === 0 ? "ok" : `FAILED (exit ${code}${why ? `, ${why}` : ""})`} in ${seconds(ms)}`);
      return { name, code, ms, logFile };
    }
  });
}

function killGroup(pid, signal) {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // gone already
  }
}

// A child in a session of its own does not get the terminal's Ctrl-C: stop it when this run is stopped.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(signal, () => {
    for (const child of running) child.kill("SIGTERM");
    process.exit(128 + constants.signals[signal]);
  });

function printLog(file) {
  try {
    process.stdout.write(readFileSync(file, "utf8"));
  } catch {
    // nothing was written
  }
}

function summary() {
  console.log(`\n== phases (wall time; phases in one step ran at the same time)`);
  for (const p of phases) console.log(`   ${p.name.padEnd(40)} ${seconds(p.ms).padStart(9)}  ${p.code === 0 ? "ok" : "FAILED"}`);
  console.log(`   ${"total".padEnd(40)} ${seconds(performance.now() - started).padStart(9)}`);
}

async function main() {
  const logs = join(root, "test-artifacts", "logs");
  rmSync(logs, { recursive: true, force: true }); // no summary of an earlier run is added up
  mkdirSync(logs, { recursive: true });

  console.log("== build");
  if ((await run("build", node, [join(root, "scripts", "build.mjs")])).code !== 0) return 1;

  const tsx = ["--import", "tsx"];
  // On a fresh machine it downloads and builds (npm, node-gyp: 33 s alone) while the engine lane
  // runs, and the VS Code lane, which waits for it and ends last, started 77-101 s late. Each lab
  // process of the engine lane has a session of its own, and the kernel's autogroups share the
  // cores between sessions: in a session of its own (nice 0) the build still took 83 s. Its
  // session's autogroup at nice -10 puts it first for the half minute it needs.
  const vscodeServer = run("host: VS Code server ready", node, [...tsx, join(root, "tests/host/runner/prepare.ts")], {
    logFile: join(logs, "prepare-vscode-server.log"),
    ownSession: -10,
  });
  // The checks keep caches in node_modules/.cache (a fresh clone has none): a later run checks again
  // only what changed. Each tool keys its cache by the files' content and its own configuration.
  const cache = (name) => join(root, "node_modules", ".cache", "npm-test", name);
  const checkCommands = [
    ...["tsconfig.json", "src/webview", "tests/bench", "lab-templates/payment-service"].map((project) => [
      `typecheck ${project}`,
      node,
      [tool("tsc"), "--noEmit", "-p", project, "--incremental", "--tsBuildInfoFile", cache(`tsc-${project.replace(/\W+/g, "-")}.tsbuildinfo`)],
    ]),
    ["eslint", node, [tool("eslint"), ".", "--cache", "--cache-strategy", "content", "--cache-location", cache("eslint")]],
    ["prettier --check", node, [tool("prettier"), "--check", ".", "--cache", "--cache-strategy", "content", "--cache-location", cache("prettier")]],
  ];
  const check = ([name, command, args], nice) => run(name, command, args, { logFile: join(logs, `${name.replace(/\W+/g, "-")}.log`), nice });

  if (process.env.TEST_LANES === "one") {
    console.log(`== typecheck, eslint and prettier, ${cores} at a time, beside the lab's packages`);
    const labDeps = run("lab template packages", node, [...tsx, join(root, "tests/stack/lab-deps.ts")], { logFile: join(logs, "lab-deps.log") });
    const queue = [...checkCommands];
    const checks = [];
    await Promise.all(
      Array.from({ length: cores }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) checks.push(await check(next, 0));
      }),
    );
    checks.push(await labDeps);
    if (failedChecks(checks)) {
      for (const child of running) child.kill("SIGTERM"); // the VS Code server's prepare, if still going
      summary();
      return 1;
    }
    await vscodeServer;
    const whole = await run("vitest (one lane)", node, [tool("vitest"), "run", ...vitestArgs]);
    summary();
    return whole.code;
  }

  console.log("== the lab template's packages (every lane uses them)");
  const labDeps = await run("lab template packages", node, [...tsx, join(root, "tests/stack/lab-deps.ts")], { logFile: join(logs, "lab-deps.log") });
  if (labDeps.code !== 0) {
    printLog(labDeps.logFile);
    for (const child of running) child.kill("SIGTERM");
    summary();
    return 1;
  }

  // A filter may match no file of a lane: that lane then has nothing to do, which is no failure.
  const laneArgs = vitestArgs.length > 0 ? [...vitestArgs, "--passWithNoTests"] : [];
  const vitestLane = (lane, projects, nice) =>
    run(`vitest ${lane} lane`, node, [tool("vitest"), "run", ...projects.flatMap((p) => ["--project", p]), ...laneArgs], {
      nice,
      ...(nice === 0 ? {} : { logFile: join(logs, `vitest-${lane}.log`) }),
      env: { VITEST_SUMMARY_FILE: join(logs, `vitest-${lane}-summary.txt`), ...(nice === 0 ? {} : { FORCE_COLOR: process.stdout.isTTY ? "1" : "0" }) },
    });
  console.log(`== lanes at once: the engine lane prints here; the others (logs in ${logs}) and the checks follow when all are done`);
  const checksLane = (async () => {
    const checks = [];
    for (const command of checkCommands) checks.push(await check(command, 19));
    return checks;
  })();
  const vscode = vscodeServer.then((prepared) => {
    if (prepared.code === 0) return vitestLane("vscode", ["host"], 10);
    printLog(prepared.logFile);
    return { ...prepared, name: "vitest vscode lane", code: 1 };
  });
  // Once the VS Code server is ready: on a fresh machine its build (a minute or more) is on the way
  // of the lane that ends last, and the template lane has minutes to spare.
  const template = vscodeServer.then(() => vitestLane("template", ["template", "workspace", "refusals"], 5));
  const engine = await vitestLane("engine", ["unit", "package", "faults", "stack"], 0);
  const host = await vscode;
  const templateLane = await template;
  const checks = await checksLane;
  const lanes = [engine, templateLane, host];
  for (const lane of [templateLane, host]) {
    console.log(`\n== ${lane.name} output`);
    if (lane.logFile) printLog(lane.logFile);
  }
  const checksFailed = failedChecks(checks);

  // Each lane's summary reporter printed "vitest: N passed, N failed, N skipped": add them up.
  const count = { passed: 0, failed: 0, skipped: 0 };
  const lines = ["engine", "template", "vscode"].map((lane) => safeRead(join(logs, `vitest-${lane}-summary.txt`))).join("\n");
  for (const m of lines.matchAll(/^vitest: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)) {
    count.passed += Number(m[1]);
    count.failed += Number(m[2]);
    count.skipped += Number(m[3]);
  }
  const failed = lanes.some((l) => l.code !== 0);
  if (failed && count.failed === 0) count.failed = 1; // a lane that failed without a summary (it did not start)
  // Under the summary lines the reporter listed each failed test and its error's first lines.
  const failures = lines.split("\n").filter((l) => l !== "" && !/^vitest: /.test(l));
  if (failures.length > 0) console.log(`\n== failed tests\n${failures.join("\n")}`);
  summary();
  console.log(`\nvitest: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
  if (checksFailed) console.log("Checks failed (above).");
  return failed || checksFailed ? 1 : 0;
}

/** Prints the logs of the checks that failed; true when any did. */
function failedChecks(checks) {
  for (const c of checks) if (c.code !== 0) printLog(c.logFile);
  const failed = checks.some((c) => c.code !== 0);
  if (failed) console.log("\nChecks failed.");
  return failed;
}

function safeRead(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
