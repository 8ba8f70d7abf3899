// The extension's half of src/shared/wire.ts: a run record goes to the webview gzipped.
import { gzipSync } from "node:zlib";
import type { ToWebview } from "../../shared/protocol.js";
import type { PackedRunMessage } from "../../shared/wire.js";

/**
 * What the panel posts for a message: a "run" packed, any other message as it is. `runJson`, when
 * given, is the run's JSON as read from its file: it is packed as it is instead of serialized again.
 */
export function toWire(message: ToWebview, runJson?: string): ToWebview | PackedRunMessage {
  if (message.type !== "run") return message;
  // Level 1: the fastest; a run's repetition still shrinks it about 40 times.
  const gzip = gzipSync(runJson ?? JSON.stringify(message.run), { level: 1 });
  // A plain Uint8Array, not node's Buffer: VS Code moves typed arrays as bytes, but a Buffer
  // goes through its toJSON() and arrives as {type: "Buffer", data: [...]}.
  return { type: "run", requestId: message.requestId, runGzip: new Uint8Array(gzip.buffer, gzip.byteOffset, gzip.byteLength) };
}
