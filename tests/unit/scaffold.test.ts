import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LabError } from "../../src/lab/errors.js";
import { isLabWorkspace } from "../../src/lab/paths.js";
import { scaffold } from "../../src/lab/scaffold.js";

const temp = () => mkdtempSync(join(tmpdir(), "scaffold-test-"));

describe("scaffold", () => {
  it("creates the whole lab in a new folder, with .gitignore under its real name", () => {
    const target = join(temp(), "new", "lab");
    const result = scaffold(target);
    expect(result.kept).toEqual([]);
    expect(result.created).toContain("src/payment-service.ts");
    expect(result.created).toContain("gateway/server.ts");
    expect(result.created).toContain(".gitignore");
    expect(result.created).not.toContain("_gitignore");
    expect(result.created.some((f) => f.startsWith("node_modules"))).toBe(false);
    expect(isLabWorkspace(target)).toBe(true);
    // no temporary files left behind
    expect(readdirSync(join(target, "src")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("accepts an empty folder that only has .git and .vscode", () => {
    const target = temp();
    mkdirSync(join(target, ".git"));
    mkdirSync(join(target, ".vscode"));
    expect(scaffold(target).created.length).toBeGreaterThan(10);
  });

  it("never overwrites: on an existing lab it only adds what is missing", () => {
    const target = temp();
    const first = scaffold(target);
    writeFileSync(join(target, "src", "payment-service.ts"), "// my edits\n");
    rmSync(join(target, "gateway", "ledger.ts"));
    const second = scaffold(target);
    expect(second.created).toEqual(["gateway/ledger.ts"]);
    expect(second.kept.length).toBe(first.created.length - 1);
    expect(readFileSync(join(target, "src", "payment-service.ts"), "utf8")).toBe("// my edits\n");
  });

  it("refuses a non-empty folder that is not a lab, and writes nothing", () => {
    const target = temp();
    writeFileSync(join(target, "notes.txt"), "mine");
    const error = (() => {
      try {
        scaffold(target);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toMatch(/not empty and is not an Idempotency Lab workspace \(it has notes.txt\)/);
    expect((error as LabError).fix).toMatch(/empty folder/);
    expect(readdirSync(target)).toEqual(["notes.txt"]);
  });

  it("refuses a file as the target", () => {
    const file = join(temp(), "file.txt");
    writeFileSync(file, "x");
    expect(() => scaffold(file)).toThrow(/is a file, not a folder/);
  });

  it("finds a folder standing where a template file goes before writing anything", () => {
    const target = temp();
    scaffold(target);
    rmSync(join(target, "README.md"));
    rmSync(join(target, "tsconfig.json"));
    mkdirSync(join(target, "tsconfig.json"));
    expect(() => scaffold(target)).toThrow(/tsconfig.json exists and is not a file/);
    expect(existsSync(join(target, "README.md"))).toBe(false);
  });
});
