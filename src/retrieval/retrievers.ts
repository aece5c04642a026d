/**
 * LangChain retrievers (BaseRetriever) over the loaded index: keyword, vector and hybrid, each
 * returning Documents whose metadata carries chunkId, docId, title, date, kind, section and score.
 * Kept apart from the search functions they wrap: importing @langchain/core's retrievers and
 * documents costs ~0.3-0.4 s (langsmith and ~250 modules), which a one-shot `npm run search`
 * never needs (cold start, issue 14; `node --cpu-prof`).
 */
import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { normalizeText } from "../ingest/normalize.js";
import { fusionDefaultsFor, hybridSearch, limitPerDoc, type HybridParams, definedOnly } from "./hybrid-retriever.js";
import { keywordSearch, type KeywordParams } from "./keyword-retriever.js";
import type { LoadedIndex, ScoredId } from "./loaded-index.js";
import { hitSource } from "./search-engine.js";
import type { SearchFilters } from "./types.js";
import { vectorSearch } from "./vector-retriever.js";

export interface KeywordRetrieverInput extends BaseRetrieverInput, KeywordParams {
  index: LoadedIndex;
  k?: number;
  filters?: SearchFilters;
}

/** What the keyword and vector retrievers share: the index, k and the filters; the query normalised, the hits as Documents. */
abstract class IndexRetriever extends BaseRetriever {
  protected readonly index: LoadedIndex;
  protected readonly k: number;
  protected readonly filters: SearchFilters;

  constructor(input: BaseRetrieverInput & { index: LoadedIndex; k?: number; filters?: SearchFilters }) {
    super(input);
    this.index = input.index;
    this.k = input.k ?? 10;
    this.filters = input.filters ?? {};
  }

  /** The hits for a normalised query. */
  protected abstract search(query: string): ScoredId[] | Promise<ScoredId[]>;

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const hits = await this.search(normalizeText(query));
    return hits.map((h) => toDocument(this.index, h));
  }
}

/** LangChain retriever over the keyword index; metadata carries chunkId, docId, title, date, kind, section and score. */
export class KeywordRetriever extends IndexRetriever {
  lc_namespace = ["postal-assistant", "retrievers", "keyword"];
  private readonly params: KeywordParams;

  constructor(input: KeywordRetrieverInput) {
    super(input);
    this.params = { bigramWeight: input.bigramWeight, expansionWeight: input.expansionWeight };
  }

  protected search(query: string): ScoredId[] {
    return keywordSearch(this.index, query, { ...this.filters, ...this.params, limit: this.k });
  }
}

export function toDocument(index: LoadedIndex, hit: ScoredId): Document {
  const chunk = index.chunkById.get(hit.id)!;
  const doc = index.docById.get(chunk.docId)!;
  return new Document({
    id: chunk.id,
    pageContent: chunk.text,
    metadata: {
      chunkId: chunk.id,
      ...hitSource(chunk, doc),
      chapter: chunk.chapter,
      score: hit.score,
    },
  });
}

export interface VectorRetrieverInput extends BaseRetrieverInput {
  index: LoadedIndex;
  k?: number;
  filters?: SearchFilters;
}

export class VectorRetriever extends IndexRetriever {
  lc_namespace = ["postal-assistant", "retrievers", "vector"];

  protected search(query: string): Promise<ScoredId[]> {
    return vectorSearch(this.index, query, { ...this.filters, limit: this.k });
  }
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
    const params: HybridParams = { ...fusionDefaultsFor(index.meta.embedder.id), ...definedOnly(this.input) };
    const fused = await hybridSearch(index, normalizeText(query), { ...params, ...filters, limit: k });
    return limitPerDoc(fused, (h) => index.chunkById.get(h.id)!.docId, maxPerDoc, k).map((h) => toDocument(index, h));
  }
}
