/**
 * The approximate-nearest-neighbour index: LangChain's HNSWLib (hnswlib-node) in cosine space.
 *
 * HNSWLib cannot delete by id, so the graph is rebuilt from the vector cache (vector-cache.ts)
 * whenever an ingest changes anything; it returns cosine DISTANCES (lower is better), which this
 * module turns into similarities (1 - distance, higher is better) so callers never see a distance.
 */
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is better. */
  score: number;
}

export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib | null,
    readonly dimensions: number,
  ) {}

  get size(): number {
    return this.store ? this.store.index.getCurrentCount() : 0;
  }

  /** Builds the graph from (id, vector) pairs. */
  static async build(embeddings: EmbeddingsInterface, ids: readonly string[], vectors: readonly number[][], dimensions: number): Promise<VectorIndex> {
    if (ids.length !== vectors.length) throw new Error("VectorIndex.build: ids and vectors differ in length");
    if (ids.length === 0) return new VectorIndex(null, dimensions);
    const store = new HNSWLib(embeddings, { space: "cosine", numDimensions: dimensions });
    await store.addVectors(
      vectors as number[][],
      ids.map((id) => new Document({ pageContent: "", metadata: { id } })),
    );
    return new VectorIndex(store, dimensions);
  }

  async save(dir: string): Promise<void> {
    if (this.store) await this.store.save(dir);
  }

  static async load(dir: string, embeddings: EmbeddingsInterface, dimensions: number): Promise<VectorIndex> {
    if (!existsSync(join(dir, "hnswlib.index"))) return new VectorIndex(null, dimensions);
    return new VectorIndex(await HNSWLib.load(dir, embeddings), dimensions);
  }

  /** The k nearest vectors that pass `filter` (exact filtering inside the graph walk). */
  search(query: number[], k: number, filter?: (id: string) => boolean): VectorHit[] {
    if (!this.store || k <= 0) return [];
    if (query.length !== this.dimensions)
      throw new Error(`query vector has ${query.length} dimensions, the index ${this.dimensions}; re-run ingest with the same embedder`);
    const index = this.store.index;
    const n = Math.min(k, index.getCurrentCount());
    index.setEf(Math.max(n, 200));
    const docstore = this.store.docstore;
    const idOf = (label: number): string | undefined => {
      const doc = docstore.search(String(label));
      return typeof doc === "string" ? undefined : (doc.metadata.id as string);
    };
    const result = index.searchKnn(query, n, filter ? (label: number) => {
      const id = idOf(label);
      return id !== undefined && filter(id);
    } : undefined);
    const hits: VectorHit[] = [];
    result.neighbors.forEach((label, i) => {
      const id = idOf(label);
      const d = result.distances[i]!;
      if (id !== undefined && Number.isFinite(d)) hits.push({ id, score: 1 - d });
    });
    return hits.sort((a, b) => b.score - a.score);
  }
}
