// The host-test runner from a terminal: node --import tsx tests/host/runner/cli.ts --tests <module.js|dir> ...
import { parseArgs } from "node:util";
import { runHostTests } from "./index.js";
import type { Launcher } from "./options.js";

const USAGE = `usage: node --import tsx tests/host/runner/cli.ts --tests <module.js|dir> [--extension <dir>]
  [--workspace <dir>] [--timeout <ms>] [--screenshots <dir>] [--env KEY=VALUE ...]
  [--launcher auto|server|electron] [--enable-workspace-trust] [--verbose]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      extension: { type: "string" },
      tests: { type: "string" },
      workspace: { type: "string" },
      timeout: { type: "string" },
      screenshots: { type: "string" },
      env: { type: "string", multiple: true },
      launcher: { type: "string" },
      "enable-workspace-trust": { type: "boolean" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.tests) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const env: Record<string, string> = {};
  for (const kv of values.env ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) throw new Error(`--env expects KEY=VALUE, got ${kv}`);
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return runHostTests({
    extensionDevelopmentPath: values.extension,
    extensionTestsPath: values.tests,
    workspaceFolder: values.workspace,
    timeoutMs: values.timeout ? Number(values.timeout) : undefined,
    screenshotDir: values.screenshots,
    env,
    launcher: values.launcher as Launcher | undefined,
    disableWorkspaceTrust: !values["enable-workspace-trust"],
    verbose: values.verbose,
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[host] ERROR: ${(err as Error)?.stack ?? err}`);
    process.exit(2);
  },
);
