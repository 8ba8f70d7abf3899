// A mock payment gateway, run apart from the payment service so that a crash of the service
// cannot take the ledger with it (the lab runs it in its supervisor's process; `npm run
// start:gateway` runs it alone). Stripe-like API, loopback only.
//
//   POST /charges   { paymentId, amount, currency }      optional Idempotency-Key header
//   POST /refunds   { paymentId, amount }                optional Idempotency-Key header
//   GET  /ledger    [?paymentId=...]                      every money movement, oldest first
//   POST /receipts  { paymentId, chargeId }              optional Idempotency-Key header
//   GET  /receipts  [?paymentId=...]                      every receipt sent (in memory)
//   POST /faults    { failNext?, latencyMs?, timeoutAfterCharge?, receiptLatencyMs?, refuseReceipts?, keyRetentionMs?,
//                   loseChargeAnswers?, loseReceiptAnswers? }
//                   GET and DELETE /faults too
//   GET  /health
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { EntryType, Faults, LedgerEntry, Receipt } from "./contract.ts";
import { Ledger } from "./ledger.ts";

export type { Faults, Receipt } from "./contract.ts";



const FAULT_NAMES = ["failNext", "latencyMs", "timeoutAfterCharge", "receiptLatencyMs", "refuseReceipts", "keyRetentionMs", "loseChargeAnswers", "loseReceiptAnswers"] as const;
const NO_FAULTS = Object.fromEntries(FAULT_NAMES.map((name) => [name, 0])) as unknown as Faults;
const MAX_BODY_BYTES = 64 * 1024;
const HANG_LIMIT_MS = 60_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function startGateway(options: { port: number; ledgerFile: string }) {
  const ledger = new Ledger(options.ledgerFile);
  let faults: Faults = { ...NO_FAULTS };
  // Keys whose first request is still being processed. A duplicate that arrives meanwhile waits
  // for it and then gets its result, so a retry racing a slow first attempt is never a second
  // charge (Stripe answers 409 here instead; waiting keeps the lab's retries simple).
  const inFlight = new Map<string, Promise<void>>();

  async function onceFor(flightKey: string | null, work: () => Promise<void>, again: () => Promise<void>): Promise<void> {
    if (flightKey === null) return work();
    const running = inFlight.get(flightKey);
    if (running) {
      await running.catch(() => {});
      return again();
    }
    const done = work();
    inFlight.set(flightKey, done);
    try {
      await done;
    } finally {
      inFlight.delete(flightKey);
    }
  }
  // Receipts ("emails") are not money, so they stay in memory, off the ledger.
  const receipts: Receipt[] = [];

  async function sendReceipt(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const o = asObject(await readJson(req));
    const paymentId = requireId(o.paymentId);
    const chargeId = requireId(o.chargeId);
    const key = idempotencyKeyOf(req);
    const previous = key === null ? undefined : receipts.findLast((r) => r.idempotencyKey === key);
    const forgotten = previous !== undefined && faults.keyRetentionMs > 0 && Date.now() - Date.parse(previous.at) > faults.keyRetentionMs;
    if (previous && !forgotten) return send(res, 200, previous, { "idempotent-replayed": "true" });
    await onceFor(
      key === null ? null : `receipt:${key}`,
      async () => {
        if (faults.refuseReceipts > 0) {
          faults.refuseReceipts--;
          throw new HttpError(422, "receipt_refused", "The provider refuses to send this receipt (injected fault)");
        }
        if (faults.receiptLatencyMs > 0) await sleep(faults.receiptLatencyMs);
        const receipt: Receipt = {
          id: `rc_${String(receipts.length + 1).padStart(6, "0")}`,
          paymentId,
          chargeId,
          idempotencyKey: key,
          at: new Date().toISOString(),
        };
        receipts.push(receipt);
        if (faults.loseReceiptAnswers > 0) {
          faults.loseReceiptAnswers--;
          return hangUp(res);
        }
        send(res, 201, receipt);
      },
      async () => {
        const recorded = receipts.findLast((r) => r.idempotencyKey === key);
        if (!recorded) throw new HttpError(503, "retry", "The first request with this key failed; retry");
        send(res, 200, recorded, { "idempotent-replayed": "true" });
      },
    );
  }

  async function move(type: EntryType, req: IncomingMessage, res: ServerResponse, parsed?: unknown, requestedAt = new Date().toISOString()): Promise<void> {
    const body = parsed ?? (await readJson(req));
    const request = type === "charge" ? parseCharge(body) : parseRefund(body);
    const key = idempotencyKeyOf(req);
    if (key !== null) {
      const previous = ledger.findByKey(type, key);
      const forgotten = previous !== undefined && faults.keyRetentionMs > 0 && Date.now() - Date.parse(previous.at) > faults.keyRetentionMs;
      if (previous && !forgotten) {
        if (previous.paymentId !== request.paymentId || previous.amount !== request.amount) {
          throw new HttpError(
            422,
            "idempotency_key_reused",
            `Idempotency-Key ${key} was already used for ${previous.type} ${previous.id} ` +
              `(payment ${previous.paymentId}, amount ${previous.amount}) with other parameters`,
          );
        }
        if (type === "charge" && answerLost()) return hangUp(res);
        return send(res, 200, previous, { "idempotent-replayed": "true" });
      }
    }
    await onceFor(
      key === null ? null : `${type}:${key}`,
      async () => {
        if (faults.failNext > 0) {
          faults.failNext--;
          throw new HttpError(503, "injected_failure", "The gateway is unavailable (injected fault)");
        }
        if (faults.latencyMs > 0) await sleep(faults.latencyMs);
        const currency = type === "charge" ? (request as ChargeRequest).currency : currencyOfPayment(request.paymentId);
        if (type === "refund") checkRefundable(request.paymentId, request.amount);
        const entry = ledger.append({ type, paymentId: request.paymentId, amount: request.amount, currency, idempotencyKey: key }, requestedAt);
        if (type === "charge" && faults.timeoutAfterCharge > 0) {
          faults.timeoutAfterCharge--;
          return hangUp(res);
        }
        if (type === "charge" && answerLost()) return hangUp(res);
        send(res, 201, entry);
      },
      () => move(type, req, res, body, requestedAt),
    );
  }

  /** Counts down loseChargeAnswers: true when this charge's answer is to be lost. */
  function answerLost(): boolean {
    if (faults.loseChargeAnswers === 0) return false;
    faults.loseChargeAnswers--;
    return true;
  }

  function currencyOfPayment(paymentId: string): string {
    const charge = ledger.forPayment(paymentId).find((e) => e.type === "charge");
    if (!charge) throw new HttpError(404, "no_charge", `No charge for payment ${paymentId} to refund`);
    return charge.currency;
  }

  function checkRefundable(paymentId: string, amount: number): void {
    const entries = ledger.forPayment(paymentId);
    const charged = sum(entries, "charge");
    const refunded = sum(entries, "refund");
    if (amount > charged - refunded) {
      throw new HttpError(400, "refund_exceeds_charge", `Refund of ${amount} exceeds what is left to refund on payment ${paymentId} (${charged - refunded})`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return send(res, err.status, { error: { code: err.code, message: err.message } });
      console.error("gateway error:", err);
      send(res, 500, { error: { code: "internal", message: String(err) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkCaller(req, options.port);
    const url = new URL(req.url ?? "/", "http://gateway");
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /health":
        return send(res, 200, { ok: true });
      case "POST /charges":
        return move("charge", req, res);
      case "POST /refunds":
        return move("refund", req, res);
      case "GET /ledger": {
        const paymentId = url.searchParams.get("paymentId");
        return send(res, 200, paymentId === null ? ledger.all() : ledger.forPayment(paymentId));
      }
      case "POST /receipts":
        return sendReceipt(req, res);
      case "GET /receipts": {
        const paymentId = url.searchParams.get("paymentId");
        return send(res, 200, paymentId === null ? receipts : receipts.filter((r) => r.paymentId === paymentId));
      }
      case "GET /faults":
        return send(res, 200, faults);
      case "POST /faults":
        faults = { ...faults, ...parseFaults(await readJson(req)) };
        return send(res, 200, faults);
      case "DELETE /faults":
        faults = { ...NO_FAULTS };
        return send(res, 200, faults);
      default:
        throw new HttpError(404, "not_found", `No route ${route}`);
    }
  }

  // Node closes an idle kept-alive connection after 5 s, and a client that picks it from its pool
  // just then sees "other side closed" (seen in the lab's tests on a loaded machine): idle
  // connections stay a minute, longer than clients keep theirs (they follow the Keep-Alive hint).
  server.keepAliveTimeout = 65_000;
  server.listen(options.port, "127.0.0.1");
  return { server, ledger };
}

/**
 * Only programs on this machine that mean to call the gateway: a web page in the user's browser
 * could reach 127.0.0.1 too (a form post, or a DNS name rebound to 127.0.0.1), but its requests
 * carry a foreign Host or Origin, and a form cannot send application/json.
 */
function checkCaller(req: IncomingMessage, port: number): void {
  const host = (req.headers.host ?? "").toLowerCase();
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(hostname)) {
    throw new HttpError(403, "forbidden_host", `The gateway answers only requests to 127.0.0.1 or localhost, not to Host "${host.slice(0, 100)}"`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && ![`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(origin)) {
    throw new HttpError(403, "forbidden_origin", `The gateway does not answer requests from web pages (Origin "${origin.slice(0, 100)}")`);
  }
  if (req.method === "POST" && !/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) {
    throw new HttpError(415, "unsupported_media_type", "POST bodies must be sent as Content-Type: application/json");
  }
}

interface ChargeRequest {
  paymentId: string;
  amount: number;
  currency: string;
}

function parseCharge(body: unknown): ChargeRequest {
  const o = asObject(body);
  return { paymentId: requireId(o.paymentId), amount: requireAmount(o.amount), currency: requireCurrency(o.currency) };
}

function parseRefund(body: unknown): { paymentId: string; amount: number } {
  const o = asObject(body);
  return { paymentId: requireId(o.paymentId), amount: requireAmount(o.amount) };
}

function parseFaults(body: unknown): Partial<Faults> {
  const o = asObject(body);
  const out: Partial<Faults> = {};
  for (const name of FAULT_NAMES) {
    const value = o[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 600_000) {
      throw new HttpError(400, "invalid_fault", `${name} must be a whole number from 0 to 600000, got ${JSON.stringify(value)}`);
    }
    out[name] = value as number;
  }
  const unknown = Object.keys(o).filter((k) => !(FAULT_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) throw new HttpError(400, "invalid_fault", `Unknown fault ${unknown.join(", ")}`);
  return out;
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "invalid_request", "The body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function requireId(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 200) {
    throw new HttpError(400, "invalid_request", "paymentId must be a non-empty string of at most 200 characters");
  }
  return value;
}

function requireAmount(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new HttpError(400, "invalid_request", `amount must be a positive whole number of minor units, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

function requireCurrency(value: unknown): string {
  if (typeof value !== "string" || !/^[A-Z]{3}$/.test(value)) {
    throw new HttpError(400, "invalid_request", `currency must be a 3-letter code, got ${JSON.stringify(value)}`);
  }
  return value;
}

function idempotencyKeyOf(req: IncomingMessage): string | null {
  const value = req.headers["idempotency-key"];
  if (value === undefined) return null;
  const key = Array.isArray(value) ? value[0] : value;
  if (!key || key.length > 255) throw new HttpError(400, "invalid_request", "Idempotency-Key must be 1 to 255 characters");
  return key;
}

function sum(entries: LedgerEntry[], type: EntryType): number {
  return entries.filter((e) => e.type === type).reduce((total, e) => total + e.amount, 0);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "too_large", `The body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The charge is on the ledger but the caller never hears so: as when a real gateway times out. */
function hangUp(res: ServerResponse): void {
  const timer = setTimeout(() => res.destroy(), HANG_LIMIT_MS);
  res.on("close", () => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.GATEWAY_PORT ?? 9081);
  const ledgerFile = resolve(process.env.LEDGER_FILE ?? fileURLToPath(new URL("../.lab/ledger.jsonl", import.meta.url)));
  let started: ReturnType<typeof startGateway>;
  try {
    started = startGateway({ port, ledgerFile });
  } catch (err) {
    // One line, the last one: the lab's supervisor reports a child's last line as the reason it failed.
    console.error(`payment gateway could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  const { server } = started;
  server.on("listening", () => console.log(`payment gateway listening on http://127.0.0.1:${port} (ledger ${ledgerFile})`));
  server.on("error", (err) => {
    console.error(`payment gateway could not listen on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.closeAllConnections(); // a hung-up charge must not hold the shutdown
      server.close(() => process.exit(0));
    });
  }
}
