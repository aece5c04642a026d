/** The shared store: PostgreSQL (pg) at DATABASE_URL, for several bot and web processes on one deployment. */
import { openPostgresDb } from "./postgres-db.js";
import { SqlStore } from "./sql-store.js";
import type { Store } from "./types.js";
import { AssistantError } from "../errors.js";

/** The URL without its password, for messages. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

export async function openPostgresStore(
  url: string,
  options: { newId?: () => string; maxConnections?: number } = {},
): Promise<Store> {
  const db = openPostgresDb(url, { max: options.maxConnections });
  try {
    return await SqlStore.open(db, options);
  } catch (err) {
    if (err instanceof AssistantError) throw err;
    throw new AssistantError(
      `Cannot use the PostgreSQL database at ${redactUrl(url)} (${(err as Error).message}); check DATABASE_URL and that the server is running.`,
      { cause: err },
    );
  }
}
