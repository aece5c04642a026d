/**
 * Character fallback for everyday words the corpus never uses. A question's word that occurs in
 * no indexed chunk (a colloquial compound such as 运走 or 批文, an IME typo such as 规责 for 规则)
 * matches nothing in BM25 (its bigrams are unknown too) and only adds noise to the hashing vector,
 * although its characters often carry the documents' meaning: 批文 ~ 批准文件, 规责 ~ 保价规则,
 * 运走 ~ 运输. So after ranking, each candidate gains
 *
 *   weight × (best score) × mean over the unknown words of (share of the word's characters it contains),
 *
 * counting only characters rare in the corpus (in fewer than RARE_CHAR_SHARE of the chunks: 的, 不,
 * 人 say nothing). Known words are left to BM25 and the thesaurus; place names to scope.ts.
 * Measured (embedded default, hybrid recall@1 / @5, weight 0 → 0.2): shared dev .667/.917 → .676/.927,
 * ask-dev .595/.935 → .624/.940, ask-test (old test set, now dev) .449/.709 → .479/.714, the old sets
 * unchanged at @5. No library ranks by the characters of out-of-vocabulary words, hence this module.
 */
import { BIGRAM_PREFIX, cjkNgrams, fold, getJieba, words } from "../index/tokenize.js";
import type { LoadedIndex } from "./loaded-index.js";
import { inSense, thesaurus } from "./query-expansion.js";

/** Share of the best score a candidate gains when it holds every rare character of the unknown words (chosen on dev). */
export const CHAR_FALLBACK_WEIGHT = 0.2;
/** A character in at least this share of the chunks carries no meaning of its own here. */
export const RARE_CHAR_SHARE = 0.2;

const CJK_WORD = /^[\u3400-\u4dbf\u4e00-\u9fff]{2,}$/u;
/**
 * jieba tags of words that carry content: nouns except place names (ns), verbs, adjectives, and
 * "" (the postal dictionary's words, and compounds jieba does not know, which tag as several words).
 */
const CONTENT_TAG = /^(?:n(?!s)\w*|v\w*|a\w*|)$/;

type CorpusView = Pick<LoadedIndex, "bm25" | "chunkById">;

/** At most this many chunks, evenly spaced in index order, give the character shares (bounded at open for 1M chunks). */
export const CHAR_SAMPLE = 4000;

const charShares = new WeakMap<object, Map<string, number>>();
/**
 * Share of the chunks that contain each character, computed once per loaded index, and only when a
 * question has an unknown word: from every chunk of a small index, from an evenly spaced sample of
 * CHAR_SAMPLE chunks of a large one (a share of 20 % needs no exact count).
 */
function charShare(index: Pick<LoadedIndex, "chunkById">): Map<string, number> {
  let m = charShares.get(index);
  if (!m) {
    const counts = new Map<string, number>();
    const step = Math.max(1, Math.ceil(index.chunkById.size / CHAR_SAMPLE));
    let i = 0;
    let sampled = 0;
    for (const id of index.chunkById.keys()) {
      if (i++ % step !== 0) continue;
      const c = index.chunkById.get(id);
      if (!c) continue;
      sampled++;
      for (const ch of new Set(fold(c.text))) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    const n = Math.max(1, sampled);
    m = new Map([...counts].map(([ch, k]) => [ch, k / n]));
    charShares.set(index, m);
  }
  return m;
}

/**
 * Content words of a normalised query (the index's own segmentation, CJK, 2+ characters) that no
 * indexed chunk contains (one of their character bigrams is in no chunk), and that no thesaurus row
 * bridges already (query-expansion.ts).
 */
export function unknownWords(index: Pick<LoadedIndex, "bm25">, normalizedQuery: string): string[] {
  const out = new Set<string>();
  // everyday wordings the thesaurus already bridges in this question ("送货上门" → 投递)
  const bridged = thesaurus()
    .filter((r) => inSense(r, normalizedQuery))
    .flatMap((r) => r.everyday.filter((e) => normalizedQuery.includes(e)));
  for (const w of words(normalizedQuery)) {
    if (!CJK_WORD.test(w) || out.has(w) || bridged.some((e) => e.includes(w) || w.includes(e))) continue;
    const tagged = getJieba().tag(w, false);
    if (!CONTENT_TAG.test(tagged.length === 1 ? tagged[0]!.tag : "")) continue;
    if (cjkNgrams(w, 2).some((b) => index.bm25.postings(BIGRAM_PREFIX + b).length === 0)) out.add(w);
  }
  return [...out];
}

/** Re-scores a ranking (higher is better) by the rare characters of the query's unknown words; ties keep their order. */
export function applyCharFallback<T extends { id: string; score: number }>(
  ranked: readonly T[],
  normalizedQuery: string,
  index: CorpusView,
  weight = CHAR_FALLBACK_WEIGHT,
): T[] {
  if (!(weight > 0) || !ranked.length) return [...ranked];
  const found = unknownWords(index, normalizedQuery);
  if (!found.length) return [...ranked];
  const share = charShare(index);
  const unknown = found
    .map((w) => ({
      length: Array.from(w).length,
      rare: [...new Set(w)].filter((ch) => (share.get(ch) ?? 0) < RARE_CHAR_SHARE),
    }))
    .filter((u) => u.rare.length);
  if (!unknown.length) return [...ranked];
  const best = Math.max(0, ranked[0]!.score);
  const out = ranked.map((hit, i) => {
    const text = fold(index.chunkById.get(hit.id)?.text ?? "");
    let held = 0;
    for (const u of unknown) held += u.rare.filter((ch) => text.includes(ch)).length / u.length;
    return { hit, i, score: hit.score + weight * best * (held / unknown.length) };
  });
  return out.sort((a, b) => b.score - a.score || a.i - b.i).map(({ hit, score }) => ({ ...hit, score }));
}
