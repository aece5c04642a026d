/**
 * Lunar dates through `chinese-days`: 农历八月十五, 腊月初十, 正月十五, 五月廿二, 大年初十, 去年十一月廿九,
 * 二零一二年农历正月十五, and lunar months (农历十月, 正月, 腊月, 闰四月). A month is lunar when 农历/阴历
 * stands before it, when it is named 正/冬/腊月, or when its day is written the lunar way (初五, 廿二, 三十).
 * The year (written or inferred) is the lunar year; a bare 廿一 is that day of the current lunar month.
 */
import chineseDays from "chinese-days";
import { addDays } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { YEAR } from "../patterns.js";
import { clockFrom, withClock } from "./time-of-day.js";
import { TIME } from "../patterns.js";
import { yearFrom } from "./absolute-dates.js";
import { lunarToSolar } from "./holidays.js";
import type { AtomRule, Interval } from "../atom.js";
import { yearOptional } from "../atom.js";

const { getSolarDateFromLunar, getYearLeapMonth, monthDays, getLunarDate } = chineseDays;

const LUNAR_MONTH = "(?:正|冬|腊|十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])";
const LUNAR_DAY =
  "(?:初(?:十|[一二三四五六七八九]|[1-9])|廿[一二三四五六七八九]?|卅|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[12][0-9]|30|[1-9])";

function monthNumber(s: string): number {
  if (s === "正") return 1;
  if (s === "冬") return 11;
  if (s === "腊") return 12;
  return parseNumeral(s);
}
function dayNumber(s: string): number {
  return parseNumeral(s.replace(/^初/, ""));
}

/** The Gregorian days of a lunar month (leap: the leap month after it). */
export function lunarMonth(y: number, m: number, leap = false): Interval | null {
  if (leap) {
    const lm = getYearLeapMonth(y);
    if (lm.leapMonth !== m) return null;
    const start = getSolarDateFromLunar(`${y}-${String(m).padStart(2, "0")}-01`).leapMonthDate;
    if (!start) return null;
    return { start, end: addDays(start, lm.days - 1) };
  }
  const start = lunarToSolar(y, m, 1);
  return { start, end: addDays(start, monthDays(y, m) - 1) };
}

export const lunarRules: AtomRule[] = [
  {
    name: "lunar-date",
    pattern: new RegExp(
      `(?:${YEAR})?(农历|阴历)?(?:(${YEAR_NO_GROUPS()})年)?(闰)?(${LUNAR_MONTH})月(${LUNAR_DAY})?(?:日|号)?(?:\\s*${TIME})?|大年(初(?:十|[一二三四五六七八九]|[1-9]))`,
      "g",
    ),
    build(m, ctx) {
      // Groups: 1–2 year, 3 农历, 4 a year after 农历, 5 闰, 6 month, 7 day, 8–12 clock, 13 大年初N.
      if (m[13] !== undefined) {
        const d = dayNumber(m[13]);
        return {
          kind: "point",
          type: "date",
          yearless: true,
          at: (y) => ({ start: lunarToSolar(y, 1, d), end: lunarToSolar(y, 1, d) }),
        };
      }
      const monthS = m[6]!;
      const dayS = m[7];
      const marked =
        m[3] !== undefined ||
        m[5] !== undefined ||
        /^[正冬腊]$/.test(monthS) ||
        (dayS !== undefined && /^(?:初|廿|卅|三十$)/.test(dayS));
      if (!marked) return null;
      // "五月三十" is lunar only when 日/号 does not follow (五月三十日 is a Gregorian date).
      if (
        dayS !== undefined &&
        !/^(?:初|廿|卅)/.test(dayS) &&
        m[3] === undefined &&
        !/^[正冬腊]$/.test(monthS) &&
        /[日号]/.test(m[0])
      )
        return null;
      const year = m[4] !== undefined ? yearFrom(m[4], undefined, ctx) : yearFrom(m[1], m[2], ctx);
      const mon = monthNumber(monthS);
      if (!(mon >= 1 && mon <= 12)) return null;
      const leap = m[5] !== undefined;
      if (dayS === undefined) {
        if (/[日号]/.test(m[0]) || m[8] !== undefined || m[9] !== undefined) return null;
        const probe = lunarMonth(year ?? 2020, mon, leap);
        if (!probe && !leap) return null;
        return {
          kind: "span",
          type: "period",
          ...yearOptional(year, (y) => {
            // A leap month exists in some years only: take the next year that has it.
            for (let yy = y; yy < y + 20; yy++) {
              const iv = lunarMonth(yy, mon, leap);
              if (iv) return iv;
              if (year !== undefined) break;
            }
            return lunarMonth(y, mon)!;
          }),
        };
      }
      const day = dayNumber(dayS);
      if (!(day >= 1 && day <= 30)) return null;
      const clock = clockFrom(m.slice(8, 13));
      return {
        kind: "point",
        type: "date",
        ...yearOptional(year, (yy) => {
          const last = monthDays(yy, mon);
          const d = withClock(lunarToSolar(yy, mon, Math.min(day, last)), clock);
          return { start: d, end: d };
        }),
      };
    },
  },
  {
    name: "lunar-bare-day",
    pattern: /(?<![0-9一二三四五六七八九十月初])廿([一二三四五六七八九])(?![0-9一二三四五六七八九十])/g,
    build(m, ctx) {
      const day = 20 + parseNumeral(m[1]!);
      const l = getLunarDate(ctx.ref);
      const d = lunarToSolar(l.lunarYear, l.lunarMon, Math.min(day, monthDays(l.lunarYear, l.lunarMon)));
      return { kind: "point", type: "date", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
];

/** A year written after 农历 (农历二〇二一年六月): the numeric part of YEAR, without its capture groups. */
function YEAR_NO_GROUPS(): string {
  return "(?:19|20)[0-9]{2}|[〇零○一二][〇零○一二三四五六七八九]{3}";
}
