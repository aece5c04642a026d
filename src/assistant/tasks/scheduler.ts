/**
 * The reminder scheduler of the bot process. At REMIND_AT (HH:mm in TIMEZONE) on each day, and on
 * every tick after it that day (a bot started late still reminds), it
 *   1. plans the day's reminders (`TaskService.due`) into the store, where (task, day) is unique;
 *   2. leases the undelivered ones (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: a write
 *      transaction), so two processes on one database never take the same reminder;
 *   3. delivers each through the Notifier and marks it sent under its lease.
 * Exactly once per task and day across restarts and processes. A delivery that fails keeps its
 * lease until it expires (a back-off), then any process retries it. A process that dies between
 * delivering and marking sends that one reminder again after the lease expires (at least once on
 * a crash; a lost reminder would be worse). The clock is injected; `tick()` is the whole job.
 */
import { randomBytes } from "node:crypto";
import { dateInZone } from "../extract/timex/calendar.js";
import type { Store } from "../../store/types.js";
import type { Notifier } from "./notifier.js";
import { reminderButtons, reminderText } from "./reminder-text.js";
import type { TaskService } from "./task-service.js";

export interface SchedulerOptions {
  store: Store;
  tasks: TaskService;
  notifier: Notifier;
  /** REMIND_AT, HH:mm. */
  remindAt: string;
  timezone: string;
  now: () => Date;
  /** Names this process in leases (default: random). */
  owner?: string;
  /** How long a lease holds (default 5 minutes). */
  leaseMs?: number;
  log?: (line: string) => void;
}

export interface TickResult {
  day: string;
  /** false before REMIND_AT. */
  due: boolean;
  sent: number;
  failed: number;
}

export interface ReminderScheduler {
  tick(): Promise<TickResult>;
  /** Tick every `intervalMs` (default 60 s) until stop(). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/** HH:mm of a Date in a time zone. */
export function timeInZone(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return `${get("hour")}:${get("minute")}`;
}

export function createReminderScheduler(opts: SchedulerOptions): ReminderScheduler {
  const { store, tasks, notifier } = opts;
  const owner = opts.owner ?? `scheduler-${randomBytes(4).toString("hex")}`;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const log = opts.log ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickResult> | undefined;

  const tickOnce = async (): Promise<TickResult> => {
    const now = opts.now();
    const day = dateInZone(now, opts.timezone);
    if (timeInZone(now, opts.timezone) < opts.remindAt) return { day, due: false, sent: 0, failed: 0 };
    // Plan on every tick: a task tracked after REMIND_AT still gets today's reminder. Planning again
    // is harmless: (task, day) is unique and an existing reminder is left as it is.
    const dueNow = new Map((await tasks.due(day)).map((r) => [r.taskId, r]));
    const plan = [...dueNow.values()].filter((r) => r.chat && (notifier.accepts?.(r.chat) ?? true));
    await store.planReminders(plan.map((r) => ({ taskId: r.taskId, day, level: r.level, chat: r.chat })));
    let sent = 0;
    let failed = 0;
    for (;;) {
      const at = opts.now();
      const batch = await store.leaseReminders(
        day,
        owner,
        at.toISOString(),
        new Date(at.getTime() + leaseMs).toISOString(),
        20,
      );
      if (!batch.length) break;
      for (const r of batch) {
        const task = await store.getTask(r.taskId);
        const reminder = dueNow.get(r.taskId);
        if (!task || task.status === "done" || !r.chat || !reminder) {
          // Closed or extended out of today's window since it was planned: settled without a message.
          await store.markReminderSent(r.taskId, day, owner, opts.now().toISOString());
          continue;
        }
        try {
          await notifier.deliver(r.chat, reminderText(reminder, task), reminderButtons(reminder));
        } catch (err) {
          failed++;
          log(
            `reminder for task ${r.taskId} to ${r.chat} failed (retried after the lease): ${err instanceof Error ? err.message : String(err)}`,
          );
          continue;
        }
        const at2 = opts.now().toISOString();
        if (await store.markReminderSent(r.taskId, day, owner, at2)) {
          sent++;
          await store.recordLevel(task.id, { level: reminder.level, on: day });
          if (reminder.level === "overdue")
            await store.addTaskEvent({
              taskId: task.id,
              kind: "催办",
              actor: "scheduler",
              at: at2,
              note: `超期 ${-reminder.workdaysLeft} 个工作日`,
            });
          await store.audit({
            at: at2,
            actor: "scheduler",
            chat: r.chat,
            action: "task.remind",
            subject: task.action,
            detail: { task: task.id, day, level: reminder.level },
          });
        }
      }
    }
    return { day, due: true, sent, failed };
  };

  const tick = (): Promise<TickResult> => {
    // One tick at a time in a process.
    const run = (running ?? Promise.resolve()).catch(() => undefined).then(tickOnce);
    running = run;
    return run;
  };

  return {
    tick,
    start(intervalMs = 60_000) {
      if (timer) return;
      const fire = () =>
        void tick().catch((err: unknown) =>
          log(`reminder tick failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      fire();
      timer = setInterval(fire, intervalMs);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => {});
    },
  };
}
