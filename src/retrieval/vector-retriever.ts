/**
 * Vector retrieval: the query embedding against the HNSW graph (src/index/vector-index.ts);
 * scores are cosine similarities (higher is better), filters applied inside the graph search.
 */
import type { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { normalizeText } from "../ingest/normalize.js";
import type { LoadedIndex, ScoredId } from "./loaded-index.js";
import { hasFilters, matchesFilters } from "./filters.js";
import { toDocument } from "./keyword-retriever.js";
import type { SearchFilters } from "./types.js";

export async function vectorSearch(index: LoadedIndex, normalizedQuery: string, options: SearchFilters & { limit: number }): Promise<ScoredId[]> {
  if (!normalizedQuery.trim()) return [];
  const q = await index.embeddings.embedQuery(normalizedQuery);
  if (!q.some((x) => x !== 0)) return [];
  const filter = hasFilters(options)
    ? (id: string) => {
        const doc = index.docOf(id);
        return !!doc && matchesFilters(doc, options);
      }
    : undefined;
  return index.vectors.search(q, options.limit, filter);
}

export interface VectorRetrieverInput extends BaseRetrieverInput {
  index: LoadedIndex;
  k?: number;
  filters?: SearchFilters;
}

export class VectorRetriever extends BaseRetriever {
  lc_namespace = ["postal-assistant", "retrievers", "vector"];
  private readonly index: LoadedIndex;
  private readonly k: number;
  private readonly filters: SearchFilters;

  constructor(input: VectorRetrieverInput) {
    super(input);
    this.index = input.index;
    this.k = input.k ?? 10;
    this.filters = input.filters ?? {};
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const hits = await vectorSearch(this.index, normalizeText(query), { ...this.filters, limit: this.k });
    return hits.map((h) => toDocument(this.index, h));
  }
}
