/**
 * The segments of one generation, searched as one index: keyword scores use BM25 statistics of all
 * segments together (documents, mean length, document frequencies, deleted chunks left out), so a
 * ranking never depends on how the corpus happens to be split into segments; vector hits of every
 * segment are merged by similarity. Positions (postings, idAt) number the live chunks 0..size-1
 * in segment order: the order of LoadedIndex.chunks.
 */
import { isSet, type Bm25Hit, type Bm25Stats } from "./bm25-index.js";
import type { Segment } from "./segment.js";
import { COLUMN_CACHE_BYTES, FlatVectorIndex, type VectorHit } from "./vector-index.js";

export interface SegmentPart {
  segment: Segment;
  /** Tombstones (bit i = chunk i deleted), or null. */
  deleted: Uint8Array | null;
}

interface Part extends SegmentPart {
  /** Global position of this segment's first live chunk. */
  base: number;
  /** Live local positions in order (null: every chunk is live, local = global - base). */
  live: Int32Array | null;
  /** Local position -> live rank within the segment (-1 deleted); null when nothing is deleted. */
  rank: Int32Array | null;
  liveCount: number;
}

function compare(a: { id: string; score: number }, b: { id: string; score: number }): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class SegmentedIndex {
  readonly parts: readonly Part[];
  readonly size: number;
  private readonly avgdl: number;
  private idSet: Set<string> | null = null;

  constructor(parts: readonly SegmentPart[]) {
    let base = 0;
    let totalLength = 0;
    this.parts = parts.map(({ segment, deleted }) => {
      const n = segment.size;
      let live: Int32Array | null = null;
      let rank: Int32Array | null = null;
      let liveCount = n;
      if (deleted) {
        rank = new Int32Array(n).fill(-1);
        const list: number[] = [];
        for (let i = 0; i < n; i++) if (!isSet(deleted, i)) rank[i] = list.push(i) - 1;
        live = Int32Array.from(list);
        liveCount = list.length;
        // the graph skips them itself (hnswlib markDelete); the flat scan via its own set
        if (segment.vectors) for (let i = 0; i < n; i++) if (rank[i]! < 0) segment.vectors.markDeleted(i);
      }
      totalLength += segment.bm25.liveTotals(deleted).totalLength;
      const part: Part = { segment, deleted, base, live, rank, liveCount };
      base += liveCount;
      return part;
    });
    this.size = base;
    this.avgdl = base ? totalLength / base : 1;
    // too big for the column cache in Float32: search 16-bit columns (vector-index.ts COLUMN_CACHE_BYTES)
    const flats = this.parts
      .map((p) => p.segment.vectors)
      .filter((v): v is FlatVectorIndex => v instanceof FlatVectorIndex);
    if (flats.reduce((n, v) => n + v.bytes, 0) > COLUMN_CACHE_BYTES) for (const v of flats) v.useCompact();
  }

  // --- keyword side (the API of Bm25Index that callers use) ---

  private stats(): Bm25Stats {
    const memo = new Map<string, number>();
    return {
      n: this.size,
      avgdl: this.avgdl,
      df: (term) => {
        let df = memo.get(term);
        if (df === undefined) {
          df = 0;
          for (const p of this.parts) df += p.segment.bm25.liveDf(term, p.deleted);
          memo.set(term, df);
        }
        return df;
      },
    };
  }

  search(
    query: ReadonlyMap<string, number> | readonly string[],
    options: { limit?: number; filter?: (id: string) => boolean } = {},
  ): Bm25Hit[] {
    const stats = this.stats();
    if (this.parts.length === 1)
      return this.parts[0]!.segment.bm25.searchWith(query, stats, { ...options, deleted: this.parts[0]!.deleted });
    const hits: Bm25Hit[] = [];
    for (const p of this.parts)
      hits.push(...p.segment.bm25.searchWith(query, stats, { ...options, deleted: p.deleted }));
    hits.sort(compare);
    return options.limit !== undefined ? hits.slice(0, options.limit) : hits;
  }

  idf(term: string): number {
    const df = this.stats().df(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Global positions (ascending) of the live chunks holding `term`. */
  postings(term: string): Int32Array {
    const lists: Int32Array[] = [];
    let total = 0;
    for (const p of this.parts) {
      const local = p.segment.bm25.localPostings(term);
      if (local.length === 0) continue;
      const out = new Int32Array(local.length);
      let m = 0;
      for (let i = 0; i < local.length; i++) {
        const r = p.rank ? p.rank[local[i]!]! : local[i]!;
        if (r >= 0) out[m++] = p.base + r;
      }
      lists.push(out.subarray(0, m));
      total += m;
    }
    if (lists.length === 1) return lists[0]!;
    const all = new Int32Array(total);
    let at = 0;
    for (const l of lists) all.set(l, (at += l.length) - l.length);
    return all;
  }

  /** The chunk id at a global position. */
  idAt(position: number): string | undefined {
    const p = this.partAt(position);
    if (!p) return undefined;
    const r = position - p.base;
    return p.segment.ids[p.live ? p.live[r]! : r];
  }

  has(id: string): boolean {
    this.idSet ??= new Set(this.ids());
    return this.idSet.has(id);
  }

  ids(): string[] {
    const out: string[] = [];
    for (const p of this.parts) {
      if (!p.live) out.push(...p.segment.ids);
      else for (const i of p.live) out.push(p.segment.ids[i]!);
    }
    return out;
  }

  /** The segment and local position of a global (live) position. */
  locate(position: number): { segment: Segment; local: number } | undefined {
    const p = this.partAt(position);
    if (!p) return undefined;
    const r = position - p.base;
    return { segment: p.segment, local: p.live ? p.live[r]! : r };
  }

  private partAt(position: number): Part | undefined {
    if (position < 0 || position >= this.size) return undefined;
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.parts[mid]!.base <= position) lo = mid;
      else hi = mid - 1;
    }
    return this.parts[lo];
  }

  // --- vector side ---

  /** "flat" / "hnsw" (the form of the segments' vectors), "empty" without any. */
  /** Resolves when the background reads of flat columns (from a process's second search) are done. */
  async prefetched(): Promise<void> {
    await Promise.all(
      this.parts.map((p) =>
        p.segment.vectors instanceof FlatVectorIndex ? p.segment.vectors.prefetched() : undefined,
      ),
    );
  }

  get vectorKind(): "flat" | "hnsw" | "empty" {
    return this.parts.find((p) => p.segment.vectors)?.segment.vectors?.kind ?? "empty";
  }

  private vectorSearches = 0;

  /** The k most similar live chunks passing `filter`, over every segment. */
  vectorSearch(query: number[], k: number, filter?: (id: string) => boolean): VectorHit[] {
    if (k <= 0) return [];
    // a second search means a process that stays (the bot, the chat, the eval): read the remaining
    // flat columns in the background; a one-shot `npm run search` never waits for ~400 MB of reads
    // (only when every column fits the column cache: at 1M chunks a process reads the columns its questions use)
    if (++this.vectorSearches === 2) {
      const flats = this.parts
        .map((p) => p.segment.vectors)
        .filter((v): v is FlatVectorIndex => v instanceof FlatVectorIndex);
      if (flats.reduce((n, v) => n + v.bytes, 0) <= COLUMN_CACHE_BYTES) for (const v of flats) v.prefetch();
    }
    const hits: VectorHit[] = [];
    for (const p of this.parts) {
      const v = p.segment.vectors;
      if (!v || p.liveCount === 0) continue;
      const ids = p.segment.ids;
      const del = p.deleted;
      const accept = filter
        ? (i: number) => !(del && isSet(del, i)) && filter(ids[i]!)
        : del
          ? (i: number) => !isSet(del, i)
          : undefined;
      for (const h of v.search(query, k, accept)) hits.push({ id: ids[h.position]!, score: h.score });
    }
    hits.sort(compare);
    return hits.slice(0, k);
  }
}

/** The vector side of a SegmentedIndex with the VectorIndex-like surface retrievers and the bench use. */
export class SegmentedVectors {
  constructor(
    private readonly index: SegmentedIndex,
    readonly dimensions: number,
  ) {}
  get kind(): "flat" | "hnsw" | "empty" {
    return this.index.vectorKind;
  }
  get size(): number {
    return this.index.size;
  }
  /** Resolves when background column reads are done (see SegmentedIndex.prefetched). */
  prefetched(): Promise<void> {
    return this.index.prefetched();
  }
  search(query: number[], k: number, filter?: (id: string) => boolean): VectorHit[] {
    if (query.length !== this.dimensions && this.kind !== "empty")
      throw new Error(
        `query vector has ${query.length} dimensions, the index ${this.dimensions}; re-run ingest with the same embedder`,
      );
    return this.index.vectorSearch(query, k, filter);
  }
}
