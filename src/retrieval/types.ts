import type { Chunk, DocKind, DocumentMeta } from "../ingest/types.js";

/** How a search ranks: BM25 keywords, vectors, or both fused (the default). */
export const RETRIEVAL_MODES = ["hybrid", "keyword", "vector"] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

export interface SearchFilters {
  kind?: DocKind;
  /** Inclusive lower bound on the document date, YYYY-MM-DD. Documents without a date are excluded when set. */
  since?: string;
  /** Inclusive upper bound on the document date, YYYY-MM-DD. */
  until?: string;
}

export interface SearchOptions extends SearchFilters {
  k?: number;
  mode?: RetrievalMode;
  /** At most this many chunks of one document for this search (default: the engine's, 3). */
  maxPerDoc?: number;
  /**
   * The retriever's own ranking and scores: no territorial scope, definitions or character fallback
   * (search-engine.ts), e.g. to compare what every province's rules say about a question.
   */
  raw?: boolean;
}

/** One retrieved chunk with its document; higher score is better whatever the retriever. */
export interface SearchHit {
  chunk: Chunk;
  doc: DocumentMeta;
  score: number;
}

/** One result as the CLI contract prints it (../shared/CLI-CONTRACT.md, "Search"). */
export interface SearchResultItem {
  docId: string;
  title: string;
  date: string | null;
  kind: DocKind;
  path: string;
  section: string | null;
  text: string;
  score: number;
  /** Extensions (allowed by the contract). */
  chunkId: string;
  chapter: string | null;
  lead: string | null;
}

export interface SearchResponse {
  query: string;
  results: SearchResultItem[];
}
