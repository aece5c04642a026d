/** The SQLite driver of the SQL layer (better-sqlite3, synchronous, one connection per process). */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { Db, Queryable, Row, SqlValue } from "./db.js";

/** `$1`-style placeholders to `?`, with the parameters reordered to match. */
export function toSqlite(sql: string, params: SqlValue[]): { sql: string; params: SqlValue[] } {
  const ordered: SqlValue[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1] ?? null);
    return "?";
  });
  return { sql: text, params: ordered };
}

const chains = new Map<string | symbol, Promise<unknown>>();

export function openSqliteDb(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  db.pragma("foreign_keys = ON");
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      if (cache.size > 200) cache.clear();
      cache.set(sql, st);
    }
    return st;
  };
  const q: Queryable = {
    dialect: "sqlite",
    async query<R extends Row = Row>(sql: string, params: SqlValue[] = []) {
      const s = toSqlite(sql, params);
      const st = prepare(s.sql);
      if (st.reader) return st.all(...s.params) as R[];
      st.run(...s.params);
      return [] as R[];
    },
    async exec(sql: string) {
      db.exec(sql);
    },
  };
  // Calls made while a transaction runs wait for it (a promise chain), so no statement of another
  // caller lands inside it. The chain is per database file and process-wide: a second connection to
  // the same file in this process (a test's "second process") would otherwise block the thread on
  // the write lock (busy_timeout spins synchronously) while the first waits for a microtask.
  const key = path === ":memory:" ? Symbol("memory") : resolve(path);
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = (chains.get(key) ?? Promise.resolve()).then(fn);
    chains.set(
      key,
      run.catch(() => {}),
    );
    return run;
  };
  return {
    dialect: "sqlite",
    query: (sql, params) => serial(() => q.query(sql, params)),
    exec: (sql) => serial(() => q.exec(sql)),
    transaction: (fn) =>
      serial(async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const out = await fn(q);
          db.exec("COMMIT");
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw err;
        }
      }),
    close: () =>
      serial(async () => {
        db.close();
      }),
  };
}
