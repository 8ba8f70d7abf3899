import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { packedRun, packRunText, toWire } from "../../src/extension/panel/pack-run.js";
import { loadRecordPacked, saveRun } from "../../src/lab/history.js";
import { parseToWebview, type ToWebview } from "../../src/shared/protocol.js";
import { fromWire } from "../../src/shared/wire.js";
import { burst, record } from "./webview/fixtures.js";

describe("a run record on the wire to the webview", () => {
  it("crosses gzipped and arrives as the same checked message", async () => {
    const message: ToWebview = { type: "run", requestId: "w-7", run: record("r-big", burst(2_000)) };
    const packed = toWire(message);
    expect("run" in packed).toBe(false);
    const bytes = (packed as { runGzip: Uint8Array }).runGzip;
    // Exactly a Uint8Array: VS Code posts typed arrays as bytes but a node Buffer as its toJSON().
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    // A run repeats itself: the bytes are far fewer than its JSON.
    expect(bytes.byteLength * 10).toBeLessThan(JSON.stringify(message.run).length);
    const parsed = parseToWebview(await fromWire(packed));
    expect(parsed).toEqual({ ok: true, message });
  });

  it("packs a run's JSON as its file holds it, and it arrives as the same run", async () => {
    const message: ToWebview = { type: "run", requestId: "w-10", run: record("r-file", burst(50)) };
    const fileJson = JSON.stringify(message.run, null, 2);
    expect(parseToWebview(await fromWire(packRunText("w-10", fileJson)))).toEqual({ ok: true, message });
  });

  it("a history file the protocol refuses (edited, or not JSON) is refused in the webview with why, answering its request", async () => {
    // The extension no longer parses a record it opens from the history: the webview's check is the one that counts.
    const edited = record("r-edited", burst(5)) as unknown as { result: { requests: unknown } };
    edited.result.requests = "many";
    const refused = parseToWebview(await fromWire(packRunText("w-11", JSON.stringify(edited))));
    expect(refused).toMatchObject({ ok: false, requestId: "w-11", error: expect.stringMatching(/^run: .*requests/) });
    const notJson = parseToWebview(await fromWire(packRunText("w-12", "{ not json")));
    expect(notJson).toMatchObject({ ok: false, requestId: "w-12", error: expect.stringMatching(/^run: /) });
  });

  it("sends the history's packed copy as it is, and stops unpacking bytes that would grow past a run's size", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "wire-"));
    const message: ToWebview = { type: "run", requestId: "w-13", run: record("r-saved", burst(500)) };
    saveRun(workspace, message.run);
    expect(parseToWebview(await fromWire(packedRun("w-13", loadRecordPacked(workspace, "r-saved")!)))).toEqual({ ok: true, message });
    // A few KB of gzip from someone else's history folder that unpack to much more than the bound.
    const bomb = packedRun("w-14", gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)));
    expect(bomb.runGzip.byteLength).toBeLessThan(16 * 1024);
    const refused = parseToWebview(await fromWire(bomb, 1024 * 1024));
    expect(refused).toMatchObject({ ok: false, requestId: "w-14", error: expect.stringMatching(/unpack.*more than 1048576 bytes/) });
  });

  it("leaves every other message as it is", async () => {
    const message: ToWebview = { type: "progress", requestId: "w-9", done: 3, total: 10 };
    expect(toWire(message)).toBe(message);
    expect(await fromWire(message)).toBe(message);
    expect(await fromWire("text")).toBe("text");
    expect(await fromWire(null)).toBe(null);
  });

  it("refuses bytes that do not unpack, with the reason, and still answers the request", async () => {
    const unpacked = (await fromWire({ type: "run", requestId: "w-8", runGzip: new Uint8Array([1, 2, 3, 4]) })) as { requestId: string; run: unknown };
    expect(unpacked.requestId).toBe("w-8");
    expect(unpacked.run).toMatchObject({ unreadable: expect.stringMatching(/did not unpack/) });
    expect(parseToWebview(unpacked)).toMatchObject({ ok: false, requestId: "w-8" });
  });
});
