/**
 * Vector retrieval: the query embedding against the HNSW graph (src/index/vector-index.ts);
 * scores are cosine similarities (higher is better), filters applied inside the graph search.
 */
import type { LoadedIndex, ScoredId } from "./loaded-index.js";
import { hasFilters, matchesFilters } from "./filters.js";
import { expandQuery } from "./query-expansion.js";
import type { SearchFilters } from "./types.js";

/** Weight of the expansion terms' embedding (query-expansion.ts) added to the question's. */
export const DEFAULT_VECTOR_EXPANSION_WEIGHT = 0.5;

export interface VectorParams {
  /** 0 turns query expansion off. */
  vectorExpansionWeight?: number;
}

/**
 * The query vector: the question's embedding plus, when the thesaurus knows statute wordings for
 * its everyday words, `vectorExpansionWeight` times the embedding of those wordings, normalised.
 */
export async function queryVector(
  index: Pick<LoadedIndex, "embeddings">,
  normalizedQuery: string,
  params: VectorParams = {},
): Promise<number[]> {
  const w = params.vectorExpansionWeight ?? DEFAULT_VECTOR_EXPANSION_WEIGHT;
  const terms = w > 0 ? expandQuery(normalizedQuery).terms : [];
  if (!terms.length) return index.embeddings.embedQuery(normalizedQuery);
  const [q, e] = await Promise.all([
    index.embeddings.embedQuery(normalizedQuery),
    index.embeddings.embedQuery(terms.join(" ")),
  ]);
  const sum = q!.map((x, i) => x + w * (e![i] ?? 0));
  const norm = Math.hypot(...sum);
  return norm > 0 ? sum.map((x) => x / norm) : sum;
}

export async function vectorSearch(
  index: LoadedIndex,
  normalizedQuery: string,
  options: SearchFilters & VectorParams & { limit: number },
): Promise<ScoredId[]> {
  if (!normalizedQuery.trim()) return [];
  const q = await queryVector(index, normalizedQuery, options);
  if (!q.some((x) => x !== 0)) return [];
  const filter = hasFilters(options)
    ? (id: string) => {
        const doc = index.docOf(id);
        return !!doc && matchesFilters(doc, options);
      }
    : undefined;
  return index.vectors.search(q, options.limit, filter);
}
