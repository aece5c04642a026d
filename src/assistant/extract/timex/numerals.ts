/**
 * Chinese and Arabic numerals as they appear in dates: 12, 十二, 二十九, 三十一, 〇七, 二〇二四, 两, 正(月).
 * Hand-written: no maintained npm package parses the positional (二〇二四) and the decimal (二十九) forms
 * together, and the grammar is a dozen lines.
 */
const DIGITS: Record<string, number> = {
  "〇": 0, "零": 0, "○": 0, "О": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
};
const UNITS: Record<string, number> = { "十": 10, "百": 100, "千": 1000 };

/** Character class (for regexes) of the characters a numeral may be made of. */
export const NUM_CHARS = "0-9〇零○一二两三四五六七八九十百千";

/** Parse a numeral (digits, decimal Chinese 二十九, positional Chinese 二〇〇六); NaN if it is none. */
export function parseNumeral(s: string): number {
  const t = s.trim();
  if (!t) return NaN;
  if (/^[0-9]+$/.test(t)) return Number(t);
  if (t === "正") return 1; // 正月
  if (t === "半") return 0.5;
  // Positional: every character a digit (二〇〇六, 零七).
  if ([...t].every((c) => c in DIGITS)) return Number([...t].map((c) => DIGITS[c]).join(""));
  let total = 0;
  let current = 0;
  for (const c of t) {
    if (c in DIGITS) current = DIGITS[c]!;
    else if (c in UNITS) {
      total += (current || 1) * UNITS[c]!;
      current = 0;
    } else if (/[0-9]/.test(c)) current = current * 10 + Number(c);
    else return NaN;
  }
  return total + current;
}

/** A year written with two or four digits: 07 / 零七 → 2007, 98 → 1998, 二〇〇六 → 2006. */
export function parseYear(s: string): number {
  const n = parseNumeral(s);
  if (Number.isNaN(n)) return NaN;
  const digits = [...s.trim()].length;
  if (digits <= 2) return n >= 50 ? 1900 + n : 2000 + n;
  return n;
}
