/**
 * The store's logic, written once over the SQL layer (./db.ts); the SQLite and PostgreSQL stores
 * differ only in their driver and in how a reminder lease is taken (see leaseReminders).
 */
import { randomBytes } from "node:crypto";
import type { Db, Queryable, Row, SqlValue } from "./db.js";
import { migrate } from "./migrate.js";
import type { AccountStore } from "./accounts.js";
import { sqlAccounts } from "./sql-accounts.js";
import type {
  AuditEntry,
  LastExtract,
  LevelChange,
  NewTask,
  PendingFile,
  ReminderRecord,
  Store,
  StoredTurn,
  TaskEvent,
  TaskFilter,
  TaskRecord,
} from "./types.js";

const TASK_COLUMNS =
  "id, owner, action, due, original_due, recurrence, series_id, notice_title, notice_path, notice_ref, source_text, chat, status, level_history, created_at, closed_at";

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function taskFrom(r: Row): TaskRecord {
  return {
    id: str(r.id),
    owner: str(r.owner),
    action: str(r.action),
    due: str(r.due),
    originalDue: strOrNull(r.original_due),
    recurrence: strOrNull(r.recurrence),
    seriesId: strOrNull(r.series_id),
    noticeTitle: str(r.notice_title),
    noticePath: strOrNull(r.notice_path),
    noticeRef: strOrNull(r.notice_ref),
    sourceText: str(r.source_text),
    chat: strOrNull(r.chat),
    status: r.status === "done" ? "done" : "open",
    levelHistory: JSON.parse(str(r.level_history)) as LevelChange[],
    createdAt: str(r.created_at),
    closedAt: strOrNull(r.closed_at),
  };
}

const reminderFrom = (r: Row): ReminderRecord => ({
  taskId: str(r.task_id),
  day: str(r.day),
  level: str(r.level) as ReminderRecord["level"],
  chat: strOrNull(r.chat),
  sentAt: strOrNull(r.sent_at),
});

const json = (v: unknown): string => JSON.stringify(v ?? null);

/** Short task ids people can type: 8 lower-case hex digits. */
export const newTaskId = (): string => randomBytes(4).toString("hex");

export class SqlStore implements Store {
  readonly kind: "sqlite" | "postgres";
  readonly accounts: AccountStore;

  protected constructor(
    protected readonly db: Db,
    private readonly newId: () => string = newTaskId,
  ) {
    this.kind = db.dialect;
    this.accounts = sqlAccounts(db);
  }

  /** Open over a driver and bring the schema up to date. */
  static async open(db: Db, options: { newId?: () => string } = {}): Promise<SqlStore> {
    try {
      await migrate(db);
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
    return new SqlStore(db, options.newId);
  }

  /** Insert a task and its 交办 event; null when it is an occurrence its series already has (another process added it). */
  private async insertTask(tx: Queryable, t: NewTask, actor: string, at: string): Promise<TaskRecord | null> {
    for (let attempt = 0; ; attempt++) {
      const id = this.newId();
      const exists = await tx.query("SELECT 1 FROM tasks WHERE id = $1", [id]);
      if (exists.length) {
        if (attempt > 20) throw new Error("could not find a free task id");
        continue;
      }
      const values: SqlValue[] = [
        id,
        t.owner,
        t.action,
        t.due,
        t.recurrence,
        t.seriesId,
        t.noticeTitle,
        t.noticePath,
        t.noticeRef,
        t.sourceText,
        t.chat,
        at,
      ];
      const inserted = await tx.query(
        `INSERT INTO tasks (id, owner, action, due, recurrence, series_id, notice_title, notice_path, notice_ref, source_text, chat, status, level_history, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', '[]', $12)
         ON CONFLICT (series_id, due) DO NOTHING RETURNING id`,
        values,
      );
      if (!inserted.length) return null;
      await tx.query("INSERT INTO task_events (task_id, kind, actor, at, note) VALUES ($1, '交办', $2, $3, $4)", [
        id,
        actor,
        at,
        null,
      ]);
      return { ...t, id, status: "open", createdAt: at, closedAt: null, originalDue: null, levelHistory: [] };
    }
  }

  addTasks(tasks: NewTask[], actor: string, at: string): Promise<TaskRecord[]> {
    return this.db.transaction(async (tx) => {
      const out: TaskRecord[] = [];
      for (const t of tasks) {
        // An occurrence of a series on a due date it already has is the same task (idempotent, also
        // when two processes add it at once: the unique (series_id, due) index decides).
        const added = await this.insertTask(tx, t, actor, at);
        if (added) out.push(added);
        else {
          const same = await tx.query(`SELECT ${TASK_COLUMNS} FROM tasks WHERE series_id = $1 AND due = $2`, [
            t.seriesId,
            t.due,
          ]);
          out.push(taskFrom(same[0]!));
        }
      }
      return out;
    });
  }

  async getTask(id: string): Promise<TaskRecord | null> {
    const rows = await this.db.query(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = $1`, [id]);
    return rows.length ? taskFrom(rows[0]!) : null;
  }

  async listTasks(filter: TaskFilter = {}): Promise<TaskRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const status = filter.status ?? "open";
    if (status !== "all") {
      params.push(status);
      where.push(`status = $${params.length}`);
    }
    if (filter.chat !== undefined) {
      if (filter.chat === null) where.push("chat IS NULL");
      else {
        params.push(filter.chat);
        where.push(`chat = $${params.length}`);
      }
    }
    if (filter.seriesId !== undefined) {
      params.push(filter.seriesId);
      where.push(`(series_id = $${params.length} OR id = $${params.length})`);
    }
    const rows = await this.db.query(
      `SELECT ${TASK_COLUMNS} FROM tasks${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY due, id`,
      params,
    );
    return rows.map(taskFrom);
  }

  closeTask(id: string, actor: string, at: string, note: string | null): Promise<TaskRecord | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = $1`, [id]);
      if (!rows.length) return null;
      const task = taskFrom(rows[0]!);
      if (task.status === "done") return task;
      await tx.query("UPDATE tasks SET status = 'done', closed_at = $2 WHERE id = $1", [id, at]);
      await tx.query("INSERT INTO task_events (task_id, kind, actor, at, note) VALUES ($1, '办结', $2, $3, $4)", [
        id,
        actor,
        at,
        note,
      ]);
      return { ...task, status: "done", closedAt: at };
    });
  }

  extendTask(id: string, due: string, actor: string, at: string, reason: string): Promise<TaskRecord | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = $1`, [id]);
      if (!rows.length) return null;
      const task = taskFrom(rows[0]!);
      const originalDue = task.originalDue ?? task.due;
      await tx.query("UPDATE tasks SET due = $2, original_due = $3 WHERE id = $1", [id, due, originalDue]);
      await tx.query("INSERT INTO task_events (task_id, kind, actor, at, note) VALUES ($1, '延期', $2, $3, $4)", [
        id,
        actor,
        at,
        `${task.due} → ${due}：${reason}`,
      ]);
      return { ...task, due, originalDue };
    });
  }

  async addTaskEvent(e: TaskEvent): Promise<void> {
    await this.db.query("INSERT INTO task_events (task_id, kind, actor, at, note) VALUES ($1, $2, $3, $4, $5)", [
      e.taskId,
      e.kind,
      e.actor,
      e.at,
      e.note,
    ]);
  }

  async taskEvents(taskId: string): Promise<TaskEvent[]> {
    const rows = await this.db.query(
      "SELECT task_id, kind, actor, at, note FROM task_events WHERE task_id = $1 ORDER BY id",
      [taskId],
    );
    return rows.map((r) => ({
      taskId: str(r.task_id),
      kind: str(r.kind) as TaskEvent["kind"],
      actor: str(r.actor),
      at: str(r.at),
      note: strOrNull(r.note),
    }));
  }

  recordLevel(taskId: string, change: LevelChange): Promise<void> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `SELECT level_history FROM tasks WHERE id = $1${tx.dialect === "postgres" ? " FOR UPDATE" : ""}`,
        [taskId],
      );
      if (!rows.length) return;
      const history = JSON.parse(str(rows[0]!.level_history)) as LevelChange[];
      if (history.at(-1)?.level === change.level) return;
      history.push(change);
      await tx.query("UPDATE tasks SET level_history = $2 WHERE id = $1", [taskId, JSON.stringify(history)]);
    });
  }

  async planReminders(reminders: Omit<ReminderRecord, "sentAt">[]): Promise<void> {
    if (!reminders.length) return;
    await this.db.transaction(async (tx) => {
      for (const r of reminders)
        await tx.query(
          "INSERT INTO reminders (task_id, day, level, chat) VALUES ($1, $2, $3, $4) ON CONFLICT (task_id, day) DO NOTHING",
          [r.taskId, r.day, r.level, r.chat],
        );
    });
  }

  leaseReminders(day: string, owner: string, now: string, leaseUntil: string, limit = 100): Promise<ReminderRecord[]> {
    return this.db.transaction(async (tx) => {
      // PostgreSQL: rows another process has locked (it is leasing them right now) are skipped,
      // not waited for. SQLite: BEGIN IMMEDIATE already holds the database's write lock.
      const lock = tx.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
      const rows = await tx.query(
        `SELECT task_id, day, level, chat, sent_at FROM reminders
         WHERE day = $1 AND sent_at IS NULL AND (lease_until IS NULL OR lease_until < $2)
         ORDER BY task_id LIMIT $3${lock}`,
        [day, now, limit],
      );
      for (const r of rows)
        await tx.query("UPDATE reminders SET lease_owner = $3, lease_until = $4 WHERE task_id = $1 AND day = $2", [
          str(r.task_id),
          day,
          owner,
          leaseUntil,
        ]);
      return rows.map(reminderFrom);
    });
  }

  markReminderSent(taskId: string, day: string, owner: string, at: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        "SELECT 1 FROM reminders WHERE task_id = $1 AND day = $2 AND lease_owner = $3 AND sent_at IS NULL",
        [taskId, day, owner],
      );
      if (!rows.length) return false;
      await tx.query(
        "UPDATE reminders SET sent_at = $4, lease_until = NULL WHERE task_id = $1 AND day = $2 AND lease_owner = $3",
        [taskId, day, owner, at],
      );
      return true;
    });
  }

  async releaseReminder(taskId: string, day: string, owner: string): Promise<void> {
    await this.db.query(
      "UPDATE reminders SET lease_owner = NULL, lease_until = NULL WHERE task_id = $1 AND day = $2 AND lease_owner = $3 AND sent_at IS NULL",
      [taskId, day, owner],
    );
  }

  async reminders(filter: { taskId?: string; day?: string } = {}): Promise<ReminderRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.taskId !== undefined) {
      params.push(filter.taskId);
      where.push(`task_id = $${params.length}`);
    }
    if (filter.day !== undefined) {
      params.push(filter.day);
      where.push(`day = $${params.length}`);
    }
    const rows = await this.db.query(
      `SELECT task_id, day, level, chat, sent_at FROM reminders${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY day, task_id`,
      params,
    );
    return rows.map(reminderFrom);
  }

  appendTurn(t: StoredTurn, keep: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      // MAX(seq) + 1 is safe under SQLite's write lock; PostgreSQL processes take a per-chat lock.
      if (tx.dialect === "postgres") await tx.query("SELECT pg_advisory_xact_lock(7215002, hashtext($1))", [t.chatId]);
      const last = await tx.query<{ seq: unknown }>("SELECT MAX(seq) AS seq FROM turns WHERE chat_id = $1", [t.chatId]);
      const seq = last[0]?.seq === null || last[0]?.seq === undefined ? 1 : Number(last[0].seq) + 1;
      await tx.query("INSERT INTO turns (chat_id, seq, at, turn, answer) VALUES ($1, $2, $3, $4, $5)", [
        t.chatId,
        seq,
        t.at,
        json(t.turn),
        json(t.answer),
      ]);
      await tx.query("DELETE FROM turns WHERE chat_id = $1 AND seq <= $2", [t.chatId, seq - keep]);
    });
  }

  async recentTurns(chatId: string, limit: number): Promise<StoredTurn[]> {
    const rows = await this.db.query(
      "SELECT chat_id, at, turn, answer FROM turns WHERE chat_id = $1 ORDER BY seq DESC LIMIT $2",
      [chatId, limit],
    );
    return rows.reverse().map((r) => ({
      chatId: str(r.chat_id),
      at: str(r.at),
      turn: JSON.parse(str(r.turn)) as unknown,
      answer: r.answer === null ? null : (JSON.parse(str(r.answer)) as unknown),
    }));
  }

  async clearTurns(chatId: string): Promise<void> {
    await this.db.query("DELETE FROM turns WHERE chat_id = $1", [chatId]);
  }

  async recordRefusal(userId: string, chatId: string, at: string): Promise<boolean> {
    const rows = await this.db.query(
      "INSERT INTO refusals (user_id, chat_id, at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
      [userId, chatId, at],
    );
    return rows.length > 0;
  }

  putPendingFile(f: PendingFile, keep: number): Promise<PendingFile[]> {
    return this.db.transaction(async (tx) => {
      // seq orders the files by arrival (timestamps may tie); PostgreSQL processes take a lock for it.
      if (tx.dialect === "postgres") await tx.query("SELECT pg_advisory_xact_lock(7215003)");
      const last = await tx.query<{ seq: unknown }>("SELECT MAX(seq) AS seq FROM pending_files");
      const seq = last[0]?.seq === null || last[0]?.seq === undefined ? 1 : Number(last[0].seq) + 1;
      await tx.query(
        "INSERT INTO pending_files (id, seq, chat_id, user_id, path, filename, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [f.id, seq, f.chatId, f.userId, f.path, f.filename, f.createdAt],
      );
      const all = await tx.query(
        "SELECT id, chat_id, user_id, path, filename, created_at FROM pending_files ORDER BY seq DESC",
      );
      const evicted = all.slice(keep).map(pendingFrom);
      for (const e of evicted) await tx.query("DELETE FROM pending_files WHERE id = $1", [e.id]);
      return evicted;
    });
  }

  takePendingFile(id: string): Promise<PendingFile | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        "SELECT id, chat_id, user_id, path, filename, created_at FROM pending_files WHERE id = $1",
        [id],
      );
      if (!rows.length) return null;
      await tx.query("DELETE FROM pending_files WHERE id = $1", [id]);
      return pendingFrom(rows[0]!);
    });
  }

  async pendingFiles(): Promise<PendingFile[]> {
    return (
      await this.db.query("SELECT id, chat_id, user_id, path, filename, created_at FROM pending_files ORDER BY seq")
    ).map(pendingFrom);
  }

  async setLastExtract(chatId: string, v: LastExtract): Promise<void> {
    await this.db.query(
      `INSERT INTO last_extracts (chat_id, at, notice_title, notice_path, extract) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (chat_id) DO UPDATE SET at = excluded.at, notice_title = excluded.notice_title, notice_path = excluded.notice_path, extract = excluded.extract`,
      [chatId, v.at, v.notice.title, v.notice.path, JSON.stringify(v.extract)],
    );
  }

  async lastExtract(chatId: string): Promise<LastExtract | null> {
    const rows = await this.db.query(
      "SELECT at, notice_title, notice_path, extract FROM last_extracts WHERE chat_id = $1",
      [chatId],
    );
    const r = rows[0];
    return r
      ? {
          at: str(r.at),
          notice: { title: str(r.notice_title), path: strOrNull(r.notice_path) },
          extract: JSON.parse(str(r.extract)) as unknown,
        }
      : null;
  }

  async audit(e: AuditEntry): Promise<void> {
    await this.db.query(
      "INSERT INTO audit_log (at, actor, chat, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
      [e.at, e.actor, e.chat, e.action, e.subject, e.detail === null ? null : JSON.stringify(e.detail)],
    );
  }

  async auditLog(options: { since?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const params: SqlValue[] = [options.since ?? "", options.limit ?? 10_000];
    const rows = await this.db.query(
      "SELECT at, actor, chat, action, subject, detail FROM audit_log WHERE at >= $1 ORDER BY id LIMIT $2",
      params,
    );
    return rows.map((r) => ({
      at: str(r.at),
      actor: str(r.actor),
      chat: strOrNull(r.chat),
      action: str(r.action),
      subject: strOrNull(r.subject),
      detail: r.detail === null ? null : (JSON.parse(str(r.detail)) as Record<string, unknown>),
    }));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

const pendingFrom = (r: Row): PendingFile => ({
  id: str(r.id),
  chatId: str(r.chat_id),
  userId: str(r.user_id),
  path: str(r.path),
  filename: str(r.filename),
  createdAt: str(r.created_at),
});
