// The extension's half of src/shared/wire.ts: a run record goes to the webview gzipped.
import { packRecordJson } from "../../lab/history.js";
import type { ToWebview } from "../../shared/protocol.js";
import type { PackedRunMessage } from "../../shared/wire.js";

/** What the panel posts for a message: a "run" packed, any other message as it is. */
export function toWire(message: ToWebview): ToWebview | PackedRunMessage {
  if (message.type !== "run") return message;
  return packRunText(message.requestId, JSON.stringify(message.run));
}

/** A "run" message for a record's JSON (text, or its UTF-8 bytes as read from its file), packed; the webview parses and checks it (parseToWebview). */
export function packRunText(requestId: string, runJson: string | Uint8Array): PackedRunMessage {
  return packedRun(requestId, packRecordJson(runJson));
}

/** A "run" message for a record's gzipped JSON as it is (the history's packed copy: src/lab/history.ts). */
export function packedRun(requestId: string, gzip: Uint8Array): PackedRunMessage {
  // A plain Uint8Array, not node's Buffer: VS Code moves typed arrays as bytes, but a Buffer
  // goes through its toJSON() and arrives as {type: "Buffer", data: [...]}.
  return { type: "run", requestId, runGzip: new Uint8Array(gzip.buffer, gzip.byteOffset, gzip.byteLength) };
}
