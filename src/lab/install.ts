// Installs a lab workspace's npm dependencies when they are missing.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { LabError } from "./errors.js";
import { childEnvironment } from "./origins.js";
import { workspacePaths } from "./paths.js";

const REQUIRED = ["@restatedev/restate-sdk/package.json", "tsx/package.json", "@restatedev/restate-server/package.json"];

export function needsInstall(workspace: string): boolean {
  const { nodeModules } = workspacePaths(workspace);
  return REQUIRED.some((file) => !existsSync(join(nodeModules, file)));
}

/** `npm ci` when there is a lock file, else `npm install`; each output line goes to `onLine`. */
export function installDependencies(workspace: string, options: { nodePath: string; onLine?: (line: string) => void; signal?: AbortSignal }): Promise<void> {
  const hasLock = existsSync(join(workspace, "package-lock.json"));
  const args = [hasLock ? "ci" : "install", "--no-audit", "--no-fund", "--loglevel=http"];
  // The npm next to the chosen Node, when there is one, so that both agree on versions.
  const beside = join(dirname(options.nodePath), process.platform === "win32" ? "npm.cmd" : "npm");
  const npm = existsSync(beside) ? beside : process.platform === "win32" ? "npm.cmd" : "npm";
  return new Promise((resolve, reject) => {
    const child = spawn(npm, args, {
      cwd: workspace,
      // SCARF_ANALYTICS: a dependency of restate-server reports installs; offline it only waits.
      env: childEnvironment({
        SCARF_ANALYTICS: "false",
        PATH: `${dirname(options.nodePath)}${process.platform === "win32" ? ";" : ":"}${process.env.PATH ?? ""}`,
      }),
      stdio: ["ignore", "pipe", "pipe"],
      signal: options.signal,
    });
    let tail = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      tail = (tail + text).slice(-4000);
      for (const line of text.split("\n")) if (line.trim()) options.onLine?.(line);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) =>
      reject(
        (err as NodeJS.ErrnoException).code === "ENOENT"
          ? new LabError(`npm was not found (looked beside ${options.nodePath} and on PATH)`, "Install Node.js with npm, or put npm on PATH.", "npm-failed")
          : err,
      ),
    );
    child.on("exit", (code, sig) => {
      if (code === 0) return resolve();
      reject(
        new LabError(
          `npm ${args[0]} failed in ${workspace} (${sig ?? `exit code ${code}`}): ${lastLines(tail, 3)}`,
          `Run "npm ${args[0]}" in ${workspace} to see the whole error, fix it, and start the lab again.`,
          "npm-failed",
        ),
      );
    });
  });
}

function lastLines(text: string, n: number): string {
  return text.trim().split("\n").slice(-n).join(" | ");
}
