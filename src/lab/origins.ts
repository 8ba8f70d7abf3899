// Which addresses the lab talks to, and what it sends them. A lab's own servers listen on
// 127.0.0.1 only; a Restate that runs elsewhere is the user's choice, and a token for it goes
// only to the origins the user entered it for, over https unless on this machine.

/** A credential for a Restate that runs elsewhere, bound to where it may be sent. */
export interface RestateCredential {
  /** The Authorization header's value, e.g. "Bearer <token>". */
  authorization: string;
  /** Origins (scheme://host:port) the user entered it for. */
  origins: string[];
}

/** A Restate that runs elsewhere (a cluster, Restate Cloud), used instead of the lab's own restate-server. */
export interface ExistingRestate {
  ingress: string;
  admin: string;
  /** A token for it, sent only to the origins it was entered for; never put in a child's environment. */
  credential?: RestateCredential;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `http://127.0.0.1:<port>`, the only form of address a local lab's state may name. */
export function isLocalLabUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === "http:" &&
      u.hostname === "127.0.0.1" &&
      u.port !== "" &&
      (u.pathname === "/" || u.pathname === "") &&
      !u.search &&
      !u.hash &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

/** The URL's origin, or null when it is not an http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** A token may travel to this URL at all: https, or plain http on this machine. */
export function mayCarryToken(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname));
  } catch {
    return false;
  }
}

/** The Authorization header for `url`: only when it goes to an origin the credential was entered for. */
export function authHeaders(credential: RestateCredential | undefined, url: string): Record<string, string> {
  if (!credential || !mayCarryToken(url)) return {};
  const origin = originOf(url);
  return origin !== null && credential.origins.includes(origin) ? { authorization: credential.authorization } : {};
}

/** "Bearer <token>" from what a user typed (a bare token, or a whole header value). */
export function authorizationValue(typed: string): string {
  const value = typed.trim();
  return /^(bearer|basic)\s+\S/i.test(value) ? value : `Bearer ${value}`;
}

/** Where the CLI takes a token for an existing Restate from (never a flag: flags show in `ps`). */
export const RESTATE_TOKEN_ENV = "IDEMPOTENCY_LAB_RESTATE_TOKEN";

/** The environment for a child process: this one's, without the token a child must never see. */
export function childEnvironment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env[RESTATE_TOKEN_ENV];
  return env;
}
