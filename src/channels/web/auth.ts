/**
 * Sign-in for the web workspace: session cookies from the account store, or a user name set by
 * the bureau's SSO reverse proxy; CSRF protection; a rate limit on failed sign-ins.
 *
 * CSRF: the session cookie is HttpOnly and SameSite=Strict, and every state-changing request from a
 * browser must be same-origin by the Fetch-Metadata / Origin headers browsers always send on a
 * cross-site request (OWASP "verifying origin with standard headers"); JSON endpoints also require
 * `Content-Type: application/json`, which a cross-site form cannot send. Scripts (curl, the eval)
 * send neither header and hold their own cookie, so the contract's plain JSON API keeps working.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { getConnInfo } from "@hono/node-server/conninfo";
import { hashSessionId, newSessionId, verifyPassword, type AccountStore, type Role } from "../../store/accounts.js";

export const SESSION_COOKIE = "pa_session";

export interface WebUser {
  name: string;
  role: Role;
  via: "session" | "proxy";
}

export interface AuthOptions {
  accounts: AccountStore;
  sessionTtlMs: number;
  /** Secure cookies (behind https). */
  secureCookies: boolean;
  /** Header carrying the signed-in user's name from the SSO proxy, honoured only from trustedProxies. */
  trustedUserHeader?: string;
  trustedProxies: string[];
  /**
   * Failed sign-ins allowed per user name within the window; a client address gets ten times as many
   * (a whole office often reaches the workspace through one proxy address).
   */
  loginAttempts: number;
  loginWindowMs: number;
  now: () => Date;
}

export type AuthEnv = { Variables: { user: WebUser } };

/** Remote address of the connection (not a forwarded header: those are only trusted from the proxy list). */
export function remoteAddress(c: Context): string {
  try {
    return normalizeAddress(getConnInfo(c).remote.address ?? "");
  } catch {
    return "";
  }
}

function normalizeAddress(a: string): string {
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}

export function createAuth(o: AuthOptions) {
  const failures = new Map<string, number[]>();
  const trusted = new Set(o.trustedProxies.map(normalizeAddress));

  const recentFailures = (key: string, at: number) => (failures.get(key) ?? []).filter((t) => at - t < o.loginWindowMs);

  /** Seconds until another attempt is allowed for this name or address, or 0. */
  function retryAfter(keys: string[]): number {
    const at = o.now().getTime();
    let wait = 0;
    for (const k of keys) {
      const recent = recentFailures(k, at);
      failures.set(k, recent);
      const limit = k.startsWith("a:") ? o.loginAttempts * 10 : o.loginAttempts;
      if (recent.length >= limit) wait = Math.max(wait, Math.ceil((recent[0]! + o.loginWindowMs - at) / 1000));
    }
    return wait;
  }

  function recordFailure(keys: string[]) {
    const at = o.now().getTime();
    for (const k of keys) failures.set(k, [...recentFailures(k, at), at]);
    if (failures.size > 10_000)
      for (const [k, v] of failures) if (!v.some((t) => at - t < o.loginWindowMs)) failures.delete(k);
  }

  async function signIn(
    c: Context,
    username: string,
    password: string,
  ): Promise<{ ok: true; user: WebUser } | { ok: false; status: 401 | 429; retryAfter?: number }> {
    const keys = [`u:${username}`, `a:${remoteAddress(c)}`];
    const wait = retryAfter(keys);
    if (wait > 0) return { ok: false, status: 429, retryAfter: wait };
    const account = await o.accounts.getAccount(username);
    // verify even for an unknown user, so timing does not tell which names exist
    const good = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !good) {
      recordFailure(keys);
      return { ok: false, status: 401 };
    }
    const id = newSessionId();
    const now = o.now();
    await o.accounts.saveSession({
      idHash: hashSessionId(id),
      user: account.name,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + o.sessionTtlMs).toISOString(),
    });
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      secure: o.secureCookies,
      path: "/",
      maxAge: Math.floor(o.sessionTtlMs / 1000),
    });
    return { ok: true, user: { name: account.name, role: account.role, via: "session" } };
  }

  async function signOut(c: Context): Promise<void> {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await o.accounts.deleteSession(hashSessionId(id));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
  }

  /** The signed-in user of a request, or null. */
  async function userOf(c: Context): Promise<WebUser | null> {
    if (o.trustedUserHeader) {
      const name = c.req.header(o.trustedUserHeader)?.trim();
      if (name && trusted.has(remoteAddress(c))) {
        const account = await o.accounts.getAccount(name);
        return { name, role: account?.role ?? "user", via: "proxy" };
      }
    }
    const id = getCookie(c, SESSION_COOKIE);
    if (!id) return null;
    const session = await o.accounts.getSession(hashSessionId(id));
    if (!session) return null;
    if (session.expiresAt < o.now().toISOString()) {
      await o.accounts.deleteSession(session.idHash);
      return null;
    }
    const account = await o.accounts.getAccount(session.user);
    if (!account) return null;
    return { name: account.name, role: account.role, via: "session" };
  }

  return { signIn, signOut, userOf };
}

export type Auth = ReturnType<typeof createAuth>;

// A valid hash of a random password, verified against when the user name is unknown.
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Rejects cross-site state-changing requests (see the file comment). `allowedOrigins` are extra
 * origins the reverse proxy serves the workspace under (the request's own Host is always allowed).
 */
export function csrfGuard(allowedOrigins: string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") return c.json({ error: "cross-site request refused" }, 403);
    const origin = c.req.header("origin");
    if (origin && origin !== "null") {
      const host = c.req.header("host");
      let ok = allowedOrigins.includes(origin);
      try {
        if (!ok && host && new URL(origin).host === host) ok = true;
      } catch {
        ok = false;
      }
      if (!ok) return c.json({ error: "cross-origin request refused" }, 403);
    } else if (origin === "null") return c.json({ error: "cross-origin request refused" }, 403);
    const type = c.req.header("content-type") ?? "";
    const hasBody =
      Number(c.req.header("content-length") ?? "0") > 0 || c.req.header("transfer-encoding") !== undefined;
    if (
      hasBody &&
      c.req.path.startsWith("/api/") &&
      !/^application\/json\b/i.test(type) &&
      !/^multipart\/form-data\b/i.test(type)
    )
      return c.json({ error: "send JSON (Content-Type: application/json)" }, 415);
    return next();
  };
}
