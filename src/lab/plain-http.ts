// The supervisor's few HTTP calls (health checks, registering the service) over node:http
// instead of fetch. fetch loads undici on first use: about 0.3 s of CPU at every start, while
// restate-server needs the machine's cores, and some 10 MB the supervisor then keeps for as long
// as the lab runs. node:https is loaded only for an https URL (an existing Restate elsewhere).
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import { authHeaders, type RestateCredential } from "./origins.js";

export interface PlainResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface PlainRequest {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
  timeoutMs: number;
}

/** One request; rejects on a network error or when no full answer came within timeoutMs. */
export function plainRequest(url: string, options: PlainRequest): Promise<PlainResponse> {
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:") return Promise.reject(new Error(`not an http(s) URL: ${url}`));
  // require, not import(): the ESM face of a built-in reads every export, and node:http's include
  // fetch's WebSocket, which would load undici after all.
  const request = target.protocol === "https:" ? (createRequire(import.meta.url)("node:https") as typeof import("node:https")).request : httpRequest;
  const body = options.body === undefined ? undefined : Buffer.from(options.body, "utf8");
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? "GET",
        headers: { ...options.headers, ...(body ? { "content-length": body.length } : {}) },
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    // The socket timeout covers a silent server; the overall one a server that trickles.
    const overall = setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs} ms`)));
    req.on("close", () => clearTimeout(overall));
    req.on("error", reject);
    req.end(body);
  });
}

/** The URL answers 2xx (restate-admin.ts isHealthy, without fetch). */
export async function isHealthyPlain(url: string, credential?: RestateCredential): Promise<boolean> {
  try {
    const res = await plainRequest(url, { headers: authHeaders(credential, url), timeoutMs: 2000 });
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}

/** Both Restate's admin API and its ingress answer their health checks (restate-server.ts isRestateHealthy, without fetch). */
export async function isRestateHealthyPlain(urls: { ingress: string; admin: string }, credential?: RestateCredential): Promise<boolean> {
  return (await isHealthyPlain(`${urls.admin}/health`, credential)) && (await isHealthyPlain(`${urls.ingress}/restate/health`, credential));
}

/** restate-admin.ts registerDeployment, without fetch: registers (force) and returns the deployment id. */
export async function registerDeploymentPlain(admin: string, uri: string, credential?: RestateCredential): Promise<string> {
  // force: the learner edits the service between runs; a local lab should take the new version.
  const url = `${admin}/deployments`;
  const res = await plainRequest(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(credential, url) },
    body: JSON.stringify({ uri, force: true }),
    timeoutMs: 30_000,
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`Restate refused to register ${uri} (${res.status}): ${res.text}`);
  return (JSON.parse(res.text) as { id: string }).id;
}
