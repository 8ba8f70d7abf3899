// A recording reverse proxy on 127.0.0.1: forwards every request to `target` and keeps the
// headers it saw, so a test can tell what the lab sent to an address (a token, say).
import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface CaptureProxy {
  url: string;
  seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  close(): void;
}

/** `target` null: answers 503 itself (an address that must never be called). */
export async function captureProxy(target: string | null): Promise<CaptureProxy> {
  const seen: CaptureProxy["seen"] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    if (target === null) {
      res.writeHead(503).end();
      return;
    }
    const to = new URL(req.url ?? "/", target);
    const forward = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
