/**
 * Rank fusion and the per-document cap, in one place: the hybrid retriever fuses its keyword and
 * vector lists here, and ask fuses the lists of its several queries here.
 */

/**
 * Reciprocal-rank fusion (Cormack et al. 2009) of ranked lists (best first): score(d) =
 * Σ_lists w_i / (k + rank_i(d)). Needs no score calibration between lists (BM25 and cosine differ
 * in scale). `weights[i]` scales list i (default 1); `idOf` names an item (default `item.id`).
 * Ties keep the id order, so the result is deterministic.
 */
export function reciprocalRankFusion<T>(
  lists: readonly (readonly T[])[],
  k = DEFAULT_RRF_K,
  weights: readonly number[] = [],
  idOf: (item: T) => string = (item) => (item as { id: string }).id,
): { id: string; score: number; item: T }[] {
  const fused = new Map<string, { id: string; score: number; item: T }>();
  lists.forEach((list, li) => {
    const w = weights[li] ?? 1;
    list.forEach((item, rank) => {
      const id = idOf(item);
      const f = fused.get(id);
      if (f) f.score += w / (k + rank + 1);
      else fused.set(id, { id, score: w / (k + rank + 1), item });
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const DEFAULT_RRF_K = 60;

/** Default share of the best score above which the per-document cap does not cut (measured on dev). */
export const DEFAULT_KEEP_ABOVE = 0.6;

/** Keeps ranking order, dropping hits beyond the per-document cap (see PerDocCap), until `k` are kept. */
export function limitPerDoc<T>(
  hits: readonly T[],
  docOf: (hit: T) => string,
  maxPerDoc: number,
  k: number,
  adapt: { keepAbove?: number; scoreOf?: (hit: T) => number } = {},
): T[] {
  const perDoc = new Map<string, number>();
  const out: T[] = [];
  const scoreOf = adapt.scoreOf ?? ((h: T) => (h as { score?: number }).score ?? 0);
  const best = hits.length ? scoreOf(hits[0]!) : 0;
  const bar = adapt.keepAbove && best > 0 ? adapt.keepAbove * best : Infinity;
  for (const h of hits) {
    if (out.length >= k) break;
    const d = docOf(h);
    const n = perDoc.get(d) ?? 0;
    if (n >= maxPerDoc && !(scoreOf(h) >= bar)) continue;
    perDoc.set(d, n + 1);
    out.push(h);
  }
  return out;
}
