/**
 * Text normalisation shared by documents AND queries, so both sides of a match look alike:
 *
 * 1. inline pinyin annotations after a CJK character are dropped (`發(fā)` → `發`, `戰（zhàn）` → `戰`);
 * 2. full-width ASCII letters, digits and ASCII-like symbols are folded (`ＡＢＣ１２３` → `ABC123`),
 *    while Chinese punctuation (，。：；！？（）“”、) is kept as published;
 * 3. traditional characters become simplified (opencc-js, "t" → "cn");
 * 4. whitespace: `\r` stripped, zero-width characters removed, NBSP / ideographic space / tabs and
 *    runs of spaces collapse to one space, lines are trimmed, runs of blank lines collapse to one.
 *
 * The pinyin and width rules are hand-written regexes: no library strips romanisation glosses that a
 * web CMS injected into Chinese text, and the width fold must keep Chinese punctuation, which a
 * plain NFKC would turn into ASCII.
 */
import * as OpenCC from "opencc-js/t2cn";

/** Built once: constructing an opencc-js converter loads its dictionaries and is slow. */
const t2s: (s: string) => string = OpenCC.Converter({ from: "t", to: "cn" });

/** Any CJK ideograph (unified, extension A, compatibility). */
const CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
/** Vowels carrying a tone mark, ü and its toned forms, and toned m/n (ḿ, ń, ň, ǹ). */
const TONED = "āáǎàēéěèêīíǐìōóǒòūúǔùüǖǘǚǜḿńňǹ";
const PINYIN_LETTERS = `a-zA-Z${TONED}`;

/**
 * A parenthesised romanisation right after a CJK character: lower-case latin letters (optionally a few
 * space-separated syllables) containing at least one tone mark or ü, in ASCII or full-width parentheses.
 * Requiring a tone mark keeps ordinary parentheses such as `(以下统称快件)`, `(一)`, `(WeChat)` intact.
 */
const PINYIN_RE = new RegExp(
  `(?<=[${CJK}])\\s?[(（]\\s*(?=[${PINYIN_LETTERS} ]{0,24}[${TONED}])[${PINYIN_LETTERS}]{1,7}(?: [${PINYIN_LETTERS}]{1,7}){0,3}\\s*[)）]`,
  "gu",
);

/** One pinyin syllable: optional initial, 1–4 vowels (toned or not), optional -n/-ng/-r final. */
const SYLLABLE = new RegExp(`^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv${TONED}]{1,4}(?:ng|n|r)?$`, "iu");
/** Bare toned nasal syllables (ḿ, ń, ň, ǹ, hm, hng …). */
const NASAL = new RegExp(`^h?[mn${TONED}]g?$`, "iu");

/** Remove inline pinyin annotations (`戰(zhàn)` → `戰`); everything else is left untouched. */
export function stripPinyin(s: string): string {
  return s.replace(PINYIN_RE, (m) => {
    // Keep look-alikes that are not pinyin syllables, e.g. `咖啡(café)`.
    const words = m
      .replace(/[\s(（)）]/g, " ")
      .trim()
      .split(/\s+/);
    return words.every((w) => SYLLABLE.test(w) || NASAL.test(w)) ? "" : m;
  });
}

/** Traditional → simplified (mainland) characters. */
export function toSimplified(s: string): string {
  return t2s(s);
}

/**
 * Full-width forms (U+FF01..U+FF5E) that are folded to ASCII: letters, digits and symbols that have no
 * role as Chinese punctuation. Kept: ！（），：；？ (and the CJK punctuation outside this block).
 */
const KEEP_FULLWIDTH = new Set(["！", "（", "）", "，", "：", "；", "？"]);

/** Fold full-width ASCII letters/digits/symbols to ASCII; keep Chinese punctuation. */
export function foldWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/gu, (ch) =>
    KEEP_FULLWIDTH.has(ch) ? ch : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** Collapse whitespace but keep line structure (one blank line at most between paragraphs). */
export function normalizeWhitespace(s: string): string {
  return s
    .replace(/\r\n?/g, "\n")
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/[\t\v\f \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The one normalisation for documents and queries (see the module comment). */
export function normalizeText(s: string): string {
  return normalizeWhitespace(toSimplified(foldWidth(stripPinyin(s))));
}
