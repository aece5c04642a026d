/**
 * Days with a name, resolved through `chinese-days` (lunar calendar, solar terms, the official holiday blocks):
 * - public holidays and festivals: 元旦, 春节, 除夕, 元宵, 清明, 劳动节/五一, 端午, 中秋, 国庆/“十一”, and the
 *   other named days (教师节, 重阳, 七夕, 腊八, 小年, 妇女节, 儿童节, 建党节, 建军节, 母亲节, 父亲节, 感恩节, 双十一 …);
 *   the day itself is a point, "…期间"/"…假期" the official holiday block around it;
 * - the 24 solar terms (立春 … 大寒): the day the term starts;
 * - seasons by the solar terms (春季 = 立春 … the day before 立夏) and 暑假 (July–August).
 * An optional year in front (2019年感恩节, 去年春节, 零六年端午) fixes the year; without one the year is inferred
 * like any date without a year (ranges.ts). A lunar festival of year Y is the one of lunar year Y.
 */
import chineseDays from "chinese-days";
import { addDays, fmt, nthWeekday } from "../calendar.js";
import { YEAR } from "../patterns.js";
import { yearFrom } from "./absolute-dates.js";
import type { AtomRule, Interval } from "../atom.js";
import { yearOptional } from "../atom.js";

const { getSolarDateFromLunar, getSolarTermDate, getDayDetail } = chineseDays;
type TermKey = Parameters<typeof getSolarTermDate>[2];

/** Solar terms: name → [Gregorian month, chinese-days key]. */
export const SOLAR_TERMS: Record<string, [number, TermKey]> = {
  小寒: [1, "lesser_cold"],
  大寒: [1, "greater_cold"],
  立春: [2, "the_beginning_of_spring"],
  雨水: [2, "rain_water"],
  惊蛰: [3, "the_waking_of_insects"],
  春分: [3, "the_spring_equinox"],
  清明: [4, "pure_brightness"],
  谷雨: [4, "grain_rain"],
  立夏: [5, "the_beginning_of_summer"],
  小满: [5, "lesser_fullness_of_grain"],
  芒种: [6, "grain_in_beard"],
  夏至: [6, "the_summer_solstice"],
  小暑: [7, "lesser_heat"],
  大暑: [7, "greater_heat"],
  立秋: [8, "the_beginning_of_autumn"],
  处暑: [8, "the_end_of_heat"],
  白露: [9, "white_dew"],
  秋分: [9, "the_autumn_equinox"],
  寒露: [10, "code_dew"],
  霜降: [10, "frost_descent"],
  立冬: [11, "the_beginning_of_winter"],
  小雪: [11, "lesser_snow"],
  大雪: [12, "greater_snow"],
  冬至: [12, "the_winter_solstice"],
};
export const solarTerm = (name: string, y: number): string => {
  const [m, key] = SOLAR_TERMS[name]!;
  return getSolarTermDate(y, m, key);
};
export const lunarToSolar = (y: number, m: number, d: number): string =>
  getSolarDateFromLunar(`${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`).date;

type Festival = { holiday?: string; day: (y: number) => string; needsMark?: boolean; rrule?: string };

const fixed = (m: number, d: number): Festival => ({
  day: (y) => fmt(y, m, d),
  rrule: `FREQ=YEARLY;BYMONTH=${m};BYMONTHDAY=${d}`,
});
const lunar = (m: number, d: number, holiday?: string): Festival => ({
  day: (y) => lunarToSolar(y, m, d),
  ...(holiday ? { holiday } : {}),
});

/** Festival names (as written, with the optional 节 handled by the pattern) → how to date them. */
const FESTIVALS: Record<string, Festival> = {
  元旦: { holiday: "元旦", day: (y) => fmt(y, 1, 1), rrule: "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1" },
  春节: lunar(1, 1, "春节"),
  大年初一: lunar(1, 1, "春节"),
  除夕: { holiday: "春节", day: (y) => addDays(lunarToSolar(y + 1, 1, 1), -1) },
  元宵: lunar(1, 15),
  龙抬头: lunar(2, 2),
  清明: { holiday: "清明", day: (y) => solarTerm("清明", y) },
  劳动节: { holiday: "劳动节", day: (y) => fmt(y, 5, 1) },
  五一: { holiday: "劳动节", day: (y) => fmt(y, 5, 1), needsMark: true },
  端午: lunar(5, 5, "端午"),
  七夕: lunar(7, 7),
  中元: lunar(7, 15),
  中秋: lunar(8, 15, "中秋"),
  重阳: lunar(9, 9),
  腊八: lunar(12, 8),
  小年: lunar(12, 23),
  国庆: { holiday: "国庆", day: (y) => fmt(y, 10, 1) },
  十一: { holiday: "国庆", day: (y) => fmt(y, 10, 1), needsMark: true },
  农历新年: lunar(1, 1, "春节"),
  新春: lunar(1, 1, "春节"),
  阳历新年: { holiday: "元旦", day: (y) => fmt(y, 1, 1), rrule: "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1" },
  公历新年: { holiday: "元旦", day: (y) => fmt(y, 1, 1), rrule: "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1" },
  情人节: fixed(2, 14),
  圣瓦伦丁节: fixed(2, 14),
  三一五: fixed(3, 15),
  愚人节: fixed(4, 1),
  万圣节: fixed(10, 31),
  香港回归纪念日: fixed(7, 1),
  澳门回归纪念日: fixed(12, 20),
  妇女节: fixed(3, 8),
  三八妇女节: fixed(3, 8),
  植树节: fixed(3, 12),
  消费者权益日: fixed(3, 15),
  青年节: fixed(5, 4),
  五四青年节: fixed(5, 4),
  儿童节: fixed(6, 1),
  六一儿童节: fixed(6, 1),
  建党节: fixed(7, 1),
  七一建党节: fixed(7, 1),
  建军节: fixed(8, 1),
  八一建军节: fixed(8, 1),
  教师节: fixed(9, 10),
  国家宪法日: fixed(12, 4),
  平安夜: fixed(12, 24),
  圣诞节: fixed(12, 25),
  圣诞: fixed(12, 25),
  双十一: fixed(11, 11),
  双11: fixed(11, 11),
  双十二: fixed(12, 12),
  双12: fixed(12, 12),
  母亲节: { day: (y) => nthWeekday(y, 5, 7, 2), rrule: "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU" },
  父亲节: { day: (y) => nthWeekday(y, 6, 7, 3), rrule: "FREQ=YEARLY;BYMONTH=6;BYDAY=3SU" },
  感恩节: { day: (y) => nthWeekday(y, 11, 4, 4), rrule: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH" },
};

/** The official holiday block containing the festival day (just the day when the calendar has none). */
export function holidayBlock(day: string, name: string | undefined): Interval {
  if (!name) return { start: day, end: day };
  const off = (d: string) => {
    const x = getDayDetail(d);
    return !x.work && x.name.includes(name);
  };
  if (!off(day)) return { start: day, end: day };
  let s = day;
  let e = day;
  while (off(addDays(s, -1))) s = addDays(s, -1);
  while (off(addDays(e, 1))) e = addDays(e, 1);
  return { start: s, end: e };
}

const names = (o: Record<string, unknown>) =>
  Object.keys(o)
    .sort((a, b) => b.length - a.length)
    .join("|");
const SEASON: Record<string, [string, string]> = {
  春: ["立春", "立夏"],
  夏: ["立夏", "立秋"],
  秋: ["立秋", "立冬"],
  冬: ["立冬", "立春"],
};

export const holidayRules: AtomRule[] = [
  {
    name: "festival",
    pattern: new RegExp(
      `(?:${YEAR})?(?:“|")?(${names(FESTIVALS)})(?:”|")?(?:节)?(期间|假期|长假|小长假|黄金周|放假期间)?(?![0-9个月日号])`,
      "g",
    ),
    build(m, ctx) {
      const key = m[3]!;
      const f = FESTIVALS[key]!;
      // 十一 and 五一 are also plain numbers: only with quotes or a holiday word.
      if (
        f.needsMark &&
        !/[“"]|节|假|黄金周|期间/.test(m[0]) &&
        !(key === "五一" && /^(?:前|后|当天|前后|之前|以前)/.test(m.input.slice(m.index + m[0].length)))
      )
        return null;
      const year = yearFrom(m[1], m[2], ctx);
      const during = m[4] !== undefined;
      return {
        kind: during ? "span" : "point",
        type: "date",
        yearless: year === undefined,
        ...(f.rrule && !during ? { recurrence: f.rrule } : {}),
        at: (y) => {
          const day = f.day(year ?? y);
          return during ? holidayBlock(day, f.holiday) : { start: day, end: day };
        },
        before: (y) => addDays(holidayBlock(f.day(year ?? y), f.holiday).start, -1),
      };
    },
  },
  {
    name: "solar-term",
    pattern: new RegExp(`(?:${YEAR})?(${names(SOLAR_TERMS)})(?:节气|时节)?(?![0-9个月日号])`, "g"),
    build(m, ctx) {
      const name = m[3]!;
      // 清明 is the festival rule's (same day, and its holiday block).
      if (name === "清明") return null;
      const year = yearFrom(m[1], m[2], ctx);
      return {
        kind: "point",
        type: "date",
        ...yearOptional(year, (y) => {
          const d = solarTerm(name, y);
          return { start: d, end: d };
        }),
        before: (y) => addDays(solarTerm(name, year ?? y), -1),
      };
    },
  },
  {
    name: "season",
    pattern: new RegExp(
      `(?:${YEAR})?(?:(春|夏|秋|冬)(?:季|天)(?=$|[，,。；;、：:\\s）)]|期间|时|里|前|后|以来|开始|的|到|至|起)|(?<=年)(春|夏|秋|冬)(?=$|[，,。；;、\\s）)]|到|至))|(?:${YEAR})?(暑假|暑期)`,
      "g",
    ),
    build(m, ctx) {
      const year = yearFrom(m[1] ?? m[5], m[2] ?? m[6], ctx);
      if (m[7])
        return {
          kind: "span",
          type: "period",
          ...yearOptional(year, (y) => ({ start: fmt(y, 7, 1), end: fmt(y, 8, 31) })),
        };
      const season = (m[3] ?? m[4])!;
      const [from, to] = SEASON[season]!;
      return {
        kind: "span",
        type: "period",
        ...yearOptional(year, (yy) => {
          return { start: solarTerm(from, yy), end: addDays(solarTerm(to, season === "冬" ? yy + 1 : yy), -1) };
        }),
      };
    },
  },
];
