/**
 * The index held in memory for searching: loaded once (the bot, the bench and the eval call
 * search many times) from the live generation of the index store.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { join } from "node:path";
import type { Chunk, DocumentMeta } from "../ingest/types.js";
import { EmbedderMismatchError } from "../errors.js";
import { Bm25Index } from "../index/bm25-index.js";
import { embedderIdOf } from "../index/ingest-corpus.js";
import { HNSW_DIR, type IndexMeta, readBm25, readIndex } from "../index/index-store.js";
import { VectorIndex } from "../index/vector-index.js";

export interface ScoredId {
  id: string;
  score: number;
}

export class LoadedIndex {
  readonly chunkById: Map<string, Chunk>;
  readonly docById: Map<string, DocumentMeta>;
  /** The generation folder it was loaded from (set by loadIndex). */
  dir: string | null = null;
  constructor(
    readonly meta: IndexMeta,
    readonly docs: DocumentMeta[],
    readonly chunks: Chunk[],
    readonly bm25: Bm25Index,
    readonly vectors: VectorIndex,
    readonly embeddings: Embeddings,
  ) {
    this.chunkById = new Map(chunks.map((c) => [c.id, c]));
    this.docById = new Map(docs.map((d) => [d.id, d]));
  }

  docOf(chunkId: string): DocumentMeta | undefined {
    const c = this.chunkById.get(chunkId);
    return c ? this.docById.get(c.docId) : undefined;
  }
}

/** Loads the live index. Throws IndexNotFoundError when there is none, EmbedderMismatchError on an embedder mismatch. */
export async function loadIndex(indexDir: string, embeddings: Embeddings): Promise<LoadedIndex> {
  const stored = await readIndex(indexDir);
  const id = embedderIdOf(embeddings);
  if (stored.meta.embedder.id !== id) throw new EmbedderMismatchError(indexDir, stored.meta.embedder.id, id);
  const [vectors, bm25] = await Promise.all([VectorIndex.load(join(stored.dir, HNSW_DIR), embeddings, stored.meta.embedder.dimensions), readBm25(stored.dir)]);
  const index = new LoadedIndex(stored.meta, stored.docs, stored.chunks, bm25, vectors, embeddings);
  index.dir = stored.dir;
  return index;
}
