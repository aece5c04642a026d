/**
 * The store: everything the assistant keeps across restarts and shares between processes
 * (tasks and their events, reminders sent, conversation turns, the refusal record, pending
 * add-to-corpus files, the audit log). One interface, two implementations over one SQL layer:
 * SQLite (embedded default, STORE_PATH) and PostgreSQL (DATABASE_URL). See ./sql-store.ts.
 */

import type { AccountStore } from "./accounts.js";

export type TaskStatus = "open" | "done";
/** Reminder levels of the CLI contract; colours as OA 督办 shows them: see src/assistant/tasks/levels.ts. */
export type ReminderLevel = "upcoming" | "today" | "overdue";
/** 督办 steps recorded as task events. */
export type TaskEventKind = "交办" | "签收" | "延期" | "办结" | "催办";

export interface LevelChange {
  level: ReminderLevel;
  /** The day (YYYY-MM-DD) the task reached the level. */
  on: string;
}

export interface NewTask {
  owner: string;
  action: string;
  /** YYYY-MM-DD or YYYY-MM-DDTHH:mm (Beijing / TIMEZONE wall time). */
  due: string;
  /** RFC 5545 RRULE without the "RRULE:" prefix, for a recurring duty; null otherwise. */
  recurrence: string | null;
  /** For an occurrence of a recurring duty: the id of its first occurrence (the series); else null. */
  seriesId: string | null;
  noticeTitle: string;
  noticePath: string | null;
  /** The notice's issue date (extract's ref). */
  noticeRef: string | null;
  /** The sentence the action came from. */
  sourceText: string;
  /** Namespaced chat id ("telegram:123"), or null (CLI without --chat). */
  chat: string | null;
}

export interface TaskRecord extends NewTask {
  id: string;
  status: TaskStatus;
  createdAt: string;
  closedAt: string | null;
  /** The due date before the first extension, null when never extended. */
  originalDue: string | null;
  levelHistory: LevelChange[];
}

export interface TaskEvent {
  taskId: string;
  kind: TaskEventKind;
  actor: string;
  at: string;
  note: string | null;
}

export interface TaskFilter {
  chat?: string | null;
  status?: TaskStatus | "all";
  seriesId?: string;
}

/** One reminder of one task on one day; (taskId, day) is unique: exactly once per task and day. */
export interface ReminderRecord {
  taskId: string;
  day: string;
  level: ReminderLevel;
  chat: string | null;
  /** Set once delivered. */
  sentAt: string | null;
}

export interface StoredTurn {
  chatId: string;
  at: string;
  /** The turn as the answerer's history wants it (JSON-serialisable). */
  turn: unknown;
  /** The full answer (for /sources), JSON-serialisable. */
  answer: unknown;
}

export interface PendingFile {
  id: string;
  chatId: string;
  userId: string;
  /** Where the store's copy of the file lives. */
  path: string;
  filename: string;
  createdAt: string;
}

export interface LastExtract {
  at: string;
  notice: { title: string; path: string | null };
  /** The extract result (JSON-serialisable). */
  extract: unknown;
}

export interface AuditEntry {
  at: string;
  /** Who: a namespaced user id ("telegram:42"), "cli", "scheduler". */
  actor: string;
  chat: string | null;
  /** ask, search, extract, draft, corpus.add, corpus.remove, reindex, task.add, task.done, task.extend, task.remind… */
  action: string;
  /** The question or command text, when there is one. */
  subject: string | null;
  /** Details (cited sources, task ids, files), JSON-serialisable. */
  detail: Record<string, unknown> | null;
}

export interface Store {
  /** "sqlite" or "postgres". */
  readonly kind: "sqlite" | "postgres";

  /** Web workspace accounts and sessions (./accounts.ts). */
  readonly accounts: AccountStore;

  // --- tasks ---
  /** Insert tasks and a 交办 event for each, in one transaction; returns them with their ids. */
  addTasks(tasks: NewTask[], actor: string, at: string): Promise<TaskRecord[]>;
  getTask(id: string): Promise<TaskRecord | null>;
  /** Tasks ordered by due, then id. */
  listTasks(filter?: TaskFilter): Promise<TaskRecord[]>;
  /** Close a task (办结), with its event. Returns the task, or null when there is no such task. */
  closeTask(id: string, actor: string, at: string, note: string | null): Promise<TaskRecord | null>;
  /** Move the due date (延期), with its event (the reason as the note). */
  extendTask(id: string, due: string, actor: string, at: string, reason: string): Promise<TaskRecord | null>;
  /** Append an event (签收, 催办). */
  addTaskEvent(event: TaskEvent): Promise<void>;
  taskEvents(taskId: string): Promise<TaskEvent[]>;
  /** Record a level the task reached (no-op when it is already its last level). */
  recordLevel(taskId: string, change: LevelChange): Promise<void>;

  // --- reminders (exactly once per task and day) ---
  /** Plan reminders; one that already exists for (taskId, day) is left as it is. */
  planReminders(reminders: Omit<ReminderRecord, "sentAt">[]): Promise<void>;
  /**
   * Lease up to `limit` undelivered reminders of `day` for `owner` until `leaseUntil` (ISO time):
   * only those not sent and not under another live lease. PostgreSQL: SELECT … FOR UPDATE SKIP
   * LOCKED; SQLite: one write transaction. Two processes never get the same reminder.
   */
  leaseReminders(
    day: string,
    owner: string,
    now: string,
    leaseUntil: string,
    limit?: number,
  ): Promise<ReminderRecord[]>;
  /** Mark a leased reminder delivered (only while `owner` holds its lease); false when it did not. */
  markReminderSent(taskId: string, day: string, owner: string, at: string): Promise<boolean>;
  /** Give a lease back (delivery failed: another tick or process may try again). */
  releaseReminder(taskId: string, day: string, owner: string): Promise<void>;
  reminders(filter?: { taskId?: string; day?: string }): Promise<ReminderRecord[]>;

  // --- conversation turns ---
  /** Append a turn and keep only the chat's last `keep` turns. */
  appendTurn(turn: StoredTurn, keep: number): Promise<void>;
  /** The chat's last `limit` turns, oldest first. */
  recentTurns(chatId: string, limit: number): Promise<StoredTurn[]>;
  clearTurns(chatId: string): Promise<void>;

  // --- the refusal record (who was told they have no access) ---
  /** Record a refusal; true when this user had not been refused before. */
  recordRefusal(userId: string, chatId: string, at: string): Promise<boolean>;

  // --- pending add-to-corpus files ---
  putPendingFile(file: PendingFile, keep: number): Promise<PendingFile[]>;
  takePendingFile(id: string): Promise<PendingFile | null>;
  pendingFiles(): Promise<PendingFile[]>;

  // --- the last extract of each chat (for /track) ---
  /** Remember the notice last extracted in a chat (replaces the previous one). */
  setLastExtract(chatId: string, value: LastExtract): Promise<void>;
  lastExtract(chatId: string): Promise<LastExtract | null>;

  // --- audit log ---
  audit(entry: AuditEntry): Promise<void>;
  /** Entries at or after `since` (ISO date or time), oldest first. */
  auditLog(options?: { since?: string; limit?: number }): Promise<AuditEntry[]>;

  close(): Promise<void>;
}
