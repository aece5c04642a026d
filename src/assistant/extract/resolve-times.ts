/**
 * Resolve every Chinese time expression in a text against the issue date `ref` (never the clock).
 *
 * Rules live in timex/rules/, one file per concept (absolute dates, periods, relative dates, durations
 * incl. working days, clock times, recurrence); timex/ranges.ts combines them into spans and open ends
 * and infers missing years. We evaluated chrono-node's zh.hans parser (it reads 2024年10月12日, 下周六,
 * 后天, 20天后, 下午3:00) but it misses or misreads most forms a notice uses (2019.9.6, 4月12-19日,
 * 零七年, 上旬, 一季度, 60日内, 工作日, 每月5日前, year inference across the new year), so every form
 * is handled by the rules here and the results are measured by `npm run eval -- timex`.
 */
import { absoluteDateRules } from "./timex/rules/absolute-dates.js";
import { durationRules } from "./timex/rules/durations.js";
import { holidayRules } from "./timex/rules/holidays.js";
import { lunarRules } from "./timex/rules/lunar.js";
import { periodRules } from "./timex/rules/periods.js";
import { recurrenceRules } from "./timex/rules/recurrence.js";
import { relativeRules } from "./timex/rules/relative.js";
import { timeOfDayRules } from "./timex/rules/time-of-day.js";
import { combine, mergeClockTimes, type PlacedAtom } from "./timex/ranges.js";
import type { AtomRule } from "./timex/atom.js";
import type { TimeExpression } from "./types.js";

export const RULES: AtomRule[] = [
  ...absoluteDateRules,
  ...periodRules,
  ...relativeRules,
  ...durationRules,
  ...recurrenceRules,
  ...holidayRules,
  ...lunarRules,
  ...timeOfDayRules,
];

/** Digits and separators folded so the rules see one form: full-width digits, －, ．, ／, ：. */
export function foldForTimex(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[－]/g, "-")
    .replace(/[．]/g, ".")
    .replace(/[／]/g, "/");
}

/** All atoms the rules find, overlapping ones resolved by keeping the longest (then the earliest). */
export function findAtoms(text: string, ref: string): PlacedAtom[] {
  const found: PlacedAtom[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      if (m[0].length === 0) {
        rule.pattern.lastIndex++;
        continue;
      }
      const built = rule.build(m, { ref });
      if (built) found.push({ ...built, index: m.index, length: m[0].length, text: m[0] });
    }
  }
  found.sort((a, b) => b.length - a.length || a.index - b.index);
  const taken: PlacedAtom[] = [];
  for (const a of found) {
    if (taken.every((t) => a.index + a.length <= t.index || t.index + t.length <= a.index)) taken.push(a);
  }
  taken.sort((a, b) => a.index - b.index);
  // An event noun that is itself a time ("春节假期结束后10个工作日内") anchors its duration.
  for (const a of taken) {
    if (a.anchor?.kind !== "event") continue;
    const inner = findAtoms(a.anchor.noun, ref).find(
      (x) => x.type === "date" || x.type === "period" || x.type === "relative",
    );
    if (inner) a.anchor.time = inner;
  }
  return taken;
}

/** Every time expression in `text` (already normalised to simplified characters), resolved against `ref` (YYYY-MM-DD). */
export function resolveTimes(text: string, ref: string): TimeExpression[] {
  const folded = foldForTimex(text);
  return combine(folded, mergeClockTimes(folded, findAtoms(folded, ref)), ref);
}
