// The few calls the lab makes to Restate's admin API.
import { authHeaders, type RestateCredential } from "./origins.js";
import { sleep } from "./poll.js";

export interface AdminOptions {
  /** For a Restate that runs elsewhere: sent only to the origins it was entered for. */
  credential?: RestateCredential;
}

export async function isHealthy(url: string, options: AdminOptions = {}): Promise<boolean> {
  try {
    const res = await fetch(url, { headers: authHeaders(options.credential, url), signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export async function registerDeployment(admin: string, uri: string, options: AdminOptions = {}): Promise<string> {
  // force: the learner edits the service between runs; a local lab should take the new version.
  const url = `${admin}/deployments`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(options.credential, url) },
    body: JSON.stringify({ uri, force: true }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Restate refused to register ${uri} (${res.status}): ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** 1.7.12 answers 500 to a query naming no such table or column: the query is wrong, not the moment. */
const QUERY_ITSELF_WRONG = /Error during planning|Schema error/;

/**
 * Runs a SQL query on the admin API. A 5xx is tried again for up to `retryForMs`: in a cluster,
 * the node that leads a partition can be gone for a few seconds (1.7.12 answers 500 "node lookup
 * for partition N failed" until another takes over), and a read is safe to repeat. A 4xx, or a
 * 500 that says the query itself is wrong, is not.
 */
export async function query<Row>(admin: string, sql: string, options: AdminOptions & { retryForMs?: number } = {}): Promise<Row[]> {
  const url = `${admin}/query`;
  const deadline = Date.now() + (options.retryForMs ?? 15_000);
  for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...authHeaders(options.credential, url) },
      body: JSON.stringify({ query: sql }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.ok) return (JSON.parse(text) as { rows: Row[] }).rows;
    if (res.status < 500 || QUERY_ITSELF_WRONG.test(text) || Date.now() + wait > deadline) throw new Error(`Restate query failed (${res.status}): ${text}`);
    await sleep(wait);
  }
}

/** A service's idempotency retention as the admin API reports it (e.g. "1d"). */
export async function idempotencyRetention(admin: string, service: string, options: AdminOptions = {}): Promise<string> {
  const url = `${admin}/services/${encodeURIComponent(service)}`;
  const res = await fetch(url, { headers: authHeaders(options.credential, url), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`Restate did not describe service ${service} (${res.status}): ${text}`);
  return (JSON.parse(text) as { idempotency_retention: string }).idempotency_retention;
}

/** Changes a service's idempotency retention at run time; new invocations get it. Returns the value Restate reports back. */
export async function setIdempotencyRetention(admin: string, service: string, retention: string, options: AdminOptions = {}): Promise<string> {
  const url = `${admin}/services/${encodeURIComponent(service)}`;
  const res = await fetch(url, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...authHeaders(options.credential, url) },
    body: JSON.stringify({ idempotency_retention: retention }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Restate refused to set ${service}'s idempotency retention to ${retention} (${res.status}): ${text}`);
  return (JSON.parse(text) as { idempotency_retention: string }).idempotency_retention;
}

/** Kills or cancels an invocation; returns the admin API's status (200 for kill, 202 for cancel on 1.7). */
export async function stopInvocation(admin: string, invocationId: string, how: "kill" | "cancel", options: AdminOptions = {}): Promise<number> {
  return (await invocationAction(admin, invocationId, how, options)).status;
}

/**
 * PATCH /invocations/{id}/{action} on the admin API: kill, cancel, purge, resume or
 * restart-as-new. Returns the status and, for restart-as-new, the new invocation's id (1.7.12
 * answers {"new_invocation_id": ...}).
 */
export async function invocationAction(
  admin: string,
  invocationId: string,
  action: "kill" | "cancel" | "purge" | "resume" | "restart-as-new",
  options: AdminOptions = {},
): Promise<{ status: number; newInvocationId?: string }> {
  if (!/^inv_[A-Za-z0-9]+$/.test(invocationId)) throw new Error(`Not an invocation id: ${invocationId.slice(0, 60)}`);
  const url = `${admin}/invocations/${invocationId}/${action}`;
  const res = await fetch(url, { method: "PATCH", headers: authHeaders(options.credential, url), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let newInvocationId: unknown;
  try {
    newInvocationId = (JSON.parse(text) as { new_invocation_id?: unknown }).new_invocation_id;
  } catch {
    // kill, cancel, purge and resume answer with an empty body
  }
  return { status: res.status, ...(typeof newInvocationId === "string" ? { newInvocationId } : {}) };
}
