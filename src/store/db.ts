/**
 * The SQL layer under the store: one small `Db` interface (query, exec, transaction) with a
 * driver for SQLite (better-sqlite3) and one for PostgreSQL (pg). Statements are written once
 * with PostgreSQL's `$1` placeholders; the SQLite driver rewrites them to `?`. Values bound are
 * strings, numbers or null only (the one set both drivers treat alike).
 */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface Queryable {
  readonly dialect: "sqlite" | "postgres";
  query<R extends Row = Row>(sql: string, params?: SqlValue[]): Promise<R[]>;
  /** Run statements without results (DDL, several separated by `;`). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /**
   * Run `fn` in one transaction (committed when it resolves, rolled back when it throws). On
   * SQLite it is a write transaction (BEGIN IMMEDIATE) and store calls in the same process wait
   * for it; keep `fn` to database work.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
