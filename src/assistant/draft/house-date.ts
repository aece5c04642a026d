/**
 * Dates in notes and drafts. Notes write dates in many ways (2015年9月29日, 2015-09-29, 2015.9.29,
 * 9月29日, 9.29, 九月二十九日); the house style of the bulletins is 9月29日 (month and day, Arabic
 * numerals, no year).
 */
import { CN_NUMERAL_CHARS, parseChineseNumeral } from "../../text/chinese-numerals.js";

export interface DateMention {
  /** The date as written. */
  text: string;
  index: number;
  year?: number;
  month: number;
  day: number;
}

const CN = `[${CN_NUMERAL_CHARS}]`;
const PATTERNS: RegExp[] = [
  // 2015年9月29日 / 9月29日 / 9月29号
  /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g,
  // 2015-09-29, 2015/9/29, 2015.9.29
  /(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])/g,
  // 二〇一五年九月二十九日 / 九月二十九日
  new RegExp(`(?:(${CN}{4})年)?(${CN}{1,2})月(${CN}{1,3})[日号]`, "g"),
];
/** 9.29 or 9/29 (month.day without year): only where a date is expected (a 时间: line, a line start). */
const SHORT = /(?<![\d.])(\d{1,2})[./](\d{1,2})(?![\d.%‰])/g;

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  return /^\d+$/.test(s) ? Number(s) : (parseChineseNumeral(s) ?? undefined);
}

function valid(m: number | undefined, d: number | undefined): boolean {
  return m !== undefined && d !== undefined && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** Every full date (month and day) in `text`, in order of appearance. */
export function findDates(text: string, options: { allowShort?: boolean } = {}): DateMention[] {
  const out: DateMention[] = [];
  const taken: [number, number][] = [];
  const overlaps = (a: number, b: number) => taken.some(([x, y]) => a < y && b > x);
  const patterns = options.allowShort ? [...PATTERNS, SHORT] : PATTERNS;
  for (const re of patterns) {
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const short = re === SHORT;
      const year = short ? undefined : num(m[1]);
      const month = num(short ? m[1] : m[2]);
      const day = num(short ? m[2] : m[3]);
      if (!valid(month, day)) continue;
      taken.push([start, end]);
      out.push({ text: m[0], index: start, ...(year ? { year } : {}), month: month!, day: day! });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** House style: 9月29日; a span: 9月28日至29日, 9月30日至10月2日. */
export function houseDate(d: { month: number; day: number; end?: { month: number; day: number } }): string {
  const start = `${d.month}月${d.day}日`;
  if (!d.end) return start;
  return `${start}至${d.end.month === d.month ? "" : `${d.end.month}月`}${d.end.day}日`;
}

/** The end of a span right after a date: "至29日", "-10月2日". */
export function spanEnd(
  after: string,
  start: { month: number; day: number },
): { month: number; day: number } | undefined {
  const m = after.match(/^\s*[至到—\-~～]\s*(?:(\d{1,2})\s*月)?\s*(\d{1,2})\s*[日号]/);
  if (!m) return undefined;
  const end = { month: m[1] ? Number(m[1]) : start.month, day: Number(m[2]) };
  const later = end.month > start.month || (end.month === start.month && end.day > start.day);
  return valid(end.month, end.day) && later ? end : undefined;
}
