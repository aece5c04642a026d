/**
 * Public holidays by name: 元旦, 春节, 除夕, 元宵节, 清明节, 劳动节/五一, 端午节, 中秋节, 国庆节/十一.
 * The day itself (a point, year inferred like any date without a year); "…期间"/"…假期" is the official
 * holiday block around it. Lunar and solar-term dates and the official blocks come from `chinese-days`.
 */
import chineseDays from "chinese-days";
import { addDays } from "../calendar.js";
import type { AtomRule, Interval } from "../atom.js";

const { getSolarDateFromLunar, getSolarTermDate, getDayDetail } = chineseDays;

type Festival = { name: string; day: (y: number) => string };

const FESTIVALS: Record<string, Festival> = {
  元旦: { name: "元旦", day: (y) => `${y}-01-01` },
  春节: { name: "春节", day: (y) => getSolarDateFromLunar(`${y}-01-01`).date },
  除夕: { name: "春节", day: (y) => addDays(getSolarDateFromLunar(`${y}-01-01`).date, -1) },
  元宵: { name: "元宵", day: (y) => getSolarDateFromLunar(`${y}-01-15`).date },
  清明: { name: "清明", day: (y) => getSolarTermDate(y, 4, "pure_brightness") },
  劳动节: { name: "劳动节", day: (y) => `${y}-05-01` },
  五一: { name: "劳动节", day: (y) => `${y}-05-01` },
  端午: { name: "端午", day: (y) => getSolarDateFromLunar(`${y}-05-05`).date },
  中秋: { name: "中秋", day: (y) => getSolarDateFromLunar(`${y}-08-15`).date },
  国庆: { name: "国庆", day: (y) => `${y}-10-01` },
  十一: { name: "国庆", day: (y) => `${y}-10-01` },
};

/** The official holiday block containing the festival day (just the day when the calendar has none). */
function holidayBlock(day: string, name: string): Interval {
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

export const holidayRules: AtomRule[] = [
  {
    name: "holiday",
    pattern: /(?:“|")?(元旦|春节|除夕|元宵|清明|劳动节|五一|端午|中秋|国庆|十一)(?:”|")?(?:节|假期|长假|黄金周)?(期间|假期|长假|黄金周)?(?![0-9个月日号])/g,
    build(m) {
      const key = m[1]!;
      // 十一 and 五一 are also plain numbers: only with quotes or a holiday word.
      if ((key === "十一" || key === "五一") && !/[“"]|节|假|黄金周|期间/.test(m[0])) return null;
      const f = FESTIVALS[key]!;
      const during = m[2] !== undefined || /假期|长假|黄金周/.test(m[0]);
      return {
        kind: during ? "span" : "point",
        type: "date",
        yearless: true,
        at: (y) => {
          const day = f.day(y);
          return during ? holidayBlock(day, f.name) : { start: day, end: day };
        },
        before: (y) => addDays(holidayBlock(f.day(y), f.name).start, -1),
      };
    },
  },
];
