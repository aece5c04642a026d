/** The last notice extracted in each chat, so that /track and 立项督办 work after a restart too. */
import type { Migration } from "../migrate.js";

const migration: Migration = {
  sql: `
CREATE TABLE last_extracts (
  chat_id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  notice_title TEXT NOT NULL,
  notice_path TEXT,
  extract TEXT NOT NULL
);
`,
};
export default migration;
