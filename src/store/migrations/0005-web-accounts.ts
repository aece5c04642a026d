/**
 * Web workspace sign-in: accounts (scrypt password hashes, role) and sessions (only the SHA-256 of
 * the cookie's session id is kept). Removing an account removes its sessions.
 */
import type { Migration } from "../migrate.js";

const sql = `
CREATE TABLE web_accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES web_accounts (name) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
`;

const migration: Migration = { sql };
export default migration;
