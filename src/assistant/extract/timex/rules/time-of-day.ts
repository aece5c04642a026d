/**
 * Clock times: 17时, 下午3:00, 上午9时30分, 24时 (= the end of that day). Own rules: chrono-node's zh
 * parser reads 下午3:00 but not 24时 as the end of the day, nor the 时/分 forms inside longer dates.
 */
import { parseNumeral } from "../numerals.js";
import { TIME } from "../patterns.js";
import type { AtomRule } from "../atom.js";

/** The 5 capture groups of TIME → "HH:mm", "24:00" (end of day), or null when absent/invalid. */
export function clockFrom(groups: (string | undefined)[]): string | null {
  const [ampm, hourS, colonMin, unitMin, extra] = groups;
  if (hourS === undefined) return null;
  let h = parseNumeral(hourS);
  const quarter = extra && /刻/.test(extra) ? parseNumeral(extra.replace(/刻.*$/, "")) : NaN;
  let min = colonMin !== undefined ? Number(colonMin) : unitMin !== undefined ? parseNumeral(unitMin) : extra === "半" ? 30 : quarter >= 1 ? 15 * quarter : 0;
  if (Number.isNaN(h) || Number.isNaN(min) || h > 24 || min > 59) return null;
  if (ampm && /下午|晚上|傍晚|晚间|午后|^晚$/.test(ampm) && h < 12) h += 12;
  // 半夜/深夜/夜里/夜间 11点 is 23:00, 1点 is 01:00.
  if (ampm && /夜/.test(ampm) && h >= 6 && h < 12) h += 12;
  if (ampm === "中午" && h < 6) h += 12;
  if (h === 24 && min > 0) return null;
  min = Math.round(min);
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

/** Attach a clock time to a date. 24:00 means the end of that day, which a bare date already says. */
export function withClock(date: string, clock: string | null): string {
  if (!clock || clock === "24:00") return date;
  return `${date}T${clock}`;
}

/** A clock time on its own: that time on the issue date. */
export const timeOfDayRules: AtomRule[] = [
  {
    name: "clock",
    pattern: new RegExp(TIME, "g"),
    build(m, ctx) {
      // A bare Chinese numeral + 点 is usually a count ("三点要求"); require digits or an am/pm word.
      if (!m[1] && /[点]/.test(m[0]) && !/^[0-9]/.test(m[2] ?? "")) return null;
      if (!m[1] && !/[0-9]/.test(m[2] ?? "") && !/时/.test(m[0])) return null;
      // 零时 alone is too easily part of a word; it is read after a date (absolute-dates.ts).
      if (m[2] === "零" && !m[1]) return null;
      const clock = clockFrom(m.slice(1, 6));
      if (!clock) return null;
      const at = withClock(ctx.ref, clock);
      return { kind: "point", type: "time", yearless: false, at: () => ({ start: at, end: at }) };
    },
  },
];
