/** The store the configuration asks for: PostgreSQL when DATABASE_URL is set, else SQLite at STORE_PATH. */
import type { Store } from "./types.js";

export interface StoreSettings {
  /** SQLite file (default data/assistant.db). */
  path: string;
  /** PostgreSQL connection URL; when set, it wins. */
  databaseUrl?: string;
}

export async function openStore(settings: StoreSettings): Promise<Store> {
  if (settings.databaseUrl) return (await import("./postgres-store.js")).openPostgresStore(settings.databaseUrl);
  return (await import("./sqlite-store.js")).openSqliteStore(settings.path);
}
