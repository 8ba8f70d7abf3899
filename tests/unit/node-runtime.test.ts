import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findNode } from "../../src/lab/node-runtime.js";

/** A fake `node` that reports the given version. */
function fakeNode(version: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "fake-node-"));
  const path = join(dir, "node");
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return { dir, path };
}

describe("findNode", () => {
  it("takes a configured Node that is new enough", () => {
    const { path } = fakeNode("v22.12.0");
    expect(findNode({ configured: path })).toEqual({ path, version: "v22.12.0", source: "setting" });
  });

  it("says which version and where when the configured Node is too old", () => {
    const { path } = fakeNode("v20.20.2");
    expect(() => findNode({ configured: path })).toThrow(new RegExp(`"${path}" is v20.20.2; the lab service needs 22 or newer`));
  });

  it("says when the configured Node cannot be run", () => {
    expect(() => findNode({ configured: "/nonexistent/node" })).toThrow(/"\/nonexistent\/node" cannot be run/);
  });

  it("uses the current runtime when it is new enough", () => {
    if (Number(process.versions.node.split(".")[0]) < 22) return; // covered by the PATH cases below
    expect(findNode().source).toBe("current runtime");
  });

  it("skips old Nodes on PATH for a newer one", () => {
    const old = fakeNode("v18.19.0");
    const fresh = fakeNode("v24.1.0");
    const found = findNode({ useCurrent: false, env: { PATH: `${old.dir}:${fresh.dir}` } });
    expect(found).toEqual({ path: fresh.path, version: "v24.1.0", source: "PATH" });
  });

  it("lists what it found on PATH when nothing is new enough", () => {
    const old = fakeNode("v20.20.2");
    expect(() => findNode({ useCurrent: false, env: { PATH: old.dir } })).toThrow(
      `The lab service needs Node.js 22 or newer, but found only v20.20.2 at ${old.path}`,
    );
  });

  it("a node on PATH is asked its version without this process's environment (no tokens, no NODE_OPTIONS)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-node-"));
    const seen = join(dir, "environment.txt");
    writeFileSync(join(dir, "node"), `#!/bin/sh\nenv > ${seen}\necho v24.1.0\n`);
    chmodSync(join(dir, "node"), 0o755);
    process.env.IDEMPOTENCY_LAB_RESTATE_TOKEN = "secret-token";
    process.env.IDEMPOTENCY_LAB_RUN = "f".repeat(32);
    try {
      expect(findNode({ useCurrent: false, env: { PATH: dir } }).version).toBe("v24.1.0");
    } finally {
      delete process.env.IDEMPOTENCY_LAB_RESTATE_TOKEN;
      delete process.env.IDEMPOTENCY_LAB_RUN;
    }
    const environment = readFileSync(seen, "utf8");
    expect(environment).not.toContain("secret-token");
    expect(environment).not.toContain("f".repeat(32));
    expect(environment).not.toContain("NODE_OPTIONS");
  });

  it("says so when there is no Node on PATH at all", () => {
    expect(() => findNode({ useCurrent: false, env: { PATH: mkdtempSync(join(tmpdir(), "empty-")) } })).toThrow(/No Node.js found on PATH/);
  });
});
