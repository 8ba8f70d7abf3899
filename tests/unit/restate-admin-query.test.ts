// The admin query's retry: a read that a cluster answers 500 while a partition has no leader
// (seen on 1.7.12 after a node was killed: "node lookup for partition 15 failed") is tried again;
// a 4xx, or a 500 that names a planning or schema error, is the query's own fault and is not. A local HTTP server plays the admin API.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { query } from "../../src/lab/restate-admin.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** An admin API whose /query answers `answers` in turn (the last one from then on); returns its URL and the requests it got. */
async function admin(answers: Array<[number, string]>): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  server = createServer((req, res) => {
    req.resume();
    const [status, body] = answers[Math.min(count++, answers.length - 1)]!;
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((listening) => server!.listen(0, "127.0.0.1", listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

const LEADERLESS: [number, string] = [500, '{"message":"Datafusion error: External error: node lookup for partition 15 failed"}'];

describe("query on the admin API", () => {
  it("tries a 500 again until the answer comes", async () => {
    const api = await admin([LEADERLESS, LEADERLESS, [200, '{"rows":[{"id":"inv_1"}]}']]);
    expect(await query<{ id: string }>(api.url, "SELECT id FROM sys_invocation")).toEqual([{ id: "inv_1" }]);
    expect(api.requests()).toBe(3);
  });

  it("does not try a 400 again: the query itself is wrong", async () => {
    const api = await admin([
      [400, '{"message":"no such table"}'],
      [200, '{"rows":[]}'],
    ]);
    await expect(query(api.url, "SELECT * FROM nothing")).rejects.toThrow(/Restate query failed \(400\): .*no such table/);
    expect(api.requests()).toBe(1);
  });

  it("does not try a 500 again when it says the query itself is wrong (a planning error)", async () => {
    const api = await admin([
      [500, `{"message":"Datafusion error: Error during planning: table 'restate.public.no_such_table' not found"}`],
      [200, '{"rows":[]}'],
    ]);
    await expect(query(api.url, "SELECT * FROM no_such_table")).rejects.toThrow(/Restate query failed \(500\): .*not found/);
    expect(api.requests()).toBe(1);
  });

  it("gives up after retryForMs with the last answer in the error", async () => {
    const api = await admin([LEADERLESS]);
    await expect(query(api.url, "SELECT id FROM sys_invocation", { retryForMs: 500 })).rejects.toThrow(/Restate query failed \(500\): .*partition 15/);
    expect(api.requests()).toBeGreaterThan(1);
  });
});
