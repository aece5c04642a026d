/**
 * When a task is reminded, and at which level, on the official calendar (chinese-days: public
 * holidays and make-up working days):
 * - upcoming: on each working day from `workdays` (REMIND_WORKDAYS, default 3) working days before
 *   the due day up to the day before it;
 * - today: on the due day (whether or not it is a working day);
 * - overdue: on each working day after the due day until the task is done.
 *
 * Colours, as OA 督办 systems show a task's state (蓝牌提醒 / 黄牌预警 / 红牌督办):
 *   upcoming → blue   (蓝色 临期提醒: the deadline is near)
 *   today    → yellow (黄色 到期预警: due today)
 *   overdue  → red    (红色 超期督办: past due, not closed; a 催办 event is recorded)
 */
import { addDays, diffDays } from "../extract/timex/calendar.js";
import { isWorkingDay } from "../extract/timex/working-days.js";
import type { ReminderLevel } from "../../store/types.js";

export type LevelColour = "blue" | "yellow" | "red";

export const LEVEL_COLOURS: Record<ReminderLevel, LevelColour> = { upcoming: "blue", today: "yellow", overdue: "red" };
export const LEVEL_LABELS: Record<ReminderLevel, string> = {
  upcoming: "🔵 临期提醒",
  today: "🟡 今日到期",
  overdue: "🔴 超期督办",
};

/** Working days after `from` up to and including `to` (0 when to <= from). */
export function workdaysBetween(from: string, to: string): number {
  let n = 0;
  // Bounded: a due date years away is never walked day by day (callers ask only near the window).
  const span = Math.min(diffDays(from, to), 3660);
  for (let i = 1; i <= span; i++) if (isWorkingDay(addDays(from, i))) n++;
  return n;
}

export interface ReminderDue {
  level: ReminderLevel;
  /** Working days from `day` to the due day: > 0 before it, 0 on it, < 0 after it (working days overdue). */
  workdaysLeft: number;
}

/** The reminder an open task with due day `dueDay` gets on `day`, or null (no reminder that day). */
export function reminderOn(dueDay: string, day: string, workdays: number): ReminderDue | null {
  if (day === dueDay) return { level: "today", workdaysLeft: 0 };
  if (!isWorkingDay(day)) return null;
  if (day < dueDay) {
    // Cheap exit before counting: more calendar days than any run of `workdays` working days spans.
    if (diffDays(day, dueDay) > workdays * 3 + 31) return null;
    const left = workdaysBetween(day, dueDay);
    return left >= 1 && left <= workdays ? { level: "upcoming", workdaysLeft: left } : null;
  }
  return { level: "overdue", workdaysLeft: -workdaysBetween(dueDay, day) };
}

/** The first day of the reminder window: `workdays` working days before the due day. */
export function windowStart(dueDay: string, workdays: number): string {
  let d = dueDay;
  let n = 0;
  while (n < workdays) {
    d = addDays(d, -1);
    if (isWorkingDay(d)) n++;
  }
  return d;
}
