/**
 * Recurring times: 每日, 每天17时前, 每个工作日, 每周一, 每月5日前, 每季度, 每年.
 * start = end = the first occurrence on or after the issue date; `recurrence` holds an RFC 5545 RRULE
 * so the calendar export can repeat it. Own rules: chrono-node has no recurrence.
 */
import { addDays, addMonths, fmt, isValidDate, isoWeekday, lastDayOfMonth, parseYmd } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { DAY, MONTH, TIME } from "../patterns.js";
import { clockFrom, withClock } from "./time-of-day.js";
import { addWorkdays, isWorkingDay } from "../working-days.js";
import type { AtomRule } from "../atom.js";

const BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

/** The first official working day on or after the date. */
function nextWorkday(ref: string): string {
  return isWorkingDay(ref) ? ref : addWorkdays(ref, 1);
}

export const recurrenceRules: AtomRule[] = [
  {
    name: "recurring",
    pattern: new RegExp(`每(?:(个?工作日)|(日|天)|(?:周|星期)([一二三四五六日天])?|月(?:(${DAY})[日号])?|(季度|季)|年(?:(${MONTH})月(${DAY})[日号])?)(?:\\s*${TIME})?(?:之前|以前|前)?`, "g"),
    build(m, ctx) {
      const clock = clockFrom(m.slice(8, 13));
      let first: string;
      let rule: string;
      if (m[1] !== undefined) {
        first = nextWorkday(ctx.ref);
        rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
      } else if (m[2] !== undefined) {
        first = ctx.ref;
        rule = "FREQ=DAILY";
      } else if (m[0].startsWith("每周") || m[0].startsWith("每星期")) {
        const wd = m[3] !== undefined ? WEEKDAY[m[3]]! : isoWeekday(ctx.ref);
        first = addDays(ctx.ref, (wd - isoWeekday(ctx.ref) + 7) % 7);
        rule = `FREQ=WEEKLY;BYDAY=${BYDAY[wd - 1]}`;
      } else if (m[0].startsWith("每月")) {
        const { y, m: mon, d } = parseYmd(ctx.ref);
        if (m[4] !== undefined) {
          const day = parseNumeral(m[4]);
          if (!(day >= 1 && day <= 31)) return null;
          const clamp = (yy: number, mm: number) => fmt(yy, mm, Math.min(day, Number(lastDayOfMonth(yy, mm).slice(8))));
          first = d <= day ? clamp(y, mon) : (() => { const n = parseYmd(addMonths(fmt(y, mon, 1), 1)); return clamp(n.y, n.m); })();
          rule = `FREQ=MONTHLY;BYMONTHDAY=${day}`;
        } else {
          first = ctx.ref;
          rule = "FREQ=MONTHLY";
        }
      } else if (m[5] !== undefined) {
        first = ctx.ref;
        rule = "FREQ=MONTHLY;INTERVAL=3";
      } else if (m[6] !== undefined && m[7] !== undefined) {
        const mon = parseNumeral(m[6]);
        const day = parseNumeral(m[7]);
        const y = Number(ctx.ref.slice(0, 4));
        if (!isValidDate(2024, mon, day)) return null;
        const thisYear = fmt(y, mon, Math.min(day, Number(lastDayOfMonth(y, mon).slice(8))));
        first = thisYear >= ctx.ref ? thisYear : fmt(y + 1, mon, Math.min(day, Number(lastDayOfMonth(y + 1, mon).slice(8))));
        rule = `FREQ=YEARLY;BYMONTH=${mon};BYMONTHDAY=${day}`;
      } else {
        first = ctx.ref;
        rule = "FREQ=YEARLY";
      }
      const at = withClock(first, clock);
      return { kind: "recurring", type: "recurring", yearless: false, recurrence: rule, at: () => ({ start: at, end: at }) };
    },
  },
];
