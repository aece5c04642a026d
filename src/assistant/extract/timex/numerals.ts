/**
 * Numerals as dates use them, on top of the project's one Chinese-numeral parser (src/text/chinese-numerals.ts):
 * 正(月) = 1, 半 = 0.5, and two-digit years (零七年 → 2007, 98年 → 1998).
 */
import { CN_NUMERAL_CHARS, parseChineseNumeral } from "../../../text/chinese-numerals.js";

/** Character class (for regexes) of the characters a numeral may be made of. */
export const NUM_CHARS = `0-9${CN_NUMERAL_CHARS}`;

/** Parse a numeral (digits, decimal Chinese 二十九, positional Chinese 二〇〇六, 正, 半); NaN if it is none. */
export function parseNumeral(s: string): number {
  const t = s.trim();
  if (t === "正") return 1; // 正月
  if (t === "半") return 0.5;
  return parseChineseNumeral(t) ?? NaN;
}

/** A year written with two or four digits: 07 / 零七 → 2007, 98 → 1998, 二〇〇六 → 2006. */
export function parseYear(s: string): number {
  const n = parseNumeral(s);
  if (Number.isNaN(n)) return NaN;
  const digits = [...s.trim()].length;
  if (digits <= 2) return n >= 50 ? 1900 + n : 2000 + n;
  return n;
}
