/**
 * Recurring times: 每日, 每天17时前, 每个工作日, 每周一, 每月5日前, 每季度, 每年.
 * start = end = the first occurrence on or after the issue date; `recurrence` holds an RFC 5545 RRULE
 * so the calendar export can repeat it. Own rules: chrono-node has no recurrence.
 */
import { addDays, addMonths, fmt, isValidDate, isoWeekday, lastDayOfMonth, parseYmd } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { DAY, MONTH, RANGE_SEP, TIME } from "../patterns.js";
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
    pattern: new RegExp(
      `每(?:(半年|月最后一个工作日)|(个?工作日)|(日|天)|个?(?:周|星期|礼拜)([一二三四五六日天])?|月(?:(${DAY})[日号]|(底|末))?|(季度|季)(?:(末|底)|首月(${DAY})[日号])?|年(?:(${MONTH})月(?!份?\\s*(?:到|至|[-—–~～]))(?:(${DAY})[日号])?)?)(?:\\s*${TIME}(?:\\s*${RANGE_SEP}\\s*${TIME})?)?(?:之前|以前|前)?`,
      "g",
    ),
    build(m, ctx) {
      // Groups: 1 半年 / 月最后一个工作日, 2 工作日, 3 日/天, 4 weekday, 5 day of month, 6 月底, 7 季度,
      // 8 季度末, 9 季度首月N日, 10 month of year, 11 its day, 12–16 clock time.
      const clock = clockFrom(m.slice(12, 17));
      // 每周六上午9点到11点, 每天晚上8点——9点: the occurrence spans to the second clock time.
      const clockTo = clockFrom([m[17] ?? m[12], ...m.slice(18, 22)]);
      const span = (d: string) => ({
        start: withClock(d, clock),
        end: withClock(d, clockTo && clock && clockTo > clock ? clockTo : clock),
      });
      const { y, m: mon, d } = parseYmd(ctx.ref);
      const clampDay = (yy: number, mm: number, day: number) =>
        fmt(yy, mm, Math.min(day, Number(lastDayOfMonth(yy, mm).slice(8))));
      const firstOnOrAfter = (cands: string[]) => cands.filter((c) => c >= ctx.ref).sort()[0]!;
      if (m[1] === "半年") {
        const at = withClock(ctx.ref, clock);
        return {
          kind: "recurring",
          type: "recurring",
          yearless: false,
          recurrence: "FREQ=MONTHLY;INTERVAL=6",
          at: () => ({ start: at, end: at }),
        };
      }
      if (m[1] !== undefined) {
        // The last official working day of the month (holidays and make-up days from chinese-days).
        const lastWorkday = (yy: number, mm: number) => {
          let dd = lastDayOfMonth(yy, mm);
          while (!isWorkingDay(dd)) dd = addDays(dd, -1);
          return dd;
        };
        const next = parseYmd(addMonths(fmt(y, mon, 1), 1));
        const at = withClock(firstOnOrAfter([lastWorkday(y, mon), lastWorkday(next.y, next.m)]), clock);
        return {
          kind: "recurring",
          type: "recurring",
          yearless: false,
          recurrence: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
          at: () => ({ start: at, end: at }),
        };
      }
      if (m[6] !== undefined) {
        const at = withClock(lastDayOfMonth(y, mon), clock);
        return {
          kind: "recurring",
          type: "recurring",
          yearless: false,
          recurrence: "FREQ=MONTHLY;BYMONTHDAY=-1",
          at: () => ({ start: at, end: at }),
        };
      }
      if (m[8] !== undefined || m[9] !== undefined) {
        const quarterMonths = [1, 4, 7, 10];
        const cands: string[] = [];
        for (const yy of [y, y + 1])
          for (const qm of quarterMonths)
            cands.push(m[8] !== undefined ? lastDayOfMonth(yy, qm + 2) : clampDay(yy, qm, parseNumeral(m[9]!)));
        const at = withClock(firstOnOrAfter(cands), clock);
        // The end of each quarter as a rule that does not depend on the first occurrence.
        const rule =
          m[8] !== undefined
            ? "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
            : `FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=${parseNumeral(m[9]!)}`;
        return {
          kind: "recurring",
          type: "recurring",
          yearless: false,
          recurrence: rule,
          at: () => ({ start: at, end: at }),
        };
      }
      if (m[10] !== undefined && m[11] === undefined) {
        const month = parseNumeral(m[10]);
        if (!(month >= 1 && month <= 12)) return null;
        const yy = lastDayOfMonth(y, month) >= ctx.ref ? y : y + 1;
        const start = fmt(yy, month, 1);
        const end = lastDayOfMonth(yy, month);
        return {
          kind: "recurring",
          type: "recurring",
          yearless: false,
          recurrence: `FREQ=YEARLY;BYMONTH=${month}`,
          at: () => ({ start, end }),
        };
      }
      let first: string;
      let rule: string;
      if (m[2] !== undefined) {
        first = nextWorkday(ctx.ref);
        rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
      } else if (m[3] !== undefined) {
        first = ctx.ref;
        rule = "FREQ=DAILY";
      } else if (/^每个?(?:周|星期|礼拜)/.test(m[0])) {
        const wd = m[4] !== undefined ? WEEKDAY[m[4]]! : isoWeekday(ctx.ref);
        first = addDays(ctx.ref, (wd - isoWeekday(ctx.ref) + 7) % 7);
        rule = `FREQ=WEEKLY;BYDAY=${BYDAY[wd - 1]}`;
      } else if (m[0].startsWith("每月")) {
        if (m[5] !== undefined) {
          const day = parseNumeral(m[5]);
          if (!(day >= 1 && day <= 31)) return null;
          const clamp = (yy: number, mm: number) => fmt(yy, mm, Math.min(day, Number(lastDayOfMonth(yy, mm).slice(8))));
          first =
            d <= day
              ? clamp(y, mon)
              : (() => {
                  const n = parseYmd(addMonths(fmt(y, mon, 1), 1));
                  return clamp(n.y, n.m);
                })();
          rule = `FREQ=MONTHLY;BYMONTHDAY=${day}`;
        } else {
          first = ctx.ref;
          rule = "FREQ=MONTHLY";
        }
      } else if (m[7] !== undefined) {
        first = ctx.ref;
        rule = "FREQ=MONTHLY;INTERVAL=3";
      } else if (m[10] !== undefined && m[11] !== undefined) {
        const month = parseNumeral(m[10]);
        const day = parseNumeral(m[11]);
        if (!isValidDate(2024, month, day)) return null;
        first = firstOnOrAfter([clampDay(y, month, day), clampDay(y + 1, month, day)]);
        rule = `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${day}`;
      } else {
        first = ctx.ref;
        rule = "FREQ=YEARLY";
      }
      const iv = span(first);
      return { kind: "recurring", type: "recurring", yearless: false, recurrence: rule, at: () => iv };
    },
  },
];
