// The lab's door to its own Restate. restate-server 1.7.12 has no setting for CORS or for
// allowed Host names: its ingress reflects any Origin with credentials allowed, and neither
// ingress nor admin looks at Host, so a web page in the user's browser could call a handler, or
// (through DNS rebinding) read and change the admin API. The lab therefore runs restate-server
// on Unix sockets only (RESTATE_LISTEN_MODE=unix, sockets in its data folder) and listens on the
// lab's ingress and admin ports itself, here: a request goes through only when its Host names
// this loopback port and its Origin, if any, is one of the lab's own.
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isAbsolute, relative } from "node:path";
import { LOOPBACK } from "./ports.js";

export interface GuardOptions {
  /** The loopback port the guard listens on (the lab's public ingress or admin port). */
  port: number;
  /** restate-server's Unix socket behind it. */
  socket: string;
  /** Origins besides the guard's own that may call it (the lab's other guarded port: Restate's UI calls the ingress). */
  siblingPorts?: number[];
}

export interface RestateGuard {
  port: number;
  close(): Promise<void>;
}

/** Longest Unix socket path Linux and macOS accept (sun_path less the final NUL). */
const MAX_SOCKET_PATH = 103;

/** Why the request is refused, or null when it may go through. */
export function refusal(headers: IncomingMessage["headers"], port: number, siblingPorts: number[] = []): string | null {
  const host = (headers.host ?? "").toLowerCase();
  if (host !== `${LOOPBACK}:${port}` && host !== `localhost:${port}`) return `Host ${JSON.stringify(headers.host ?? "")} is not this lab's`;
  const origin = headers.origin;
  if (origin === undefined) return null;
  const allowed = [port, ...siblingPorts].flatMap((p) => [`http://${LOOPBACK}:${p}`, `http://localhost:${p}`]);
  return allowed.includes(origin.toLowerCase()) ? null : `Origin ${JSON.stringify(origin)} is not this lab's`;
}

/** Listens on 127.0.0.1:<port> and passes allowed requests to restate-server's socket, bodies streamed both ways. */
export async function startGuard(options: GuardOptions): Promise<RestateGuard> {
  const socketPath = shortPath(options.socket);
  // A new socket connection per request: restate-server closes idle HTTP/1.1 connections on its
  // side, and a request written to one it just closed failed with EPIPE (a 502 in a 3,000-request
  // replay). A connect on a Unix socket is cheap; a lost request is not.
  const agent = new Agent({ keepAlive: false });
  const server: Server = createServer((req, res) => {
    const refused = refusal(req.headers, options.port, options.siblingPorts);
    if (refused) return refuse(res, refused);
    forward(req, res, socketPath, agent);
  });
  // Ingress calls may wait as long as a handler runs (attach, workflows): no time limit of our own.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, LOOPBACK, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** A request body is held up to this size (the lab sends a few hundred bytes), so it can be sent again. */
const MAX_HELD_BODY = 1024 * 1024;
/** Sends on a connection restate-server closed before it read the request (EPIPE): tries in all. */
const TRIES = 3;

function forward(req: IncomingMessage, res: ServerResponse, socketPath: string, agent: Agent): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let held = true;
  req.on("data", (c: Buffer) => {
    size += c.length;
    if (size <= MAX_HELD_BODY) return void chunks.push(c);
    if (!held) return;
    // No lab request comes near this: a body this big is refused, not forwarded.
    held = false;
    res.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end(`Refused by the Idempotency Lab: a request body over ${MAX_HELD_BODY} bytes.\n`);
    req.resume();
  });
  req.on("error", () => res.destroy());
  // The body is held and sent whole, so a request restate-server closed on unread can go again.
  req.once("end", () => {
    if (held) send(Buffer.concat(chunks), 1);
  });

  function send(body: Buffer, attempt: number): void {
    const upstream = request({ socketPath, agent, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (res.headersSent) return res.destroy();
      // EPIPE: restate-server closed the connection before it read the request, so nothing of it
      // ran; sending it again on a new connection cannot run it twice.
      if (code === "EPIPE" && attempt < TRIES && !res.destroyed) return send(body, attempt + 1);
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      res.end(`restate-server is not answering (${code ?? err.message})\n`);
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  }
}

function refuse(res: ServerResponse, why: string): void {
  // No CORS headers: a browser gives the page nothing, and a preflight fails.
  res.writeHead(403, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(`Refused by the Idempotency Lab: ${why}. The lab's Restate answers only this machine's own clients.\n`);
}

/** A socket path short enough to connect to: relative to this process's folder when the absolute one is too long. */
function shortPath(socket: string): string {
  if (socket.length <= MAX_SOCKET_PATH || !isAbsolute(socket)) return socket;
  const near = relative(process.cwd(), socket);
  return near.length < socket.length ? near : socket;
}

/** The lab's two guarded doors, ingress and admin; each lets the other's origin in (Restate's UI calls the ingress). */
export async function guardRestate(
  ports: { ingress: number; admin: number },
  sockets: { ingress: string; admin: string },
): Promise<{ close(): Promise<void> } | "port-taken"> {
  const opened: RestateGuard[] = [];
  const close = async () => void (await Promise.all(opened.map((g) => g.close())));
  try {
    opened.push(await startGuard({ port: ports.ingress, socket: sockets.ingress, siblingPorts: [ports.admin] }));
    opened.push(await startGuard({ port: ports.admin, socket: sockets.admin, siblingPorts: [ports.ingress] }));
    return { close };
  } catch (err) {
    await close();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") return "port-taken";
    throw err;
  }
}
