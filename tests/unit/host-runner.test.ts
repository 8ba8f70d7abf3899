// The host-test runner's choices that need no VS Code: which Chromium, what the npm one is
// given, and the kerberos and sqlite3 builds left out of the VS Code server's install.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseChromium, DEBIAN_CHROMIUM, fontsConf, npmChromiumEnv } from "../host/runner/chromium.js";
import { skipUnusedBuilds } from "../host/runner/prepare.js";

const existing =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe("chooseChromium", () => {
  it("prefers a browser given by CHROMIUM_PATH, then Debian's, then the npm one", () => {
    const both = existing("/opt/chrome", DEBIAN_CHROMIUM);
    expect(chooseChromium({ env: { CHROMIUM_PATH: "/opt/chrome" }, exists: both })).toEqual({ source: "env", path: "/opt/chrome" });
    expect(chooseChromium({ explicit: "/opt/chrome", env: {}, exists: both })).toEqual({ source: "env", path: "/opt/chrome" });
    expect(chooseChromium({ env: {}, exists: both })).toEqual({ source: "debian", path: DEBIAN_CHROMIUM });
    expect(chooseChromium({ env: {}, exists: existing(), platform: "linux-x64" })).toEqual({ source: "npm" });
  });

  it("HOST_TEST_CHROMIUM=npm skips Debian's; =debian insists on it", () => {
    expect(chooseChromium({ env: { HOST_TEST_CHROMIUM: "npm" }, exists: existing(DEBIAN_CHROMIUM), platform: "linux-x64" })).toEqual({ source: "npm" });
    expect(chooseChromium({ env: { HOST_TEST_CHROMIUM: "debian" }, exists: existing(DEBIAN_CHROMIUM) })).toEqual({ source: "debian", path: DEBIAN_CHROMIUM });
    expect(() => chooseChromium({ env: { HOST_TEST_CHROMIUM: "debian" }, exists: existing() })).toThrow(/apt-get install -y chromium/);
    expect(() => chooseChromium({ env: { HOST_TEST_CHROMIUM: "firefox" }, exists: existing() })).toThrow(/auto, debian or npm/);
  });

  it("the npm one only where it runs: Linux x64", () => {
    expect(() => chooseChromium({ env: {}, exists: existing(), platform: "darwin-arm64" })).toThrow(/set CHROMIUM_PATH/);
    expect(
      chooseChromium({ env: { CHROMIUM_PATH: "/Applications/Chromium" }, exists: existing("/Applications/Chromium"), platform: "darwin-arm64" }).source,
    ).toBe("env");
  });

  it("a CHROMIUM_PATH that does not exist is an error, not a silent fallback", () => {
    expect(() => chooseChromium({ env: { CHROMIUM_PATH: "/nowhere/chrome" }, exists: existing(DEBIAN_CHROMIUM) })).toThrow(/\/nowhere\/chrome not found/);
  });
});

describe("the npm Chromium's surroundings", () => {
  it("its bundled NSS comes first on the library path, and fontconfig reads our file", () => {
    const env = npmChromiumEnv("/c/npm-chromium-1", { LD_LIBRARY_PATH: "/usr/local/lib:/c/npm-chromium-1/al2023/lib" });
    expect(env).toEqual({ LD_LIBRARY_PATH: "/c/npm-chromium-1/al2023/lib:/usr/local/lib", FONTCONFIG_FILE: "/c/npm-chromium-1/fonts.conf" });
    expect(npmChromiumEnv("/c/x", {}).LD_LIBRARY_PATH).toBe("/c/x/al2023/lib");
  });

  it("fonts.conf lists the package's fonts first, then the machine's when it has any", () => {
    const conf = fontsConf("/c/a&b");
    expect(conf).toContain("<dir>/c/a&amp;b/fonts/fonts</dir>");
    expect(conf).toContain("<cachedir>/c/a&amp;b/fontconfig-cache</cachedir>");
    expect(conf.indexOf("<dir>")).toBeLessThan(conf.indexOf('<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'));
  });
});

describe("skipUnusedBuilds", () => {
  it("denies kerberos and sqlite3 their install scripts and leaves the other packages' as they were", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kerberos-"));
    try {
      const file = join(dir, "package.json");
      writeFileSync(
        file,
        JSON.stringify({ name: "x", allowScripts: { "kerberos@2.1.1": true, "node-pty@1.2.0": true, "@vscode/sqlite3@5.1.12-vscode": true, ssh2: false } }),
      );
      await skipUnusedBuilds(file, () => {});
      expect(JSON.parse(readFileSync(file, "utf8")).allowScripts).toEqual({
        "kerberos@2.1.1": false,
        "node-pty@1.2.0": true,
        "@vscode/sqlite3@5.1.12-vscode": false,
        ssh2: false,
      });
      writeFileSync(file, JSON.stringify({ name: "y" }));
      await skipUnusedBuilds(file, () => {});
      expect(JSON.parse(readFileSync(file, "utf8")).allowScripts).toEqual({ kerberos: false, "@vscode/sqlite3": false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
