/**
 * The index held in memory for searching: the live generation's segments (index-store.ts,
 * segment.ts), loaded once (the bot, the bench and the eval call search many times). A reload
 * after another ingest reuses every segment already open and reads only the new ones and the
 * new generation's tombstones. Chunk records are parsed when first asked for (a search parses
 * the ones it returns), so opening a 100k-chunk index parses no chunk at all.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import type { Chunk, DocumentMeta } from "../ingest/types.js";
import { EmbedderMismatchError, IndexUnreadableError } from "../errors.js";
import { embedderIdOf } from "../index/embedder-id.js";
import { type IndexMeta, readGenerationMeta, readTombstones } from "../index/index-store.js";
import { openSegment, segmentDir, type Segment } from "../index/segment.js";
import { SegmentedIndex, SegmentedVectors, type SegmentPart } from "../index/segmented-index.js";

export interface ScoredId {
  id: string;
  score: number;
}

/** The live chunks by id, read from their segments on demand (a ReadonlyMap). */
class ChunkTable implements ReadonlyMap<string, Chunk> {
  constructor(
    private readonly where: Map<string, number>,
    private readonly index: SegmentedIndex,
    private readonly all: () => Chunk[],
  ) {}
  get size(): number {
    return this.where.size;
  }
  get(id: string): Chunk | undefined {
    const p = this.where.get(id);
    const at = p === undefined ? undefined : this.index.locate(p);
    return at ? at.segment.chunk(at.local) : undefined;
  }
  has(id: string): boolean {
    return this.where.has(id);
  }
  forEach(fn: (value: Chunk, key: string, map: ReadonlyMap<string, Chunk>) => void): void {
    for (const c of this.all()) fn(c, c.id, this);
  }
  *entries(): MapIterator<[string, Chunk]> {
    for (const c of this.all()) yield [c.id, c];
  }
  keys(): MapIterator<string> {
    return this.where.keys();
  }
  *values(): MapIterator<Chunk> {
    yield* this.all();
  }
  [Symbol.iterator](): MapIterator<[string, Chunk]> {
    return this.entries();
  }
}

export class LoadedIndex {
  readonly chunkById: ReadonlyMap<string, Chunk>;
  readonly docById: Map<string, DocumentMeta>;
  /** Live documents, in segment order. */
  readonly docs: DocumentMeta[];
  readonly vectors: SegmentedVectors;
  /** The generation folder it was loaded from (set by loadIndex). */
  dir: string | null = null;
  /** Chunk id -> global live position (numbers, not objects: 100k entries at open). */
  private readonly where = new Map<string, number>();
  private liveChunks: Chunk[] | null = null;
  constructor(
    readonly meta: IndexMeta,
    readonly bm25: SegmentedIndex,
    readonly embeddings: Embeddings,
    /** The open segments by name (reused by the next reload). */
    readonly segments: ReadonlyMap<string, Segment>,
  ) {
    this.docs = [];
    for (const p of bm25.parts) {
      const { segment } = p;
      const ids = segment.ids;
      if (!p.live) for (let i = 0; i < ids.length; i++) this.where.set(ids[i]!, p.base + i);
      else p.live.forEach((i, r) => this.where.set(ids[i]!, p.base + r));
      for (const d of segment.docs) {
        const r = segment.docRanges.get(d.id);
        if (r && (!p.rank || p.rank[r.first]! >= 0)) this.docs.push(d);
      }
    }
    this.chunkById = new ChunkTable(this.where, bm25, () => this.chunks);
    this.docById = new Map(this.docs.map((d) => [d.id, d]));
    this.vectors = new SegmentedVectors(bm25, meta.embedder.dimensions);
  }

  /** Live chunks in segment order (a chunk's position is its keyword-index position); parses every record on first use. */
  get chunks(): Chunk[] {
    if (!this.liveChunks) {
      const out: Chunk[] = [];
      for (const p of this.bm25.parts) {
        if (!p.live) out.push(...p.segment.chunks);
        else for (const i of p.live) out.push(p.segment.chunk(i));
      }
      this.liveChunks = out;
    }
    return this.liveChunks;
  }

  /** The document of a live chunk (its record is not parsed). */
  docOf(chunkId: string): DocumentMeta | undefined {
    const p = this.where.get(chunkId);
    const at = p === undefined ? undefined : this.bm25.locate(p);
    return at ? at.segment.docOf(at.local) : undefined;
  }
}

/**
 * Loads the live index. Throws IndexNotFoundError when there is none, IndexUnreadableError when a
 * file of it cannot be read, EmbedderMismatchError on an embedder mismatch. `previous` (an index loaded
 * earlier from the same folder) lends its open segments.
 */
export async function loadIndex(indexDir: string, embeddings: Embeddings, previous?: LoadedIndex | null): Promise<LoadedIndex> {
  const gen = await readGenerationMeta(indexDir);
  const id = embedderIdOf(embeddings);
  if (gen.meta.embedder.id !== id) throw new EmbedderMismatchError(indexDir, gen.meta.embedder.id, id);
  const segments = new Map<string, Segment>();
  const parts: SegmentPart[] = [];
  for (const ref of gen.meta.segments) {
    let file = segmentDir(indexDir, ref.name);
    try {
      const segment = previous?.segments.get(ref.name) ?? (await openSegment(indexDir, ref.name, embeddings));
      file = gen.dir;
      const deleted = await readTombstones(gen.dir, ref);
      segments.set(ref.name, segment);
      parts.push({ segment, deleted });
    } catch (err) {
      throw new IndexUnreadableError(indexDir, file, (err as Error).message);
    }
  }
  const index = new LoadedIndex(gen.meta, new SegmentedIndex(parts), embeddings, segments);
  index.dir = gen.dir;
  return index;
}
