/**
 * Chinese numerals for the whole project (one digit table): dates (二〇二四年, 两千零二十四年, 十二月三十一日,
 * 廿二), ordinals (第十二条, 一要…十要), counts (五个工作日, 七十周年, 三万件), in Arabic, Chinese or mixed (3万)
 * digits, including the financial forms (壹贰叁) and the zeros typed as 〇/○/O. A leaf module: no imports.
 *
 * Hand-written: the positional (二〇一五) and decimal (二十九) readings together, plus 廿/卅 and 两, are a
 * few dozen lines; the npm packages we looked at (nzh, chinese-numbers-converter) read one or the other.
 */

const DIGITS: Record<string, number> = {
  "0": 0,
  "1": 1,
  "2": 2,
  "3": 3,
  "4": 4,
  "5": 5,
  "6": 6,
  "7": 7,
  "8": 8,
  "9": 9,
  〇: 0,
  零: 0,
  "○": 0,
  О: 0,
  Ｏ: 0,
  O: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };
/** 廿 = 二十, 卅 = 三十 (lunar days: 廿二). */
const TENS: Record<string, number> = { 廿: 20, 卅: 30 };

/** Character class (for regexes) of the Chinese characters a numeral is made of (Arabic digits not included). */
export const CN_NUMERAL_CHARS = "〇零○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿卅";

/** Is the character a digit (Arabic or Chinese) of a numeral? */
export const isNumeralDigit = (c: string): boolean => c in DIGITS;

/**
 * Parse a whole-number numeral; null when `s` is not one.
 * - Arabic digits: "2024" → 2024; mixed with big units: "3万" → 30000;
 * - positional, every character a digit (two or more): 二〇一五 → 2015, 零七 → 7, 九零 → 90;
 * - decimal with units: 十二 → 12, 二十九 → 29, 一百零五 → 105, 两千零二十四 → 2024, 三万 → 30000, 廿二 → 22.
 */
export function parseChineseNumeral(input: string): number | null {
  const s = input.trim();
  if (!s) return null;
  const chars = [...s];
  if (chars.some((c) => !(c in DIGITS) && !(c in UNITS) && !(c in BIG) && !(c in TENS))) return null;
  if (chars.every((c) => c in DIGITS)) return Number(chars.map((c) => DIGITS[c]).join(""));
  let total = 0;
  let section = 0;
  let digits: number | null = null; // a run of digits (Arabic "12万" reads 12)
  for (const c of chars) {
    if (c in DIGITS) digits = digits === null || !/[0-9]/.test(c) ? DIGITS[c]! : digits * 10 + DIGITS[c]!;
    else if (c in TENS) {
      section += TENS[c]!;
      digits = null;
    } else if (c in UNITS) {
      section += (digits ?? 1) * UNITS[c]!;
      digits = null;
    } else {
      section += digits ?? 0;
      total += (section || 1) * BIG[c]!;
      section = 0;
      digits = null;
    }
  }
  return total + section + (digits ?? 0);
}

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (ordinals and small counts); 100 and more in Arabic digits. */
export function toChineseNumeral(n: number): string {
  const d = "零一二三四五六七八九";
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a small whole number: ${n}`);
  if (n < 10) return d[n]!;
  if (n < 20) return `十${n % 10 ? d[n % 10] : ""}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ""}`;
  return String(n);
}
