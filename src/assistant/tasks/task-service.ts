/**
 * 督办: the tasks use case over the store. Tracks the actions of an extracted notice, lists,
 * closes (办结) and extends (延期) tasks, adds the occurrences of recurring duties as their reminder
 * window opens, and says which reminders fall on a day. Every change goes to the audit log.
 */
import type { ExtractResponse } from "../extract/types.js";
import { addDays, dateInZone } from "../extract/timex/calendar.js";
import { addWorkdays } from "../extract/timex/working-days.js";
import { isIsoDate } from "../extract/extract.js";
import { AssistantError } from "../../errors.js";
import type { NewTask, Store, TaskFilter, TaskRecord } from "../../store/types.js";
import { tasksFromExtract, type NoticeInfo } from "./from-extract.js";
import { LEVEL_COLOURS, reminderOn } from "./levels.js";
import { occurrencesBetween } from "./occurrences.js";
import type { ReminderJson, TaskJson } from "./types.js";

export class TaskError extends AssistantError {
  override name = "TaskError";
}

export interface TaskServiceOptions {
  store: Store;
  /** REMIND_WORKDAYS: upcoming reminders start this many working days before the due day. */
  workdays: number;
  timezone: string;
  now: () => Date;
}

export const dueDay = (due: string): string => due.slice(0, 10);

export function taskJson(t: TaskRecord): TaskJson {
  return {
    id: t.id,
    owner: t.owner,
    action: t.action,
    due: t.due,
    status: t.status,
    recurrence: t.recurrence,
    chat: t.chat,
    source: { title: t.noticeTitle, path: t.noticePath, text: t.sourceText },
    originalDue: t.originalDue,
    series: t.seriesId,
  };
}

const DUE_FORM = /^\d{4}-\d{2}-\d{2}(?:T([01]\d|2[0-3]):[0-5]\d)?$/;

/** The store and the task service over it, as the composition root opens them (src/app.ts openTasks). */
export interface TaskComponents {
  store: Store;
  tasks: TaskService;
  close(): Promise<void>;
}

export interface TaskService {
  readonly workdays: number;
  /** Today in TIMEZONE. */
  today(): string;
  /** Track the notice's actions in `chat`; returns its tasks (those tracked before are not added again). */
  track(res: ExtractResponse, notice: NoticeInfo, chat: string | null, actor: string): Promise<TaskRecord[]>;
  list(filter?: TaskFilter): Promise<TaskRecord[]>;
  get(id: string): Promise<TaskRecord | null>;
  done(id: string, actor: string, note?: string | null): Promise<TaskRecord>;
  extend(id: string, due: string, reason: string, actor: string): Promise<TaskRecord>;
  /** The reminders that fall on `day` (default today), adding the recurring occurrences due by then. */
  due(day?: string): Promise<ReminderJson[]>;
  /** Add the occurrences of recurring duties whose reminder window has opened by `day`. */
  addOccurrences(day: string): Promise<TaskRecord[]>;
}

export function createTaskService(opts: TaskServiceOptions): TaskService {
  const { store, workdays } = opts;
  const at = () => opts.now().toISOString();
  const today = () => dateInZone(opts.now(), opts.timezone);

  const mustGet = async (id: string) => {
    const t = await store.getTask(id.trim());
    if (!t)
      throw new TaskError(`No task ${id}; list the open ones with \`npm run -s tasks -- list\` (or /tasks in a chat).`);
    return t;
  };

  const addOccurrences = async (day: string): Promise<TaskRecord[]> => {
    // The last occurrence of each series (open or done) decides where the next ones start.
    const recurring = (await store.listTasks({ status: "all" })).filter((t) => t.recurrence);
    const last = new Map<string, TaskRecord>();
    for (const t of recurring) {
      const series = t.seriesId ?? t.id;
      const cur = last.get(series);
      if (!cur || dueDay(t.due) > dueDay(cur.due)) last.set(series, t);
    }
    // An occurrence exists from the first day of its reminder window on: due by `workdays` working days after `day`.
    const horizon = addWorkdays(day, Math.max(workdays, 1));
    const fresh: NewTask[] = [];
    for (const [series, t] of last) {
      const first = recurring.find((x) => x.id === series) ?? t;
      // Catching up (nothing ran for a while), occurrences due more than a week before `day` are
      // not added, and at most 31 at once: a bot that was down long does not flood a chat with stale
      // duties. Run daily, nothing is skipped.
      const weekAgo = addDays(day, -8);
      const after = dueDay(t.due) > weekAgo ? dueDay(t.due) : weekAgo;
      for (const due of occurrencesBetween(t.recurrence!, first.due, after, horizon, 31))
        fresh.push({
          owner: t.owner,
          action: t.action,
          due,
          recurrence: t.recurrence,
          seriesId: series,
          noticeTitle: t.noticeTitle,
          noticePath: t.noticePath,
          noticeRef: t.noticeRef,
          sourceText: t.sourceText,
          chat: t.chat,
        });
    }
    if (!fresh.length) return [];
    const added = await store.addTasks(fresh, "scheduler", at());
    await store.audit({
      at: at(),
      actor: "scheduler",
      chat: null,
      action: "task.add",
      subject: "recurring occurrences",
      detail: { tasks: added.map((x) => ({ id: x.id, due: x.due, series: x.seriesId })) },
    });
    return added;
  };

  return {
    workdays,
    today,
    async track(res, notice, chat, actor) {
      // Tracking the same notice again in the same chat adds nothing: the tasks already tracked
      // (same notice, sentence, action and original due date) are returned as they are.
      const key = (t: Pick<NewTask, "noticeTitle" | "sourceText" | "action">, due: string) =>
        `${t.noticeTitle}\u0000${t.sourceText}\u0000${t.action}\u0000${due}`;
      const existing = new Map<string, TaskRecord>();
      for (const t of await store.listTasks({ chat, status: "all" }))
        if (!t.seriesId) existing.set(key(t, t.originalDue ?? t.due), t);
      const all = tasksFromExtract(res, notice, chat);
      const fresh = all.filter((t) => !existing.has(key(t, t.due)));
      if (!fresh.length) return all.map((t) => existing.get(key(t, t.due))!);
      const added = await store.addTasks(fresh, actor, at());
      await store.audit({
        at: at(),
        actor,
        chat,
        action: "task.add",
        subject: notice.title,
        detail: {
          notice: notice.path,
          ref: res.ref,
          tasks: added.map((t) => ({ id: t.id, due: t.due, action: t.action })),
        },
      });
      const byKey = new Map(added.map((t) => [key(t, t.due), t]));
      return all.map((t) => byKey.get(key(t, t.due)) ?? existing.get(key(t, t.due))!);
    },
    list: (filter) => store.listTasks(filter),
    get: (id) => store.getTask(id.trim()),
    async done(id, actor, note = null) {
      const t = await mustGet(id);
      if (t.status === "done") throw new TaskError(`Task ${t.id} is already closed (办结).`);
      const closed = (await store.closeTask(t.id, actor, at(), note || null))!;
      await store.audit({
        at: at(),
        actor,
        chat: t.chat,
        action: "task.done",
        subject: t.action,
        detail: { task: t.id, note: note || null },
      });
      return closed;
    },
    async extend(id, due, reason, actor) {
      if (!DUE_FORM.test(due) || !isIsoDate(due.slice(0, 10)))
        throw new TaskError(`"${due}" is not a date; write the new due date as YYYY-MM-DD (or YYYY-MM-DDTHH:mm).`);
      if (!reason.trim()) throw new TaskError("An extension (延期) needs a reason; give it after the date.");
      const t = await mustGet(id);
      if (t.status === "done") throw new TaskError(`Task ${t.id} is already closed (办结); it cannot be extended.`);
      const now = today();
      // 延期 is asked before the deadline passes: through the due day, not after it.
      if (now > dueDay(t.due))
        throw new TaskError(
          `Task ${t.id} was due ${t.due}; an extension (延期) must be asked by the due day. Close it, or track a new task.`,
        );
      if (dueDay(due) <= dueDay(t.due))
        throw new TaskError(`The new due date ${due} must be after the current one (${t.due}).`);
      const out = (await store.extendTask(t.id, due, actor, at(), reason.trim()))!;
      await store.audit({
        at: at(),
        actor,
        chat: t.chat,
        action: "task.extend",
        subject: t.action,
        detail: { task: t.id, from: t.due, to: due, reason: reason.trim() },
      });
      return out;
    },
    async due(day = today()) {
      if (!isIsoDate(day)) throw new TaskError(`"${day}" is not a date; write it as YYYY-MM-DD.`);
      await addOccurrences(day);
      const out: ReminderJson[] = [];
      for (const t of await store.listTasks({ status: "open" })) {
        const r = reminderOn(dueDay(t.due), day, workdays);
        if (!r) continue;
        out.push({
          taskId: t.id,
          level: r.level,
          due: t.due,
          workdaysLeft: r.workdaysLeft,
          owner: t.owner,
          action: t.action,
          chat: t.chat,
          colour: LEVEL_COLOURS[r.level],
          title: t.noticeTitle,
        });
      }
      return out;
    },
    addOccurrences,
  };
}
