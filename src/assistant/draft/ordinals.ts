/**
 * Enumerated points: 一要/二要/三要 or 一是/二是/三是 in the house style; notes may number them
 * 1. / 1、/ (1) / （一）/ 一、/ 一要 / 一是 or use bullets. Helpers to split, strip and check them.
 */
import { parseChineseNumeral, toChineseNumeral } from "../../text/chinese-numerals.js";

export type OrdinalStyle = "要" | "是";

/** A list marker at the start of a line: bullets, 1. 1、 (1) （一） 一、 ①. */
export const LIST_MARKER =
  /^\s*(?:[-*•·●▪◦]|\d{1,2}\s*(?:[.．](?!\d)|[、)）])|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[）)]|[一二三四五六七八九十]{1,3}\s*、|[①-⑳])\s*/;

/** "一要…" / "一是…" at the start of a point. */
const LEAD_ORDINAL = /^\s*([一二三四五六七八九十]{1,3})(要|是)(?![否的])/;

export function isListLine(line: string): boolean {
  return LIST_MARKER.test(line);
}

/** Strip a list marker and/or a leading 一要/一是; report the 要/是 style if one was there. */
export function stripOrdinal(point: string): { text: string; style?: OrdinalStyle } {
  let t = point.replace(LIST_MARKER, "");
  const m = t.match(LEAD_ORDINAL);
  if (m && parseChineseNumeral(m[1]!) !== null) {
    t = t.slice(m[0].length);
    return { text: t.trim(), style: m[2] as OrdinalStyle };
  }
  return { text: t.trim() };
}

/** An ordinal in the draft: 一要, 二是, … at the start of a paragraph or after 。；：，. */
const ORDINAL_IN_TEXT = /(?:^|(?<=[。；;：:，,\n]))\s*([一二三四五六七八九十]{1,3})(要|是)(?![否的])/gm;

/**
 * Split "一要……。二要……。三要……" written inline into its items; null unless it holds at least two
 * consecutive ordinals starting from 一 in one style.
 */
export function splitInlineOrdinals(text: string): { lead: string; items: string[]; style: OrdinalStyle } | null {
  const hits = [...text.matchAll(ORDINAL_IN_TEXT)];
  const run: RegExpMatchArray[] = [];
  for (const h of hits) {
    const n = parseChineseNumeral(h[1]!);
    if (n === run.length + 1 && (run.length === 0 || h[2] === run[0]![2])) run.push(h);
  }
  if (run.length < 2) return null;
  const items = run.map((h, i) => {
    const start = (h.index ?? 0) + h[0].length;
    const end = i + 1 < run.length ? (run[i + 1]!.index ?? text.length) : text.length;
    return text.slice(start, end).trim();
  });
  return { lead: text.slice(0, run[0]!.index ?? 0).trim(), items, style: run[0]![2] as OrdinalStyle };
}

/** 1 → 一要 (style 要) / 一是 (style 是). */
export function ordinal(n: number, style: OrdinalStyle): string {
  return `${toChineseNumeral(n)}${style}`;
}

export interface NumberingCheck {
  /** Every ordinal found, in order. */
  ordinals: string[];
  styles: OrdinalStyle[];
  /** One style throughout and each run counts 一, 二, 三… without gaps (a new run starts at 一). */
  consistent: boolean;
  problems: string[];
}

/** Check the ordinals of a draft: one style, consecutive within each run. */
export function checkNumbering(text: string): NumberingCheck {
  const hits = [...text.matchAll(ORDINAL_IN_TEXT)];
  const problems: string[] = [];
  const styles = [...new Set(hits.map((h) => h[2] as OrdinalStyle))];
  if (styles.length > 1) problems.push(`mixed ordinal styles: ${styles.map((s) => `一${s}`).join(" and ")}`);
  let expected = 1;
  for (const h of hits) {
    const n = parseChineseNumeral(h[1]!) ?? 0;
    if (n === 1) expected = 2;
    else if (n === expected) expected++;
    else {
      problems.push(`${h[1]}${h[2]} follows ${toChineseNumeral(Math.max(expected - 1, 0))}${h[2]}`);
      expected = n + 1;
    }
  }
  return { ordinals: hits.map((h) => `${h[1]}${h[2]}`), styles, consistent: problems.length === 0, problems };
}
