// How a run record crosses from the extension to the webview. A 10,000-request run is megabytes
// of JSON: posted as an object, VS Code serializes and copies it at every hop (extension host,
// workbench, webview frames) and the panel waited about a second for it. Posted as gzipped JSON
// bytes, it crosses as one small buffer (a run repeats itself: 4 MB become about 100 KB) and is
// parsed once, in the webview. Only "run" messages are packed: every other message is small.
// The extension packs (src/extension/panel/pack-run.ts, with node:zlib); the webview unpacks here.

/**
 * The largest record JSON the lab reads or unpacks: a 10,000-request run is a few MB. A larger
 * one was not written by the lab, and reading it would hold up the extension host (or the
 * webview, for a packed copy from someone else's folder): past this it is refused.
 */
export const MAX_RUN_JSON_BYTES = 64 * 1024 * 1024;

/** A "run" message as posted: its record as the gzipped UTF-8 bytes of its JSON. */
export interface PackedRunMessage {
  type: "run";
  requestId: string;
  runGzip: Uint8Array;
}

/**
 * The message as the extension meant it, for parseToWebview to check; anything but a packed run
 * comes back as it is. Bytes that do not unpack become a run that parseToWebview refuses with the
 * reason, so the request still ends with a message for the learner.
 */
export async function fromWire(data: unknown, maxJsonBytes = MAX_RUN_JSON_BYTES): Promise<unknown> {
  if (typeof data !== "object" || data === null) return data;
  const m = data as Record<string, unknown>;
  if (m.type !== "run" || !(m.runGzip instanceof Uint8Array) || "run" in m) return data;
  let run: unknown;
  try {
    // The bytes may be a history folder's packed copy (see src/lab/history.ts): a few KB of gzip
    // can unpack to gigabytes, so unpacking stops at the size the lab would read as JSON.
    let unpacked = 0;
    const bounded = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        unpacked += chunk.byteLength;
        if (unpacked > maxJsonBytes) out.error(new Error(`it unpacks to more than ${maxJsonBytes} bytes, more than a run the lab writes`));
        else out.enqueue(chunk);
      },
    });
    const json = await new Response(
      new Blob([m.runGzip as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip")).pipeThrough(bounded),
    ).text();
    run = JSON.parse(json);
  } catch (err) {
    run = { unreadable: `the run did not unpack: ${(err as Error).message}` };
  }
  return { type: "run", requestId: m.requestId, run };
}
