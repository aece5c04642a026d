/**
 * Chinese numerals, both ways, for the small numbers bulletins use (ordinals 一要…十要, counts such as
 * 五个特点, 七十周年, 二〇一五年). Hand-written: the numbers involved are tiny and the libraries that
 * exist (e.g. nzh) would be a dependency for thirty lines.
 */

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

export const CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿";

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (ordinals and small counts). */
export function toChineseNumeral(n: number): string {
  const d = "零一二三四五六七八九";
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a small whole number: ${n}`);
  if (n < 10) return d[n]!;
  if (n < 20) return `十${n % 10 ? d[n % 10] : ""}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ""}`;
  return String(n);
}

/**
 * 七十 → 70, 二〇一五 → 2015, 两千 → 2000, 三万 → 30000; null when `s` is not a numeral.
 * A run of bare digits without units (二〇一五) is read digit by digit.
 */
export function parseChineseNumeral(s: string): number | null {
  if (!s || [...s].some((c) => !(c in DIGITS) && !(c in UNITS) && !(c in BIG))) return null;
  if ([...s].every((c) => c in DIGITS) && s.length > 1) return Number([...s].map((c) => DIGITS[c]).join(""));
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of s) {
    if (c in DIGITS) digit = DIGITS[c]!;
    else if (c in UNITS) {
      section += (digit ?? 1) * UNITS[c]!;
      digit = null;
    } else {
      section += digit ?? 0;
      total += (section || 1) * BIG[c]!;
      section = 0;
      digit = null;
    }
  }
  return total + section + (digit ?? 0);
}
