/**
 * Absolute dates: 2024年10月12日, 二〇〇六年十二月三十一日, 零七年八月二十九号, 2019.9.6, 2024-10-12,
 * 今年10月1日, with an optional clock time (11月30日17时, 11月30日下午3:00) and weekday in brackets,
 * and day ranges inside one month (2019年4月12-19日, 11月1日至20日).
 * Own rules: chrono-node's zh parser misses 2019.9.6 and day ranges, reads 零七年 as year 7 and
 * does not leave the year open for our issue-date inference.
 */
import {
  addDays,
  addMonths,
  daysInMonth,
  fmt,
  isValidDate,
  lastDayOfMonth,
  mondayOf,
  nthWeekday,
  parseYmd,
} from "../calendar.js";
import { parseNumeral, parseYear } from "../numerals.js";
import { DAY, MONTH, RANGE_SEP, TIME, YEAR, relativeYear } from "../patterns.js";
import { clockFrom, withClock } from "./time-of-day.js";
import type { AtomContext, AtomRule } from "../atom.js";
import { yearOptional } from "../atom.js";

const COUNT_WEEK = "[0-9]{1,2}|[一二三四五六七八九十]{1,3}";
const WEEKDAY_NOTE =
  "(?:\\s*[（(](?:星期|周)[一二三四五六日天][）)]|(?:星期|周)[一二三四五六日天](?=\\s*(?:上午|下午|晚上|早上|中午|凌晨|[0-9一二三四五六七八九十]{1,3}[时点:：])))?";

/** Resolve the year captures of YEAR: [numeric, relative]; undefined when the text has no year. */
export function yearFrom(num: string | undefined, rel: string | undefined, ctx: AtomContext): number | undefined {
  if (num !== undefined) return parseYear(num);
  if (rel !== undefined) return Number(ctx.ref.slice(0, 4)) + relativeYear(rel);
  return undefined;
}

export const absoluteDateRules: AtomRule[] = [
  {
    name: "day-range",
    pattern: new RegExp(
      `(?:${YEAR})?(${MONTH})月(${DAY})[日号]?\\s*${RANGE_SEP}\\s*(${DAY})(?:[日号]|(?=$|[，,。；;、\\s]))`,
      "g",
    ),
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
        ...yearOptional(year, (yy) => {
          return {
            start: fmt(yy, mon, d1),
            end: fmt(yy, mon, Math.min(d2, new Date(Date.UTC(yy, mon, 0)).getUTCDate())),
          };
        }),
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
        ...yearOptional(year, (y) => {
          const d = withClock(fmt(y, mon, day), clock);
          return { start: d, end: d };
        }),
      };
    },
  },
  {
    // 三月一, 二月十五, 二零一五年三月三: a Chinese day without 日/号, at the end of the expression or before a range.
    name: "date-without-day-word",
    pattern: new RegExp(
      `(?:${YEAR})?(${MONTH})月(三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])(?=$|[，,。；;、\\s）)]|到|至|[-—~～])`,
      "g",
    ),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const mon = parseNumeral(m[3]!);
      const day = parseNumeral(m[4]!);
      if (!isValidDate(year ?? 2000, mon, day)) return null;
      return {
        kind: "point",
        type: "date",
        ...yearOptional(year, (y) => ({ start: fmt(y, mon, day), end: fmt(y, mon, day) })),
      };
    },
  },
  {
    // 2024-10-12, 2019.9.6, 2021/7/1, 1994.01-19, 2018-12-1209:03 (a time right after the day).
    name: "numeric-date",
    pattern: new RegExp(
      `(?<![0-9.])((?:19|20)[0-9]{2})([./-])([01]?[0-9])[./-]([0-3]?[0-9])(?:(?![0-9]|\\.[0-9])|(?=[0-2][0-9]:[0-5][0-9]))日?${WEEKDAY_NOTE}(?:\\s*${TIME})?`,
      "g",
    ),
    build(m) {
      const y = Number(m[1]);
      const mon = Number(m[3]);
      const day = Number(m[4]);
      if (!isValidDate(y, mon, day)) return null;
      const d = withClock(fmt(y, mon, day), clockFrom(m.slice(5, 10)));
      return { kind: "point", type: "date", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
  {
    // 20240307: eight digits that form a date of 1900–2099 (no longer run of digits around it).
    name: "compact-date",
    pattern: /(?<![0-9])((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(?![0-9])/g,
    build(m) {
      const y = Number(m[1]);
      const mon = Number(m[2]);
      const day = Number(m[3]);
      if (!isValidDate(y, mon, day)) return null;
      const d = fmt(y, mon, day);
      return { kind: "point", type: "date", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
  {
    // 09-01, 6·30: month and day without a year (two digits each when dashed, so 8-10 stays a count range).
    name: "month-day-numeric",
    pattern:
      /(?<![0-9.\-/:])(?:(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])|(1[0-2]|0?[1-9])[·•](3[01]|[12][0-9]|0?[1-9]))(?![0-9\-/:.])/g,
    build(m) {
      const mon = Number(m[1] ?? m[3]);
      const day = Number(m[2] ?? m[4]);
      if (!isValidDate(2024, mon, day)) return null;
      return {
        kind: "point",
        type: "date",
        yearless: true,
        at: (y) => ({ start: fmt(y, mon, day), end: fmt(y, mon, day) }),
      };
    },
  },
  {
    // 1999.08, 2002.02 (a month written with a dot, as in 1999.08-2002.02).
    name: "numeric-month",
    pattern: /(?<![0-9.])((?:19|20)[0-9]{2})\.(0[1-9]|1[0-2])(?![0-9]|\.[0-9]|[-/][0-9]{1,2}(?![0-9.]))/g,
    build(m) {
      const y = Number(m[1]);
      const mon = Number(m[2]);
      return {
        kind: "span",
        type: "period",
        yearless: false,
        at: () => ({ start: fmt(y, mon, 1), end: lastDayOfMonth(y, mon) }),
      };
    },
  },
  {
    // A bare four-digit year next to a range separator: 1985到89年9月, 2008.03-2009, 2020至2025年.
    name: "bare-year-in-range",
    pattern:
      /(?<![0-9.])((?:19|20)[0-9]{2})(?=\s*(?:[-—–~～]+|至|到)\s*(?:(?:19|20)?[0-9]{2}年|[0-9]{2}年|(?:19|20)[0-9]{2}))|(?<=(?:[-—–~～]+|至|到)\s*)((?:19|20)[0-9]{2})(?![0-9年.\-/月])/g,
    build(m) {
      const y = Number(m[1] ?? m[2]);
      return {
        kind: "span",
        type: "period",
        yearless: false,
        at: () => ({ start: fmt(y, 1, 1), end: fmt(y, 12, 31) }),
      };
    },
  },
  {
    // 30日, 15号: a day of the month without the month (that month or the next; ranges.ts picks).
    name: "bare-day",
    pattern:
      /(?<![0-9一二三四五六七八九十月年第.\-/~～—至到和、])([1-9]|[12][0-9]|3[01])[日号](?!(?:[0-9]+(?![0-9]*[时点:：]))|前后|内|以内|之内|后|以后|之后|起[0-9]|[一二三四五六七八九十])/g,
    build(m, ctx) {
      // "请于30日前", "已于15日", a line of its own; not "期限为30日" (a count of days).
      const prev = m.input.slice(Math.max(0, m.index - 1), m.index);
      if (prev && /[\u4e00-\u9fa5]/.test(prev) && !/[于在至到止从自起前截]/.test(prev)) return null;
      const day = Number(m[1]);
      const { y, m: mon } = parseYmd(ctx.ref);
      const inMonth = (k: number) => {
        const first = addMonths(fmt(y, mon, 1), k);
        const p = parseYmd(first);
        return day <= daysInMonth(p.y, p.m) ? fmt(p.y, p.m, day) : null;
      };
      const cands = [-1, 0, 1, 2].map(inMonth).filter((x): x is string => x !== null);
      return {
        kind: "point",
        type: "date",
        yearless: false,
        at: () => {
          const d = inMonth(0) ?? cands[0]!;
          return { start: d, end: d };
        },
        choose: (mode) => {
          const d =
            mode === "forward"
              ? cands.find((c) => c >= ctx.ref)!
              : mode === "back"
                ? [...cands].reverse().find((c) => c <= ctx.ref)!
                : (inMonth(0) ?? cands.find((c) => c >= ctx.ref)!);
          return { start: d, end: d };
        },
      };
    },
  },
  {
    // 2024年第10周, 第12周: ISO weeks (Monday–Sunday; week 1 holds the year's first Thursday).
    name: "iso-week",
    pattern: new RegExp(`(?:${YEAR})?第(${COUNT_WEEK})周(?![年岁])`, "g"),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const n = parseNumeral(m[3]!);
      if (!(n >= 1 && n <= 53)) return null;
      const week = (y: number) => {
        const jan4 = fmt(y, 1, 4);
        const monday = addDays(mondayOf(jan4), 7 * (n - 1));
        return { start: monday, end: addDays(monday, 6) };
      };
      return { kind: "span", type: "period", ...yearOptional(year, (y) => week(y)) };
    },
  },
  {
    // 6月第3个星期日, 八月份的第一个周二: the n-th weekday of a month.
    name: "nth-weekday-of-month",
    pattern: new RegExp(
      `(?:${YEAR})?(${MONTH})月份?(?:的)?第(${COUNT_WEEK})个(?:周|星期|礼拜)([一二三四五六日天])`,
      "g",
    ),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const mon = parseNumeral(m[3]!);
      const n = parseNumeral(m[4]!);
      const wd = "一二三四五六日".indexOf(m[5] === "天" ? "日" : m[5]!) + 1;
      if (!(mon >= 1 && mon <= 12 && n >= 1 && n <= 5)) return null;
      return {
        kind: "point",
        type: "date",
        ...yearOptional(year, (y) => {
          const d = nthWeekday(y, mon, wd, n);
          return { start: d, end: d };
        }),
      };
    },
  },
];
