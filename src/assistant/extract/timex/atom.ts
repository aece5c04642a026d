/**
 * An atom is one time expression recognised by a rule before ranges and open ends are combined
 * (ranges.ts). It knows how to resolve itself once the year is known: expressions without a year
 * (11月30日, 上半年) get theirs from the notice's issue date (see ranges.ts, `pickYear`).
 */
import type { TimeKind } from "../types.js";

export interface Interval {
  /** YYYY-MM-DD or YYYY-MM-DDTHH:mm. */
  start: string;
  end: string;
}

export interface AtomContext {
  /** The notice's issue date, YYYY-MM-DD. */
  ref: string;
}

export interface Atom {
  index: number;
  length: number;
  /** Default kind when the atom stands alone. */
  kind: TimeKind;
  /** True when the expression carries no year and `at` needs one. */
  yearless: boolean;
  /** The interval for a given year (ignored when the atom has its own year). */
  at(year: number): Interval;
  /** What sort of expression this is; ranges.ts decides what may combine with what. */
  type: "date" | "period" | "relative" | "duration" | "time" | "recurring" | "from-now";
  /** For recurring atoms: an RFC 5545 RRULE (without the "RRULE:" prefix). */
  recurrence?: string;
  /** For durations counted from another event ("会议结束后5个工作日内"): the event noun and how to add. */
  anchor?: {
    /** event: "会议结束后"; receipt: "收到申诉后" (per case unless it is this notice); holiday: "节后". */
    kind: "event" | "receipt" | "holiday";
    noun: string;
    add: (from: string) => string;
    /** The anchor noun read as a time itself ("春节假期结束后"), filled in by resolve-times.ts. */
    time?: Atom;
  };
  /** The last day before the expression, when "X前" means before X starts (春节前), for a given year. */
  before?(year: number): string;
  /** For durations: add the duration to a start date (used when the start is another time in the notice). */
  shift?: (from: string) => string;
  /** For atoms whose missing part is not the year (a bare 30日: which month): the interval for a reading mode. */
  choose?(mode: "near" | "forward" | "back"): Interval;
  /** For a part of the day (上午, 白天): whether it stands for a time without a day before it. */
  partOfDay?: { standalone: boolean };
  /** Characters at the start of the match that are not part of the expression. */
  skip?: number;
}

/** A rule recognises atoms in the (normalised) text. */
export interface AtomRule {
  name: string;
  /** Must have the global flag. */
  pattern: RegExp;
  build(m: RegExpExecArray, ctx: AtomContext): Omit<Atom, "index" | "length"> | null;
}

/**
 * `yearless` and `at` of an atom whose year may be written (`year`) or not: `at` resolves with the
 * written year when there is one, else with the year it is given.
 */
export function yearOptional(year: number | undefined, at: (year: number) => Interval): Pick<Atom, "yearless" | "at"> {
  return { yearless: year === undefined, at: (y) => at(year ?? y) };
}
