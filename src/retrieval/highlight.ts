/**
 * Snippets with the query's terms marked, for readable search output: every span of the text
 * covered by a query word or a query character bigram is marked (so a partial match still
 * shows), and the snippet is the window with the most marked characters.
 */
import { normalizeText } from "../ingest/normalize.js";
import { cjkNgrams, fold, words } from "../index/tokenize.js";

export interface Marks {
  open: string;
  close: string;
}
export const BRACKETS: Marks = { open: "【", close: "】" };
export const ANSI_BOLD: Marks = { open: "\u001b[1m", close: "\u001b[22m" };

/** Query terms worth marking: words of ≥ 2 characters, ASCII words and numbers, CJK bigrams. */
export function highlightTerms(query: string): string[] {
  const q = normalizeText(query);
  const terms = new Set<string>();
  for (const w of words(q)) if (Array.from(w).length >= 2 || /^[a-z0-9]+$/.test(w)) terms.add(w);
  for (const b of cjkNgrams(q, 2)) terms.add(b);
  return [...terms];
}

/** A snippet of at most `width` characters around the best-matching window, with matches marked. */
export function snippet(text: string, query: string, options: { width?: number; marks?: Marks } = {}): string {
  const width = options.width ?? 120;
  const marks = options.marks ?? BRACKETS;
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  const hay = Array.from(fold(chars.join("")));
  const folded = hay.length === chars.length ? hay.join("") : chars.join("");
  const hit = new Uint8Array(chars.length);
  for (const t of highlightTerms(query)) {
    const tl = Array.from(t).length;
    let from = 0;
    for (;;) {
      const i = folded.indexOf(t, from);
      if (i < 0) break;
      // indexOf counts UTF-16 units; the corpus is BMP text, where units and characters coincide
      for (let j = i; j < i + tl && j < hit.length; j++) hit[j] = 1;
      from = i + 1;
    }
  }
  let start = 0;
  if (chars.length > width) {
    let best = -1;
    let sum = 0;
    for (let i = 0; i < chars.length; i++) {
      sum += hit[i]!;
      if (i >= width) sum -= hit[i - width]!;
      if (i >= width - 1 && sum > best) {
        best = sum;
        start = i - width + 1;
      }
    }
    // begin a little before the first match in the window, for context
    const first = hit.indexOf(1, start);
    if (first >= 0 && first - start > 20) start = Math.max(0, first - 20);
    start = Math.min(start, chars.length - width);
  }
  const end = Math.min(chars.length, start + width);
  let out = start > 0 ? "…" : "";
  for (let i = start; i < end; i++) {
    if (hit[i] && (i === start || !hit[i - 1])) out += marks.open;
    out += chars[i];
    if (hit[i] && (i === end - 1 || !hit[i + 1])) out += marks.close;
  }
  return out + (end < chars.length ? "…" : "");
}
