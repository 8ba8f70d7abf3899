// `npm test`: every check CI runs, with the time each phase took. What does not depend on
// another runs beside it: most of the suite waits (for a server to start, a key to expire, a
// VS Code to load), so two lanes of vitest share the machine's cores better than one.
//
//   1. build (esbuild, a second)
//   2. at once: typecheck, eslint, prettier, the lab template's packages (tests/stack/lab-deps.ts)
//      and, in the background, the host tests' VS Code server (tests/host/runner/prepare.ts;
//      the first run downloads and builds it, minutes; later runs find it ready)
//   3. vitest in two lanes at once, once the checks pass:
//      - host: the extension in a real VS Code (its files one at a time), once its server is ready
//      - rest: template, unit, package, faults, then stack and one host file (one file at a time)
//      The rest lane prints as it goes; the host lane's output follows when it ends. The last line
//      adds both lanes up: "vitest: N passed, N failed, N skipped".
//
// The default is one lane: `vitest run` once, all projects, one file at a time. Two lanes at once
// (TEST_LANES=two) were faster on paper, but on 2 cores the host lane beside stack and faults made
// timing-sensitive tests fail (a 3,000-request replay, a node-kill cluster test, sockets closed
// under load), so CI keeps one. Arguments after `npm test --` go to vitest in every lane (file
// filters, -t), e.g. `npm test -- tests/unit/poll`.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
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
// The host lane is the longest (the lead's run at load ~20: host files 1,912 s, all others
// 1,220 s, of which the rest lane runs about half at once): this VS Code test runs last in the
// rest lane instead (one file at a time there too, after stack), which evens the two lanes out.
const HOST_FILES_IN_REST_LANE = ["tests/host/lessons.test.ts"];
const started = performance.now();
const phases = [];
/** Children still running: stopped when the run ends early (a check failed). */
const running = new Set();
const vitestArgs = process.argv.slice(2);
const cores = Math.max(1, availableParallelism());
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command; its output goes to the terminal, or to `logFile` (then printed on failure or when asked). */
function run(name, command, args, { logFile, env } = {}) {
  const t0 = performance.now();
  return new Promise((settle) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", logFile ? "pipe" : "inherit", logFile ? "pipe" : "inherit"],
    });
    running.add(child);
    child.on("close", () => running.delete(child));
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
  const vscodeServer = run("host: VS Code server ready", node, [...tsx, join(root, "tests/host/runner/prepare.ts")], {
    logFile: join(logs, "prepare-vscode-server.log"),
  });
  console.log(`== typecheck, eslint and prettier, ${cores} at a time, beside the lab's packages (outputs follow)`);
  const labDeps = run("lab template packages", node, [...tsx, join(root, "tests/stack/lab-deps.ts")], { logFile: join(logs, "lab-deps.log") });
  // CPU-bound, one core each: more at once than there are cores only makes each slower.
  const checkCommands = [
    ...["tsconfig.json", "src/webview", "tests/bench", "lab-templates/payment-service"].map((project) => [
      `typecheck ${project}`,
      node,
      [tool("tsc"), "--noEmit", "-p", project],
    ]),
    ["eslint", node, [tool("eslint"), "."]],
    ["prettier --check", node, [tool("prettier"), "--check", "."]],
  ];
  const checks = [];
  const queue = checkCommands.map(
    ([name, command, args]) =>
      () =>
        run(name, command, args, { logFile: join(logs, `${name.replace(/\W+/g, "-")}.log`) }),
  );
  await Promise.all(
    Array.from({ length: cores }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) checks.push(await next());
    }),
  );
  checks.push(await labDeps);
  for (const check of checks) if (check.code !== 0) printLog(check.logFile);
  if (checks.some((c) => c.code !== 0)) {
    console.log("\nChecks failed: the tests were not run.");
    for (const child of running) child.kill("SIGTERM"); // the VS Code server's prepare, if still going
    summary();
    return 1;
  }

  if (process.env.TEST_LANES !== "two") {
    await vscodeServer;
    const whole = await run("vitest (one lane)", node, [tool("vitest"), "run", ...vitestArgs]);
    summary();
    return whole.code;
  }

  // A filter may match no file of a lane: that lane then has nothing to do, which is no failure.
  const laneArgs = vitestArgs.length > 0 ? [...vitestArgs, "--passWithNoTests"] : [];
  const hostLog = join(logs, "vitest-host.log");
  const hostLane = vscodeServer.then((prepared) => {
    if (prepared.code !== 0) {
      printLog(prepared.logFile);
      return { ...prepared, name: "vitest host lane", code: 1 };
    }
    return run(
      "vitest host lane",
      node,
      [tool("vitest"), "run", "--project", "host", ...HOST_FILES_IN_REST_LANE.flatMap((f) => ["--exclude", f]), ...laneArgs],
      {
        logFile: hostLog,
        env: { FORCE_COLOR: process.stdout.isTTY ? "1" : "0", VITEST_SUMMARY_FILE: join(logs, "vitest-host-summary.txt") },
      },
    );
  });
  console.log(`== vitest: the rest lane prints here; the host lane (log: ${hostLog}) follows when both are done`);
  const otherHostFiles = readdirSync(join(root, "tests", "host"))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => `tests/host/${f}`)
    .filter((f) => !HOST_FILES_IN_REST_LANE.includes(f));
  const rest = await run(
    "vitest rest lane",
    node,
    [
      tool("vitest"),
      "run",
      ...["template", "unit", "package", "faults", "stack", "host"].flatMap((p) => ["--project", p]),
      ...otherHostFiles.flatMap((f) => ["--exclude", f]),
      ...laneArgs,
    ],
    { env: { VITEST_SUMMARY_FILE: join(logs, "vitest-rest-summary.txt") } },
  );
  const host = await hostLane;
  console.log("\n== vitest host lane output");
  printLog(hostLog);

  // Both lanes' summary reporters printed "vitest: N passed, N failed, N skipped": add them up.
  const count = { passed: 0, failed: 0, skipped: 0 };
  const lines = ["host", "rest"].map((lane) => safeRead(join(logs, `vitest-${lane}-summary.txt`))).join("\n");
  for (const m of lines.matchAll(/^vitest: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)) {
    count.passed += Number(m[1]);
    count.failed += Number(m[2]);
    count.skipped += Number(m[3]);
  }
  const failed = rest.code !== 0 || host.code !== 0;
  if (failed && count.failed === 0) count.failed = 1; // a lane that failed without a summary (it did not start)
  summary();
  console.log(`\nvitest: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
  return failed ? 1 : 0;
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
