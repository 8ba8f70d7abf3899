// choosePorts: a free preferred port is kept, a taken one replaced, no port given twice.
import { once } from "node:events";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, choosePorts, isPortFree } from "../../src/lab/ports.js";

describe("choosePorts", () => {
  it("keeps a free preferred port and replaces a taken one", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const taken = (blocker.address() as { port: number }).port;
    const free = await freePort();
    try {
      expect(await isPortFree(taken)).toBe(false);
      const ports = await choosePorts({ a: taken, b: free, c: 0 });
      expect(ports.a).not.toBe(taken);
      expect(ports.b).toBe(free);
      expect(new Set(Object.values(ports)).size).toBe(3);
    } finally {
      blocker.close();
    }
  });

  it("gives no port twice when two names want the same one and many want any (chosen all at once)", async () => {
    const free = await freePort();
    const ports = await choosePorts({ a: free, b: free, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0 });
    expect(ports.a).toBe(free);
    expect(ports.b).not.toBe(free);
    expect(new Set(Object.values(ports)).size).toBe(8);
  });
});
