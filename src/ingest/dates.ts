/**
 * Date strings as they appear in Chinese official documents → YYYY-MM-DD.
 * Accepts 2014-08-27, 2014/8/27, 2014.08.27, 2014年8月27日 and 二〇二四年十月十二日 (full-width digits
 * are folded by normalizeText before this is called, but are folded here too).
 */
import { isNumeralDigit, parseChineseNumeral } from "../text/chinese-numerals.js";

/** 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23, 三十一 → 31; plain digits too (one or two characters' worth: up to 99). */
export function cnSmall(s: string): number | null {
  if ([...s].length > 3) return null;
  const n = parseChineseNumeral(s);
  return n !== null && n <= 99 ? n : null;
}

/** A four-digit year, in Arabic or Chinese digits (二〇二四). */
function cnYear(s: string): number | null {
  const chars = [...s];
  if (chars.length !== 4 || !chars.every(isNumeralDigit)) return null;
  return parseChineseNumeral(s);
}

function fold(s: string): string {
  return s.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Build YYYY-MM-DD when the parts form a real calendar date. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

const NUMERIC = /(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})/;
const CN_DATE =
  /([\d〇零○一二三四五六七八九]{4})\s*年\s*([\d一二三十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日/;

/** Parse the first date found in `s`; null when there is none. */
export function parseDate(s: string): string | null {
  const t = fold(s);
  const cn = CN_DATE.exec(t);
  const num = NUMERIC.exec(t);
  // Take whichever occurs first.
  if (cn && (!num || cn.index <= num.index)) {
    const y = cnYear(cn[1]!);
    const m = cnSmall(cn[2]!);
    const d = cnSmall(cn[3]!);
    if (y !== null && m !== null && d !== null) return isoDate(y, m, d);
  }
  if (num) return isoDate(Number(num[1]), Number(num[2]), Number(num[3]));
  return null;
}

/** Does the whole (trimmed) string consist of one date, as a signature line does? */
export function isDateOnlyLine(s: string): boolean {
  const t = fold(s).trim();
  return (
    (new RegExp(`^${CN_DATE.source}$`).test(t) || new RegExp(`^${NUMERIC.source}$`).test(t)) && parseDate(t) !== null
  );
}
