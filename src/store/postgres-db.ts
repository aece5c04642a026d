/** The PostgreSQL driver of the SQL layer (pg, a connection pool). */
import pg from "pg";
import type { Db, Queryable, Row, SqlValue } from "./db.js";

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    dialect: "postgres",
    async query<R extends Row = Row>(sql: string, params: SqlValue[] = []) {
      return (await client.query(sql, params)).rows as R[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

export function openPostgresDb(url: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 5 });
  // An idle client that loses its connection (server restart) must not crash the process.
  pool.on("error", () => {});
  const q = wrap(pool);
  return {
    ...q,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn(wrap(client));
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
