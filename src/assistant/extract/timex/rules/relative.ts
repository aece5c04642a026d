/**
 * Dates relative to the issue date: 今天/明天/后天/大后天/昨天, 下周六, 本周五, 周三, 下周, 本月底,
 * 下月九号, 下个月, and 即日(起) (from the issue date on).
 * Own rules (chrono-node's zh parser reads 下周六 and 后天 but not 下月九号, 本月底 or 即日起, and it
 * computes from a JS Date and the machine's time zone rather than from a calendar date).
 */
import { addDays, addMonths, fmt, isoWeekday, lastDayOfMonth, mondayOf, parseYmd } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { DAY, RANGE_SEP, TIME } from "../patterns.js";
import { clockFrom } from "./time-of-day.js";

/** TIME without its am/pm group (4 groups: hour, colon minutes, unit minutes, 半/刻). */
const TIME_NO_AMPM = TIME.replace(/^\(\?:\([^)]*\)\?\\s\*/, "(?:");
import { monthPart } from "./periods.js";
import type { AtomRule } from "../atom.js";

const DAY_WORDS: Record<string, number> = {
  今天: 0,
  今日: 0,
  本日: 0,
  当日: 0,
  当天: 0,
  明天: 1,
  明日: 1,
  次日: 1,
  翌日: 1,
  第二天: 1,
  后天: 2,
  大后天: 3,
  昨天: -1,
  昨日: -1,
  前天: -2,
  前日: -2,
  大前天: -3,
};
/** A day word fused with a part of the day (今晚, 昨晚, 明早, 当晚): the day offset and the part's word. */
const DAY_PART: Record<string, number> = { 今: 0, 当: 0, 昨: -1, 明: 1, 次: 1, 前: -2 };
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

function weekOffset(prefix: string | undefined): number | null {
  if (!prefix) return null;
  if (/^下下/.test(prefix)) return 2;
  if (/^上上/.test(prefix)) return -2;
  if (/^下/.test(prefix)) return 1;
  if (/^上/.test(prefix)) return -1;
  return 0; // 本, 这
}

function monthOffset(prefix: string): number {
  if (/^下下/.test(prefix)) return 2;
  if (/^上上/.test(prefix)) return -2;
  if (/^下|^次/.test(prefix)) return 1;
  if (/^上/.test(prefix)) return -1;
  return 0;
}

const point = (d: string) => ({ start: d, end: d });

export const relativeRules: AtomRule[] = [
  {
    name: "day-word",
    pattern: new RegExp(
      `(?:${Object.keys(DAY_WORDS)
        .sort((a, b) => b.length - a.length)
        .join("|")})(?!头条)`,
      "g",
    ),
    build(m, ctx) {
      const d = addDays(ctx.ref, DAY_WORDS[m[0]]!);
      return { kind: "point", type: "relative", yearless: false, at: () => point(d) };
    },
  },
  {
    name: "day-part-word",
    pattern: new RegExp(
      `(今|当|昨|明|次|前)(晚|早|夜)(?:上|间|里)?(?:\\s*${TIME_NO_AMPM}(?:\\s*${RANGE_SEP}\\s*${TIME})?)?`,
      "g",
    ),
    build(m, ctx) {
      const d = addDays(ctx.ref, DAY_PART[m[1]!]!);
      const part = m[2] === "早" ? "早上" : m[2] === "夜" ? "夜里" : "晚上";
      const clock = clockFrom([part, m[3], m[4], m[5], m[6]]);
      if (m[3] !== undefined && !clock) return null;
      // 今晚8点至8点半: up to the second clock time.
      const clockTo = m[8] !== undefined ? clockFrom([m[7] ?? part, m[8], m[9], m[10], m[11]]) : null;
      // 今晚 alone: the evening, 18:00–23:59; 明早: 06:00–09:59.
      const iv = clock
        ? { start: `${d}T${clock}`, end: `${d}T${clockTo && clockTo > clock ? clockTo : clock}` }
        : m[2] === "早"
          ? { start: `${d}T06:00`, end: `${d}T09:59` }
          : { start: `${d}T18:00`, end: `${d}T23:59` };
      return { kind: clock && iv.start === iv.end ? "point" : "span", type: "relative", yearless: false, at: () => iv };
    },
  },
  {
    name: "weekday",
    pattern:
      /(本|这个?|下下个?|上上个?|下个?|上个?)?(?:(?:周|星期|礼拜)(?=周|星期|礼拜))?(?:周|星期|礼拜)([一二三四五六日天末])/g,
    build(m, ctx) {
      const off = weekOffset(m[1]);
      if (m[2] === "末") {
        const monday = addDays(mondayOf(ctx.ref), 7 * (off ?? 0));
        return {
          kind: "span",
          type: "relative",
          yearless: false,
          at: () => ({ start: addDays(monday, 5), end: addDays(monday, 6) }),
        };
      }
      const wd = WEEKDAY[m[2]!]!;
      let d: string;
      if (off === null) {
        // A bare 周三: the next such day on or after the issue date.
        d = addDays(ctx.ref, (wd - isoWeekday(ctx.ref) + 7) % 7);
      } else d = addDays(mondayOf(ctx.ref), 7 * off + wd - 1);
      return { kind: "point", type: "relative", yearless: false, at: () => point(d) };
    },
  },
  {
    name: "week",
    pattern:
      /(本|这一?个?|下下个?|上上个?|下个?|上个?)(?:周|星期|礼拜)(?![一二三四五六日天末年]|周[一二三四五六日天末]|星期[一二三四五六日天末])/g,
    build(m, ctx) {
      const monday = addDays(mondayOf(ctx.ref), 7 * (weekOffset(m[1]) ?? 0));
      return {
        kind: "span",
        type: "relative",
        yearless: false,
        at: () => ({ start: monday, end: addDays(monday, 6) }),
      };
    },
  },
  {
    name: "month-relative",
    pattern: new RegExp(
      `(本|这个?|下下个?|上上个?|下个?|上个?|次|当|同)月份?(?:(${DAY})[日号]|(上半月|下半月|上旬|中旬|下旬|初(?![步次见稿审始])|底|末|尾))?`,
      "g",
    ),
    build(m, ctx) {
      const first = addMonths(`${ctx.ref.slice(0, 8)}01`, monthOffset(m[1]!));
      const { y, m: mon } = parseYmd(first);
      if (m[2] !== undefined) {
        const day = parseNumeral(m[2]);
        if (day > Number(lastDayOfMonth(y, mon).slice(8))) return null;
        const d = fmt(y, mon, day);
        return { kind: "point", type: "relative", yearless: false, at: () => point(d) };
      }
      const iv = monthPart(y, mon, m[3]);
      return {
        kind: m[3] === "底" || m[3] === "末" ? "point" : "span",
        type: "relative",
        yearless: false,
        at: () => iv,
      };
    },
  },
  {
    name: "bare-month-part",
    pattern: /(?<![0-9一二三四五六七八九十月本这个上下次当])(?:月底|月末|月尾|月初(?![步次见稿审始])|上旬|中旬|下旬)/g,
    build(m, ctx) {
      const { y, m: mon } = parseYmd(ctx.ref);
      const part = m[0].replace(/^月/, "").replace("尾", "底");
      const iv = monthPart(y, mon, part);
      return {
        kind: part === "底" || part === "末" ? "point" : "span",
        type: "relative",
        yearless: false,
        at: () => iv,
      };
    },
  },
  {
    name: "from-now",
    pattern:
      /(?:自|从)?即日(?:起)?|(?:自|从)?(?:本通知|本文件|通知|文件|本办法|本规定)?(?:印发|发文|下发|发布|公布|施行)之日(?:起)?/g,
    build(_m, ctx) {
      return { kind: "after", type: "from-now", yearless: false, at: () => point(ctx.ref) };
    },
  },
];
