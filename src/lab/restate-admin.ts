// The few calls the lab makes to Restate's admin API.
import { authHeaders, type RestateCredential } from "./origins.js";

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

export async function query<Row>(admin: string, sql: string, options: AdminOptions = {}): Promise<Row[]> {
  const url = `${admin}/query`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...authHeaders(options.credential, url) },
    body: JSON.stringify({ query: sql }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Restate query failed (${res.status}): ${text}`);
  return (JSON.parse(text) as { rows: Row[] }).rows;
}
