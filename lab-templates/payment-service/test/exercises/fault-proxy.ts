// A small HTTP proxy in front of Restate's ingress for exercise 6: it plays the network and the
// load balancer between a client and Restate. Each request takes the next fault of its script
// (then plain forwarding): an error answer of the proxy's own that never reaches Restate, or an
// answer of Restate that is lost on the way back (the connection closes after Restate answered).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  /** Answers this status itself, as an overloaded load balancer would; Restate never sees the request. */
  | { status: number; retryAfterSeconds?: number }
  /** Forwards the request, waits for Restate's full answer, then closes the connection without it. */
  | "lose-answer";

export interface Attempt {
  path: string;
  idempotencyKey: string | null;
  /** What the client got: a status, or "lost" when the proxy closed the connection. */
  outcome: number | "lost";
}

export interface FaultProxy {
  url: string;
  /** Every request the proxy saw, oldest first. */
  attempts: Attempt[];
  /** The faults for the next requests, in order; later requests are forwarded. */
  script(faults: Fault[]): void;
  close(): Promise<void>;
}

/** Headers of Restate's answers that a client may read; the rest is hop-by-hop or irrelevant. */
const PASSED_HEADERS = ["content-type", "x-restate-id", "idempotency-expires", "x-restate-error-source", "retry-after"];

export async function startFaultProxy(ingress: string): Promise<FaultProxy> {
  const queue: Fault[] = [];
  const attempts: Attempt[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const attempt: Attempt = { path: req.url ?? "/", idempotencyKey: headerOf(req, "idempotency-key"), outcome: "lost" };
      attempts.push(attempt);
      const fault = queue.shift();
      if (fault !== undefined && fault !== "lose-answer") {
        attempt.outcome = fault.status;
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers).end(JSON.stringify({ message: `injected by the test's proxy: ${fault.status}` }));
        return;
      }
      const forwarded: Record<string, string> = {};
      for (const name of ["content-type", "idempotency-key", "accept"]) {
        const value = headerOf(req, name);
        if (value !== null) forwarded[name] = value;
      }
      const answer = await fetch(ingress + (req.url ?? "/"), { method: req.method, headers: forwarded, body: req.method === "GET" ? undefined : new Uint8Array(body) });
      const text = await answer.text();
      if (fault === "lose-answer") {
        req.socket.destroy(); // Restate has answered; the client never hears it
        return;
      }
      attempt.outcome = answer.status;
      const headers: Record<string, string> = {};
      for (const name of PASSED_HEADERS) {
        const value = answer.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      res.writeHead(answer.status, headers).end(text);
    })().catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    script: (faults) => void queue.splice(0, queue.length, ...faults),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
