// What a host-test run is asked to do, and the same with every default filled in.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Frame, Page } from "playwright-core";
import { REPO_ROOT } from "./node24.js";

export type Launcher = "auto" | "server" | "electron";

export interface HostTestOptions {
  /** The extension folder (default: this repository). */
  extensionDevelopmentPath?: string;
  /** The test module: CommonJS exporting `run()`, or a folder with index.js. */
  extensionTestsPath: string;
  /** The folder to open (default: a fresh empty temp folder). */
  workspaceFolder?: string;
  /** More environment for the extension host. */
  env?: Record<string, string | number | boolean>;
  /** The whole run's timeout (default 5 min). */
  timeoutMs?: number;
  /** Where failure artifacts go (default test-artifacts/host). */
  screenshotDir?: string;
  /** Default true; false keeps workspace trust on (server launcher only). */
  disableWorkspaceTrust?: boolean;
  /** Server launcher only: runs alongside the test module with the workbench page. */
  onPage?: (page: Page, ctx: PageContext) => Promise<void>;
  /** Server launcher: remote machine settings, over quiet defaults such as chat.disableAIFeatures. */
  settings?: Record<string, unknown>;
  /** Default: $CHROMIUM_PATH, else Debian's chromium, else the npm one (see chromium.ts). */
  chromiumPath?: string;
  /** Default $VSCODE_HOST_LAUNCHER or "auto". */
  launcher?: Launcher;
  /** Default console.log. */
  log?: (line: string) => void;
  /** Also print the server's and the browser's output. */
  verbose?: boolean;
}

/** What an `onPage` callback gets besides the page. */
export interface PageContext {
  port: number;
  baseUrl: string;
  workspaceFolder: string;
  artifactsDir: string;
  log: (line: string) => void;
  webviewFrames: (page: Page) => Frame[];
  findWebviewFrame: (page: Page, selector: string, options?: { timeoutMs?: number; intervalMs?: number }) => Promise<Frame>;
}

export interface RunOptions extends Required<Omit<HostTestOptions, "workspaceFolder" | "onPage" | "env" | "chromiumPath">> {
  workspaceFolder: string | undefined;
  /** Undefined: chosen when the browser starts (chromium.ts). */
  chromiumPath: string | undefined;
  onPage: HostTestOptions["onPage"];
  env: Record<string, string>;
  keepTmp: boolean;
}

export const DEFAULT_SCREENSHOT_DIR = join(REPO_ROOT, "test-artifacts", "host");
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export function resolveOptions(options: HostTestOptions): RunOptions {
  if (!options.extensionTestsPath) throw new Error("runHostTests: extensionTestsPath is required");
  const o: RunOptions = {
    extensionDevelopmentPath: resolve(options.extensionDevelopmentPath ?? REPO_ROOT),
    extensionTestsPath: resolveTestsPath(options.extensionTestsPath),
    workspaceFolder: options.workspaceFolder ? resolve(options.workspaceFolder) : undefined,
    env: Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, String(v)])),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    screenshotDir: resolve(options.screenshotDir ?? DEFAULT_SCREENSHOT_DIR),
    disableWorkspaceTrust: options.disableWorkspaceTrust ?? true,
    onPage: options.onPage,
    settings: options.settings ?? {},
    launcher: options.launcher ?? (process.env.VSCODE_HOST_LAUNCHER as Launcher | undefined) ?? "auto",
    log: options.log ?? ((line) => console.log(line)),
    verbose: options.verbose ?? process.env.HOST_TEST_VERBOSE === "1",
    keepTmp: process.env.HOST_TEST_KEEP_TMP === "1",
    chromiumPath: options.chromiumPath,
  };
  if (!["auto", "server", "electron"].includes(o.launcher)) throw new Error(`unknown launcher ${o.launcher}`);
  if (!existsSync(join(o.extensionDevelopmentPath, "package.json"))) throw new Error(`no package.json in ${o.extensionDevelopmentPath}`);
  if (!existsSync(o.extensionTestsPath)) throw new Error(`test module not found: ${o.extensionTestsPath}`);
  if (o.workspaceFolder && !existsSync(o.workspaceFolder)) throw new Error(`workspace folder not found: ${o.workspaceFolder}`);
  return o;
}

/** The test module as VS Code loads it: a folder means its index.js. */
function resolveTestsPath(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs) && statSync(abs).isDirectory()) return join(abs, "index.js");
  return abs;
}
