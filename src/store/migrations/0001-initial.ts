/**
 * The first schema: tasks (督办), their events, reminders (unique per task and day), conversation
 * turns, the refusal record, pending add-to-corpus files, the audit log. Times are ISO-8601 UTC
 * text and dates YYYY-MM-DD text on both databases, so comparisons and ordering agree.
 */
import type { Migration } from "../migrate.js";

const common = `
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  action TEXT NOT NULL,
  due TEXT NOT NULL,
  original_due TEXT,
  recurrence TEXT,
  series_id TEXT,
  notice_title TEXT NOT NULL,
  notice_path TEXT,
  notice_ref TEXT,
  source_text TEXT NOT NULL,
  chat TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  level_history TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  closed_at TEXT
);
CREATE INDEX tasks_status_due ON tasks (status, due);
CREATE INDEX tasks_chat ON tasks (chat);
CREATE INDEX tasks_series ON tasks (series_id);
CREATE UNIQUE INDEX tasks_series_due ON tasks (series_id, due);

CREATE TABLE reminders (
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  level TEXT NOT NULL,
  chat TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  sent_at TEXT,
  PRIMARY KEY (task_id, day)
);
CREATE INDEX reminders_day ON reminders (day, sent_at);

CREATE TABLE turns (
  chat_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  turn TEXT NOT NULL,
  answer TEXT,
  PRIMARY KEY (chat_id, seq)
);

CREATE TABLE refusals (
  user_id TEXT PRIMARY KEY,
  chat_id TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE pending_files (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  chat_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  path TEXT NOT NULL,
  filename TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

/** The tables whose ids the database generates: only the id column is written differently. */
const generatedIds = (id: string) => `
CREATE TABLE task_events (
  id ${id},
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT
);
CREATE INDEX task_events_task ON task_events (task_id);
CREATE TABLE audit_log (
  id ${id},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  chat TEXT,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
`;

const migration: Migration = {
  sqlite: `${common}${generatedIds("INTEGER PRIMARY KEY AUTOINCREMENT")}`,
  postgres: `${common}${generatedIds("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")}`,
};
export default migration;
