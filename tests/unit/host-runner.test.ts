// The host-test runner's choices that need no VS Code: the kerberos build left out of the VS
// Code server's install.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { skipKerberosBuild } from "../host/runner/prepare.js";

describe("skipKerberosBuild", () => {
  it("denies kerberos its install script and leaves the other packages' as they were", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kerberos-"));
    try {
      const file = join(dir, "package.json");
      writeFileSync(file, JSON.stringify({ name: "x", allowScripts: { "kerberos@2.1.1": true, "node-pty@1.2.0": true, ssh2: false } }));
      await skipKerberosBuild(file, () => {});
      expect(JSON.parse(readFileSync(file, "utf8")).allowScripts).toEqual({ "kerberos@2.1.1": false, "node-pty@1.2.0": true, ssh2: false });
      writeFileSync(file, JSON.stringify({ name: "y" }));
      await skipKerberosBuild(file, () => {});
      expect(JSON.parse(readFileSync(file, "utf8")).allowScripts).toEqual({ kerberos: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
