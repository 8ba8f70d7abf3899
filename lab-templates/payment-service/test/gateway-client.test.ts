// The service's gateway client: which answers end a payment for good (a TerminalError, which
// Restate does not retry) and which only end this attempt (a plain Error, which Restate
// retries). A small HTTP server on loopback plays the gateway, answering each status in turn.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TerminalError } from "@restatedev/restate-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let server: Server;
let status = 200;
let gateway: typeof import("../src/gateway-client.ts");

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status < 300 ? { id: "ch_000001", type: "charge" } : { error: { code: "x", message: `status ${status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // The client reads GATEWAY_URL when it is loaded: set it first.
  process.env.GATEWAY_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway = await import("../src/gateway-client.ts");
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failureFor(answer: number): Promise<unknown> {
  status = answer;
  return gateway.charge({ paymentId: "pay-1", amount: 100, currency: "USD" }, "charge-pay-1").then(
    () => null,
    (err: unknown) => err,
  );
}

describe("the gateway client", () => {
  it.each([408, 409, 425, 429, 500, 503])("lets Restate retry a %i (a plain Error, not a TerminalError)", async (answer) => {
    const err = await failureFor(answer);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TerminalError);
    expect((err as Error).message).toContain(`answered ${answer}`);
  });

  it.each([400, 402, 404, 422])("ends the payment on a %i (a TerminalError)", async (answer) => {
    const err = await failureFor(answer);
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as Error).message).toContain(`(${answer})`);
  });

  it("returns the gateway's answer on a 2xx", async () => {
    status = 201;
    await expect(gateway.charge({ paymentId: "pay-1", amount: 100, currency: "USD" }, "charge-pay-1")).resolves.toMatchObject({ id: "ch_000001" });
  });
});
