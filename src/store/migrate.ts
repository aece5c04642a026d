/**
 * Versioned migrations. Each migration is ONE file in ./migrations/ named `NNNN-what.ts` (or .js
 * once built) whose default export is a `Migration`: the SQL for both databases (`sql`), or a
 * statement set per dialect where they differ. Adding a table (say `users`/`sessions` for the web
 * workspace) is adding the next-numbered file; nothing else lists them. Applied versions are kept
 * in `schema_migrations`; each migration runs in its own transaction, and concurrent starters
 * wait for each other (PostgreSQL: an advisory lock; SQLite: the write lock).
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Db } from "./db.js";
import { AssistantError } from "../errors.js";

export interface Migration {
  /** SQL for both dialects (statements separated by `;`). */
  sql?: string;
  /** Dialect-specific SQL (takes precedence over `sql`). */
  sqlite?: string;
  postgres?: string;
}

export interface LoadedMigration extends Migration {
  version: number;
  name: string;
}

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const FILE = /^(\d{4})-([a-z0-9-]+)\.(?:ts|js)$/;

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<LoadedMigration[]> {
  const files = (await readdir(fileURLToPath(dir))).filter((f) => FILE.test(f) && !f.endsWith(".d.ts")).sort();
  const out: LoadedMigration[] = [];
  for (const f of files) {
    const [, v, name] = FILE.exec(f)!;
    const mod = (await import(pathToFileURL(fileURLToPath(new URL(f, dir))).href)) as { default: Migration };
    out.push({ ...mod.default, version: Number(v), name: name! });
  }
  const versions = out.map((m) => m.version);
  if (new Set(versions).size !== versions.length)
    throw new AssistantError(`Two migrations share a version number in ${fileURLToPath(dir)}; renumber one.`);
  return out;
}

/** Apply every migration not yet applied; returns the versions applied now. */
export async function migrate(db: Db, migrations?: LoadedMigration[]): Promise<number[]> {
  const list = migrations ?? (await loadMigrations());
  await db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const applied: number[] = [];
  for (const m of list) {
    const sql = (db.dialect === "sqlite" ? m.sqlite : m.postgres) ?? m.sql;
    if (!sql) throw new AssistantError(`Migration ${m.version}-${m.name} has no SQL for ${db.dialect}.`);
    const ran = await db.transaction(async (tx) => {
      if (tx.dialect === "postgres") await tx.query("SELECT pg_advisory_xact_lock(7215001)");
      const done = await tx.query("SELECT version FROM schema_migrations WHERE version = $1", [m.version]);
      if (done.length) return false;
      await tx.exec(sql);
      await tx.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}
