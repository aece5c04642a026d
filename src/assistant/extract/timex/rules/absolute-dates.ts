/**
 * Absolute dates: 2024年10月12日, 二〇〇六年十二月三十一日, 零七年八月二十九号, 2019.9.6, 2024-10-12,
 * 今年10月1日, with an optional clock time (11月30日17时, 11月30日下午3:00) and weekday in brackets,
 * and day ranges inside one month (2019年4月12-19日, 11月1日至20日).
 * Own rules: chrono-node's zh parser misses 2019.9.6 and day ranges, reads 零七年 as year 7 and
 * does not leave the year open for our issue-date inference.
 */
import { fmt, isValidDate } from "../calendar.js";
import { parseNumeral, parseYear } from "../numerals.js";
import { DAY, MONTH, RANGE_SEP, TIME, YEAR, relativeYear } from "../patterns.js";
import { clockFrom, withClock } from "./time-of-day.js";
import type { AtomContext, AtomRule } from "../atom.js";

const WEEKDAY_NOTE = "(?:\\s*[（(](?:星期|周)[一二三四五六日天][）)])?";

/** Resolve the year captures of YEAR: [numeric, relative]; undefined when the text has no year. */
export function yearFrom(num: string | undefined, rel: string | undefined, ctx: AtomContext): number | undefined {
  if (num !== undefined) return parseYear(num);
  if (rel !== undefined) return Number(ctx.ref.slice(0, 4)) + relativeYear(rel);
  return undefined;
}

export const absoluteDateRules: AtomRule[] = [
  {
    name: "day-range",
    pattern: new RegExp(`(?:${YEAR})?(${MONTH})月(${DAY})[日号]?\\s*${RANGE_SEP}\\s*(${DAY})[日号]`, "g"),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const mon = parseNumeral(m[3]!);
      const d1 = parseNumeral(m[4]!);
      const d2 = parseNumeral(m[5]!);
      if (d2 < d1) return null;
      const ok = (y: number) => isValidDate(y, mon, d1) && isValidDate(y, mon, Math.min(d2, 28));
      if (!ok(year ?? 2000)) return null;
      return {
        kind: "span",
        type: "date",
        yearless: year === undefined,
        at: (y) => {
          const yy = year ?? y;
          return { start: fmt(yy, mon, d1), end: fmt(yy, mon, Math.min(d2, new Date(Date.UTC(yy, mon, 0)).getUTCDate())) };
        },
      };
    },
  },
  {
    name: "full-date",
    pattern: new RegExp(`(?:${YEAR})?(${MONTH})月(${DAY})[日号]${WEEKDAY_NOTE}(?:\\s*${TIME})?`, "g"),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const mon = parseNumeral(m[3]!);
      const day = parseNumeral(m[4]!);
      if (!isValidDate(year ?? 2000, mon, day)) return null;
      const clock = clockFrom(m.slice(5, 10));
      return {
        kind: "point",
        type: "date",
        yearless: year === undefined,
        at: (y) => {
          const d = withClock(fmt(year ?? y, mon, day), clock);
          return { start: d, end: d };
        },
      };
    },
  },
  {
    name: "numeric-date",
    pattern: new RegExp(`(?<![0-9.])((?:19|20)[0-9]{2})([./-])([01]?[0-9])\\2([0-3]?[0-9])(?![0-9]|\\.[0-9])日?${WEEKDAY_NOTE}(?:\\s*${TIME})?`, "g"),
    build(m) {
      const y = Number(m[1]);
      const mon = Number(m[3]);
      const day = Number(m[4]);
      if (!isValidDate(y, mon, day)) return null;
      const d = withClock(fmt(y, mon, day), clockFrom(m.slice(5, 10)));
      return { kind: "point", type: "date", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
];
