/**
 * Hybrid retrieval: reciprocal-rank fusion (Cormack et al. 2009) of the keyword and vector
 * rankings, score(d) = Σ_lists w / (k + rank(d)), then at most `maxPerDoc` chunks per document.
 * RRF needs no score calibration between BM25 and cosine, which differ in scale.
 */
import type { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { normalizeText } from "../ingest/normalize.js";
import type { LoadedIndex, ScoredId } from "./loaded-index.js";
import { keywordSearch, toDocument } from "./keyword-retriever.js";
import { vectorSearch } from "./vector-retriever.js";
import type { SearchFilters } from "./types.js";

export const DEFAULT_RRF_K = 60;

/**
 * Fusion settings by kind of embedder, chosen by measurement (npm run -s eval -- retrieval):
 * the built-in hashing embedder is lexical like BM25 but weaker (vector recall@5 0.73 against
 * keyword 0.94 on evals/retrieval.jsonl), so its list only breaks near-ties; a semantic model
 * (onnx/openai/ollama) gets the standard equal-weight RRF with k = 60.
 */
export const FUSION_DEFAULTS = {
  lexical: { rrfK: 5, keywordWeight: 1, vectorWeight: 0.2 },
  semantic: { rrfK: DEFAULT_RRF_K, keywordWeight: 1, vectorWeight: 1 },
} as const;

/** Fusion defaults for an embedder id (see identified-embeddings.ts). */
export function fusionDefaultsFor(embedderId: string): HybridParams {
  return embedderId.startsWith("hashing") ? FUSION_DEFAULTS.lexical : FUSION_DEFAULTS.semantic;
}

/** Fuses ranked lists (best first). `weights[i]` scales list i (default 1). */
export function reciprocalRankFusion(lists: readonly ScoredId[][], k = DEFAULT_RRF_K, weights: readonly number[] = []): ScoredId[] {
  const scores = new Map<string, number>();
  lists.forEach((list, li) => {
    const w = weights[li] ?? 1;
    list.forEach((hit, rank) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + w / (k + rank + 1)));
  });
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Keeps ranking order, dropping hits beyond `maxPerDoc` per document, until `k` are kept. */
export function limitPerDoc<T>(hits: readonly T[], docOf: (hit: T) => string, maxPerDoc: number, k: number): T[] {
  const perDoc = new Map<string, number>();
  const out: T[] = [];
  for (const h of hits) {
    if (out.length >= k) break;
    const d = docOf(h);
    const n = perDoc.get(d) ?? 0;
    if (n >= maxPerDoc) continue;
    perDoc.set(d, n + 1);
    out.push(h);
  }
  return out;
}

export interface HybridParams {
  rrfK?: number;
  /** How many candidates each retriever contributes (default max(100, 10k)). */
  depth?: number;
  keywordWeight?: number;
  vectorWeight?: number;
  bigramWeight?: number;
  expansionWeight?: number;
}

/** Fused ranking of chunk ids (filters applied inside each retriever, before any cut). */
export async function hybridSearch(index: LoadedIndex, normalizedQuery: string, options: SearchFilters & HybridParams & { limit: number }): Promise<ScoredId[]> {
  const depth = options.depth ?? Math.max(100, options.limit * 10);
  const [kw, vec] = await Promise.all([
    Promise.resolve(keywordSearch(index, normalizedQuery, { ...options, limit: depth })),
    vectorSearch(index, normalizedQuery, { ...options, limit: depth }),
  ]);
  return reciprocalRankFusion([kw, vec], options.rrfK ?? DEFAULT_RRF_K, [options.keywordWeight ?? 1, options.vectorWeight ?? 1]).slice(0, Math.max(depth, options.limit));
}

export interface HybridRetrieverInput extends BaseRetrieverInput, HybridParams {
  index: LoadedIndex;
  k?: number;
  maxPerDoc?: number;
  filters?: SearchFilters;
}

export class HybridRetriever extends BaseRetriever {
  lc_namespace = ["postal-assistant", "retrievers", "hybrid"];
  private readonly input: HybridRetrieverInput;

  constructor(input: HybridRetrieverInput) {
    super(input);
    this.input = input;
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const { index, k = 10, maxPerDoc = Infinity, filters = {} } = this.input;
    const params: HybridParams = { ...fusionDefaultsFor(index.meta.embedder.id) };
    for (const key of ["rrfK", "depth", "keywordWeight", "vectorWeight", "bigramWeight", "expansionWeight"] as const)
      if (this.input[key] !== undefined) params[key] = this.input[key];
    const fused = await hybridSearch(index, normalizeText(query), { ...params, ...filters, limit: k });
    return limitPerDoc(fused, (h) => index.chunkById.get(h.id)!.docId, maxPerDoc, k).map((h) => toDocument(index, h));
  }
}
