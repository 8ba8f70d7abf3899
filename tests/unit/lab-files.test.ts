// readLabFile reads a file in one buffer sized by fstat; these are its edges.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLabFile, readLabFileBytes } from "../../src/lab/lab-files.js";

const dir = mkdtempSync(join(tmpdir(), "lab-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readLabFile", () => {
  it("reads files of every size up to its limit, byte for byte", () => {
    for (const size of [0, 1, 65_535, 65_536, 65_537, 1_000_000]) {
      const file = join(dir, `f-${size}`);
      const bytes = Buffer.alloc(size, "ab");
      writeFileSync(file, bytes);
      expect(readLabFileBytes(file)?.equals(bytes), `${size} bytes`).toBe(true);
      expect(readLabFile(file, { maxBytes: size })?.length, `${size} bytes, at the limit`).toBe(size);
    }
  });

  it("refuses a file one byte over the limit, and says so", () => {
    const file = join(dir, "over");
    writeFileSync(file, "x".repeat(101));
    expect(() => readLabFileBytes(file, { maxBytes: 100 })).toThrow(/larger than the lab reads/);
  });

  it("decodes UTF-8 as the file holds it; a missing file is null", () => {
    const file = join(dir, "utf8.json");
    writeFileSync(file, '{"word":"Grüße ↔ 日本"}');
    expect(JSON.parse(readLabFile(file)!)).toEqual({ word: "Grüße ↔ 日本" });
    expect(readLabFileBytes(join(dir, "missing"))).toBeNull();
  });
});
