// Ports on 127.0.0.1: which are free, the lab's choice of them, and whether something listens.
import { connect, createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

/** Whether nothing listens on 127.0.0.1:port (or on all interfaces) right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, as the kernel picks it; another program may still take it first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Picks a port for each name: the preferred one when it is free, any free port otherwise
 * (or when the preference is 0). No two names get the same port.
 */
export async function choosePorts<K extends string>(preferred: Record<K, number>): Promise<Record<K, number>> {
  const names = Object.keys(preferred) as K[];
  // All at once (a start waits for this): each preferred port if it is free, any free one otherwise.
  const first = await Promise.all(names.map(async (name) => (preferred[name] > 0 && (await isPortFree(preferred[name])) ? preferred[name] : freePort())));
  const chosen = {} as Record<K, number>;
  const taken = new Set<number>();
  for (const [i, name] of names.entries()) {
    // Two names that want one port, or two free ports the system handed out twice: the later one takes another.
    let port = first[i]!;
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    chosen[name] = port;
  }
  return chosen;
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}
