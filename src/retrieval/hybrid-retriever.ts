/**
 * Hybrid retrieval: reciprocal-rank fusion (fusion.ts) of the keyword and vector rankings, then at
 * most `maxPerDoc` chunks per document.
 * RRF needs no score calibration between BM25 and cosine, which differ in scale.
 */
import type { LoadedIndex, ScoredId } from "./loaded-index.js";
import { keywordSearch } from "./keyword-retriever.js";
import { vectorSearch } from "./vector-retriever.js";
import { DEFAULT_RRF_K, reciprocalRankFusion } from "./fusion.js";
import type { SearchFilters } from "./types.js";

export { DEFAULT_RRF_K, limitPerDoc, reciprocalRankFusion } from "./fusion.js";

/**
 * Fusion settings by kind of embedder, chosen by measurement (npm run -s eval -- retrieval):
 * the built-in hashing embedder is lexical like BM25 but weaker (vector recall@5 0.73 against
 * keyword 0.94 on evals/retrieval.jsonl), so its list only breaks near-ties; a semantic model
 * (onnx/openai/ollama) gets the standard equal-weight RRF with k = 60.
 */
export const FUSION_DEFAULTS = {
  lexical: { rrfK: 20, keywordWeight: 1, vectorWeight: 0.2 },
  semantic: { rrfK: DEFAULT_RRF_K, keywordWeight: 1, vectorWeight: 1 },
} as const;

/** Fusion defaults for an embedder id (see identified-embeddings.ts). */
export function fusionDefaultsFor(embedderId: string): HybridParams {
  return embedderId.startsWith("hashing") ? FUSION_DEFAULTS.lexical : FUSION_DEFAULTS.semantic;
}

export interface HybridParams {
  rrfK?: number;
  /** How many candidates each retriever contributes (default max(100, 10k)). */
  depth?: number;
  keywordWeight?: number;
  vectorWeight?: number;
  bigramWeight?: number;
  expansionWeight?: number;
  vectorExpansionWeight?: number;
}

/** Fused ranking of chunk ids (filters applied inside each retriever, before any cut). */
export async function hybridSearch(
  index: LoadedIndex,
  normalizedQuery: string,
  options: SearchFilters & HybridParams & { limit: number },
): Promise<ScoredId[]> {
  const depth = options.depth ?? Math.max(100, options.limit * 10);
  const [kw, vec] = await Promise.all([
    Promise.resolve(keywordSearch(index, normalizedQuery, { ...options, limit: depth })),
    vectorSearch(index, normalizedQuery, { ...options, limit: depth }),
  ]);
  return reciprocalRankFusion([kw, vec], options.rrfK ?? DEFAULT_RRF_K, [
    options.keywordWeight ?? 1,
    options.vectorWeight ?? 1,
  ])
    .slice(0, Math.max(depth, options.limit))
    .map(({ id, score }) => ({ id, score }));
}

/** The HybridParams fields of `o` that are set (so undefined never overrides a default). */
export function definedOnly(o: HybridParams): HybridParams {
  const out: HybridParams = {};
  for (const key of [
    "rrfK",
    "depth",
    "keywordWeight",
    "vectorWeight",
    "bigramWeight",
    "expansionWeight",
    "vectorExpansionWeight",
  ] as const)
    if (o[key] !== undefined) out[key] = o[key];
  return out;
}
