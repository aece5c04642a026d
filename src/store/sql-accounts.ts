/** The AccountStore (web sign-in) over the SQL layer, the same on SQLite and PostgreSQL. */
import type { Account, AccountStore, Role, StoredAccount, WebSession } from "./accounts.js";
import type { Queryable, Row } from "./db.js";
import { AssistantError } from "../errors.js";

const accountFrom = (r: Row): StoredAccount => ({
  name: String(r.name),
  role: (r.role === "admin" ? "admin" : "user") as Role,
  passwordHash: String(r.password_hash),
  createdAt: String(r.created_at),
});

const sessionFrom = (r: Row): WebSession => ({
  idHash: String(r.id_hash),
  user: String(r.user_name),
  createdAt: String(r.created_at),
  expiresAt: String(r.expires_at),
});

export function sqlAccounts(db: Queryable): AccountStore {
  return {
    async addAccount(a) {
      const exists = await db.query("SELECT 1 FROM web_accounts WHERE name = $1", [a.name]);
      if (exists.length)
        throw new AssistantError(`A user named ${a.name} already exists; remove it first or choose another name.`);
      await db.query("INSERT INTO web_accounts (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)", [
        a.name,
        a.role,
        a.passwordHash,
        a.createdAt,
      ]);
    },
    async getAccount(name) {
      const rows = await db.query("SELECT name, role, password_hash, created_at FROM web_accounts WHERE name = $1", [
        name,
      ]);
      return rows.length ? accountFrom(rows[0]!) : null;
    },
    async listAccounts(): Promise<Account[]> {
      const rows = await db.query("SELECT name, role, password_hash, created_at FROM web_accounts ORDER BY name");
      return rows.map(accountFrom).map(({ name, role, createdAt }) => ({ name, role, createdAt }));
    },
    async removeAccount(name) {
      await db.query("DELETE FROM web_sessions WHERE user_name = $1", [name]);
      const rows = await db.query("DELETE FROM web_accounts WHERE name = $1 RETURNING name", [name]);
      return rows.length > 0;
    },
    async saveSession(s) {
      await db.query("INSERT INTO web_sessions (id_hash, user_name, created_at, expires_at) VALUES ($1, $2, $3, $4)", [
        s.idHash,
        s.user,
        s.createdAt,
        s.expiresAt,
      ]);
    },
    async getSession(idHash) {
      const rows = await db.query(
        "SELECT id_hash, user_name, created_at, expires_at FROM web_sessions WHERE id_hash = $1",
        [idHash],
      );
      return rows.length ? sessionFrom(rows[0]!) : null;
    },
    async deleteSession(idHash) {
      await db.query("DELETE FROM web_sessions WHERE id_hash = $1", [idHash]);
    },
    async deleteExpiredSessions(now) {
      await db.query("DELETE FROM web_sessions WHERE expires_at < $1", [now]);
    },
  };
}
