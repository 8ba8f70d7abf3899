// The few calls the lab makes to Restate's admin API.
export interface AdminOptions {
  /** Extra headers, e.g. an Authorization header for a hosted Restate. */
  headers?: Record<string, string>;
}

export async function isHealthy(url: string, options: AdminOptions = {}): Promise<boolean> {
  try {
    const res = await fetch(url, { headers: options.headers, signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export async function registerDeployment(admin: string, uri: string, options: AdminOptions = {}): Promise<string> {
  // force: the learner edits the service between runs; a local lab should take the new version.
  const res = await fetch(`${admin}/deployments`, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify({ uri, force: true }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Restate refused to register ${uri} (${res.status}): ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

export async function query<Row>(admin: string, sql: string, options: AdminOptions = {}): Promise<Row[]> {
  const res = await fetch(`${admin}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...options.headers },
    body: JSON.stringify({ query: sql }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Restate query failed (${res.status}): ${text}`);
  return (JSON.parse(text) as { rows: Row[] }).rows;
}
