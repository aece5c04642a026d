/** The embedded store: SQLite (better-sqlite3) in one file at STORE_PATH (default data/assistant.db). */
import { openSqliteDb } from "./sqlite-db.js";
import { SqlStore } from "./sql-store.js";
import type { Store } from "./types.js";
import { AssistantError } from "../errors.js";

export async function openSqliteStore(path: string, options: { newId?: () => string } = {}): Promise<Store> {
  let db: ReturnType<typeof openSqliteDb>;
  try {
    db = openSqliteDb(path);
  } catch (err) {
    throw new AssistantError(
      `Cannot open the store at ${path} (${(err as Error).message}); set STORE_PATH to a writable file.`,
      { cause: err },
    );
  }
  return SqlStore.open(db, options);
}
