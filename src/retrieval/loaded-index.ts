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
import { embedderId } from "../index/embeddings/identified-embeddings.js";
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
    private readonly positionOf: (id: string) => number | undefined,
    private readonly index: SegmentedIndex,
    private readonly all: () => Chunk[],
  ) {}
  get size(): number {
    return this.index.size;
  }
  get(id: string): Chunk | undefined {
    const p = this.positionOf(id);
    const at = p === undefined ? undefined : this.index.locate(p);
    return at ? at.segment.chunk(at.local) : undefined;
  }
  has(id: string): boolean {
    return this.positionOf(id) !== undefined;
  }
  forEach(fn: (value: Chunk, key: string, map: ReadonlyMap<string, Chunk>) => void): void {
    for (const c of this.all()) fn(c, c.id, this);
  }
  *entries(): MapIterator<[string, Chunk]> {
    for (const c of this.all()) yield [c.id, c];
  }
  *keys(): MapIterator<string> {
    yield* this.index.ids();
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
  /**
   * Chunk id -> global live position, for ids not found the direct way (positionOf): built on
   * first need only (100k entries and their garbage were ~0.1 s of a cold search).
   */
  private where: Map<string, number> | null = null;
  /** Live document id -> its segment part. */
  private readonly docPart = new Map<string, SegmentedIndex["parts"][number]>();
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
      for (const d of segment.docs) {
        const r = segment.docRanges.get(d.id);
        if (r && (!p.rank || p.rank[r.first]! >= 0)) {
          this.docs.push(d);
          this.docPart.set(d.id, p);
        }
      }
    }
    this.chunkById = new ChunkTable(
      (id) => this.positionOf(id),
      bm25,
      () => this.chunks,
    );
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

  /**
   * The global live position of a chunk id. Ids are "<docId>#<ordinal>" (ingest/chunk.ts), stored
   * document by document: the document's range in its segment gives the position, checked against
   * the segment's id list; any other id is looked up in a map of every id (built once).
   */
  positionOf(id: string): number | undefined {
    const hash = id.lastIndexOf("#");
    if (hash > 0) {
      const docId = id.slice(0, hash);
      const ordinal = Number(id.slice(hash + 1));
      const p = this.docPart.get(docId);
      const range = p?.segment.docRanges.get(docId);
      if (p && range && Number.isInteger(ordinal))
        for (const local of [range.first + ordinal - 1, range.first + ordinal])
          if (local >= range.first && local < range.first + range.count && p.segment.ids[local] === id) {
            const r = p.rank ? p.rank[local]! : local;
            return r >= 0 ? p.base + r : undefined;
          }
    }
    return this.idMap().get(id);
  }

  private idMap(): Map<string, number> {
    if (!this.where) {
      const where = new Map<string, number>();
      for (const p of this.bm25.parts) {
        const ids = p.segment.ids;
        if (!p.live) for (let i = 0; i < ids.length; i++) where.set(ids[i]!, p.base + i);
        else
          p.live.forEach((i, r) => {
            where.set(ids[i]!, p.base + r);
          });
      }
      this.where = where;
    }
    return this.where;
  }

  /** The document of a live chunk (its record is not parsed). */
  docOf(chunkId: string): DocumentMeta | undefined {
    const p = this.positionOf(chunkId);
    const at = p === undefined ? undefined : this.bm25.locate(p);
    return at ? at.segment.docOf(at.local) : undefined;
  }
}

/**
 * Loads the live index. Throws IndexNotFoundError when there is none, IndexUnreadableError when a
 * file of it cannot be read, EmbedderMismatchError on an embedder mismatch. `previous` (an index loaded
 * earlier from the same folder) lends its open segments.
 */
export async function loadIndex(
  indexDir: string,
  embeddings: Embeddings,
  previous?: LoadedIndex | null,
): Promise<LoadedIndex> {
  const gen = await readGenerationMeta(indexDir);
  const id = embedderId(embeddings);
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
