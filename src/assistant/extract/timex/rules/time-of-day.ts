/**
 * Clock times: 17时, 下午3:00, 上午9时30分, 24时 (= the end of that day). Own rules: chrono-node's zh
 * parser reads 下午3:00 but not 24时 as the end of the day, nor the 时/分 forms inside longer dates.
 */
import { parseNumeral } from "../numerals.js";
import { AMPM, RANGE_SEP, TIME } from "../patterns.js";
import type { AtomRule } from "../atom.js";

/** The 5 capture groups of TIME → "HH:mm", "24:00" (end of day), or null when absent/invalid. */
export function clockFrom(groups: (string | undefined)[]): string | null {
  const [ampm, hourS, colonMin, unitMin, extra] = groups;
  if (hourS === undefined) return null;
  let h = parseNumeral(hourS);
  const quarter = extra && /刻/.test(extra) ? parseNumeral(extra.replace(/刻.*$/, "")) : NaN;
  let min =
    colonMin !== undefined
      ? Number(colonMin)
      : unitMin !== undefined
        ? parseNumeral(unitMin)
        : extra === "半"
          ? 30
          : quarter >= 1
            ? 15 * quarter
            : 0;
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

/** Parts of the day as spans of clock time (JioNLP's readings where it has one: 早上 6–10, 上午 7–12, 白天 6–19, 午后 13–15). */
export const DAY_PARTS: Record<string, [string, string]> = {
  凌晨: ["00:00", "05:59"],
  早上: ["06:00", "09:59"],
  早晨: ["06:00", "09:59"],
  清晨: ["06:00", "09:59"],
  上午: ["07:00", "11:59"],
  中午: ["11:00", "13:59"],
  午后: ["13:00", "14:59"],
  下午: ["13:00", "17:59"],
  傍晚: ["17:00", "18:59"],
  晚上: ["18:00", "23:59"],
  晚间: ["18:00", "23:59"],
  晚: ["18:00", "23:59"],
  夜间: ["20:00", "23:59"],
  夜里: ["20:00", "23:59"],
  白天: ["06:00", "18:59"],
  午夜: ["00:00", "00:00"],
};
/** Parts of the day that stand for a time on their own; the others only after a day (周二早上, 次日上午). */
const STANDALONE_PARTS = /^(?:白天|午后|午夜|全天)$/;

/** A clock time on its own: that time on the issue date. */
export const timeOfDayRules: AtomRule[] = [
  {
    // 9~12点半, 9:30~11:30, 中午12：00—14:00, 晚上9~11点, 早上8点到中午12点, 0时至18时三刻: one span of clock time.
    name: "clock-range",
    pattern: new RegExp(
      `(?:(${AMPM})\\s*)?([01]?[0-9]|2[0-4])(?:[:：]([0-5][0-9])|[时点](?:钟)?(半)?)?\\s*${RANGE_SEP}\\s*${TIME}`,
      "g",
    ),
    build(m, ctx) {
      const [, ampm1, h1, min1, half1] = m;
      const second = m.slice(5, 10);
      const end = clockFrom([second[0] ?? ampm1, ...second.slice(1)]);
      const start = clockFrom([ampm1, h1, min1, undefined, half1]);
      if (!start || !end) return null;
      // "9~12点" needs 点/时 or a colon somewhere; "3-5" alone is a count range.
      if (!/[:：点时]/.test(m[0])) return null;
      let s = start;
      // 晚上9~11点: the first hour takes the second's half of the day.
      if (
        !ampm1 &&
        second[0] &&
        Number(s.slice(0, 2)) < 12 &&
        Number(end.slice(0, 2)) >= 12 &&
        Number(s.slice(0, 2)) + 12 <= Number(end.slice(0, 2))
      )
        s = `${String(Number(s.slice(0, 2)) + 12).padStart(2, "0")}${s.slice(2)}`;
      const e = end === "24:00" ? "23:59" : end;
      if (e < s) return null;
      return {
        kind: "span",
        type: "time",
        yearless: false,
        at: () => ({ start: `${ctx.ref}T${s}`, end: `${ctx.ref}T${e}` }),
      };
    },
  },
  {
    // 早上, 上午, 白天, 午后 …: a part of the day (kept alone only for 白天/午后/午夜/全天; otherwise joined to a day).
    name: "day-part",
    pattern: new RegExp(
      `(?:${Object.keys(DAY_PARTS)
        .sort((a, b) => b.length - a.length)
        .join("|")}|全天)(?![0-9一二三四五六七八九十零]|\\s*[0-9])`,
      "g",
    ),
    build(m, ctx) {
      // 晚 alone is a part of the day only right after a day (周一晚); 晚于, 晚会 are words.
      if (m[0] === "晚" && !/^(?:$|[，,。；;、\s）)])/.test(m.input.slice(m.index + 1, m.index + 2))) return null;
      if (m[0] === "全天")
        return {
          kind: "point",
          type: "time",
          yearless: false,
          partOfDay: { standalone: true },
          at: () => ({ start: ctx.ref, end: ctx.ref }),
        };
      const [a, b] = DAY_PARTS[m[0]]!;
      return {
        kind: a === b ? "point" : "span",
        type: "time",
        yearless: false,
        partOfDay: { standalone: STANDALONE_PARTS.test(m[0]) },
        at: () => ({ start: `${ctx.ref}T${a}`, end: `${ctx.ref}T${b}` }),
      };
    },
  },
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
