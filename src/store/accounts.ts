/**
 * Web sign-in accounts and sessions as the store keeps them, and password hashing (used by the web
 * workspace and the `users` command).
 *
 * Passwords are hashed with scrypt from node:crypto (a memory-hard KDF, no native add-on to build);
 * the stored form is `scrypt$N$r$p$salt$hash` (base64) so parameters can be raised later without
 * invalidating existing hashes. Session ids are 32 random bytes; only their SHA-256 is stored, so a
 * leaked database does not hand out live sessions.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";

export type Role = "admin" | "user";
export const ROLES: readonly Role[] = ["admin", "user"];

export interface Account {
  name: string;
  role: Role;
  /** ISO timestamp. */
  createdAt: string;
}

export interface StoredAccount extends Account {
  passwordHash: string;
}

export interface WebSession {
  /** SHA-256 (hex) of the session id held in the cookie. */
  idHash: string;
  user: string;
  /** ISO timestamps. */
  createdAt: string;
  expiresAt: string;
}

/** What the web workspace needs from the store (implemented by the SQLite and PostgreSQL stores). */
export interface AccountStore {
  addAccount(account: StoredAccount): Promise<void>;
  getAccount(name: string): Promise<StoredAccount | null>;
  listAccounts(): Promise<Account[]>;
  /** true when an account was removed (its sessions go with it). */
  removeAccount(name: string): Promise<boolean>;
  saveSession(session: WebSession): Promise<void>;
  getSession(idHash: string): Promise<WebSession | null>;
  deleteSession(idHash: string): Promise<void>;
  /** Drop sessions that expired before `now` (ISO). */
  deleteExpiredSessions(now: string): Promise<void>;
}

const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFC"), salt, KEY_LEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const key = await scrypt(password, salt, n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Account names: letters, digits, . _ - @ and CJK, 1–64 characters (they appear in logs and the audit). */
export function validateAccountName(name: string): string | null {
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(name)) return "a user name is 1–64 letters, digits, . _ - or @ (no spaces)";
  return null;
}

export function validatePassword(password: string): string | null {
  if (password.length < 8) return "the password must have at least 8 characters";
  if (password.length > 1024) return "the password is too long (at most 1024 characters)";
  return null;
}

/** An in-memory AccountStore (tests, and a web workspace started without a database). */
export function createMemoryAccountStore(): AccountStore {
  const accounts = new Map<string, StoredAccount>();
  const sessions = new Map<string, WebSession>();
  return {
    async addAccount(a) {
      if (accounts.has(a.name)) throw new Error(`user ${a.name} already exists`);
      accounts.set(a.name, { ...a });
    },
    async getAccount(name) {
      const a = accounts.get(name);
      return a ? { ...a } : null;
    },
    async listAccounts() {
      return [...accounts.values()]
        .map(({ name, role, createdAt }) => ({ name, role, createdAt }))
        .sort((x, y) => x.name.localeCompare(y.name));
    },
    async removeAccount(name) {
      for (const [k, s] of sessions) if (s.user === name) sessions.delete(k);
      return accounts.delete(name);
    },
    async saveSession(s) {
      sessions.set(s.idHash, { ...s });
    },
    async getSession(idHash) {
      const s = sessions.get(idHash);
      return s ? { ...s } : null;
    },
    async deleteSession(idHash) {
      sessions.delete(idHash);
    },
    async deleteExpiredSessions(now) {
      for (const [k, s] of sessions) if (s.expiresAt < now) sessions.delete(k);
    },
  };
}
