/**
 * One segment's vector index behind one interface (`VectorIndex`), in one of two forms chosen at
 * build time from the vectors themselves:
 *
 * - HNSW (dense vectors, e.g. ONNX / OpenAI / Ollama models): LangChain's HNSWLib VectorStore over
 *   hnswlib-node, cosine space. Tombstoned chunks are `markDelete`d in the graph when a segment is
 *   opened; a merge starts from the biggest segment's graph and `addVectors` (hnswlib's
 *   `resizeIndex` + `addPoint`) the others' vectors, so no graph is ever rebuilt whole. hnswlib
 *   returns cosine DISTANCES; this module returns similarities (1 - distance).
 * - Exact "flat" scan (sparse vectors: the embedded HashingEmbeddings, where a chunk fills ~30% of
 *   the dimensions and a question ~5%): the unit-length vectors stored column by column, so a query
 *   costs (its non-zero dimensions) × (chunks) multiply-adds and no graph is built at all.
 *   Measured by `npm run bench`: building the HNSW graph over 1024-dimension hashing
 *   vectors took ~2 ms per chunk at 10k chunks (19 of 35 s of ingest) and grows with the index,
 *   which alone ruled out 2,000 chunks/s; the exact scan answers in a few ms at 100k chunks with
 *   recall 1 (an exact search) and builds in well under a second. hnswlib-node has no sparse mode.
 *
 * Positions are the segment's chunk positions (0..size-1); the segment maps them to chunk ids.
 * Each form is saved in its own folder (flat/ or hnsw/).
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { closeSync, existsSync, fstatSync, openSync, read, readFileSync, readSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { endianness } from "node:os";
import { join } from "node:path";

/** Vectors whose mean share of non-zero dimensions is below this are indexed flat (see above). */
export const FLAT_MAX_DENSITY = 0.5;
const FLAT_DATA_FILE = "flat.f32";
const FLAT_IDS_FILE = "flat.json";

/** Closes the file of a lazily read flat index once the index is garbage-collected. */
const closeOnCollect = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * Columns read from disk stay in memory up to this many bytes over every open flat index, least
 * recently used evicted first. An index whose Float32 columns fit (~2.5 GiB: about 600k chunks
 * of 1,024 dimensions) keeps them exact; a bigger one keeps them as 16-bit integers with a scale
 * per column (FlatVectorIndex.compact: half the bytes; a 1M-chunk index's 4.3 GB of columns held
 * in ~2.1 GB, where a process holding it grew to 4.7 GB and one with a 1.5 GiB Float32 budget
 * re-read its columns for every question, ~1 s each).
 */
export const COLUMN_CACHE_BYTES = 2.5 * 2 ** 30;
type Column = Float32Array | Int16Array;
const columnCache = { bytes: 0, lru: new Map<Column, { flat: FlatVectors; j: number }>() };
function keepColumn<C extends Column>(flat: FlatVectors, j: number, col: C, columns: (C | undefined)[]): void {
  columns[j] = col;
  columnCache.lru.set(col, { flat, j });
  columnCache.bytes += col.byteLength;
  for (const [old, at] of columnCache.lru) {
    if (columnCache.bytes <= COLUMN_CACHE_BYTES) break;
    columnCache.lru.delete(old);
    columnCache.bytes -= old.byteLength;
    at.flat.evict(at.j, old);
  }
}
function touchColumn(col: Column): void {
  const at = columnCache.lru.get(col);
  if (at) {
    columnCache.lru.delete(col);
    columnCache.lru.set(col, at);
  }
}

/**
 * Exact cosine search over unit vectors stored dimension-major: column j holds dimension j of
 * every vector. Loaded from disk, the columns are read on first use (a question touches ~60 of
 * 1024), so opening a 100k-chunk index does not read its ~430 MB up front (cold start, `npm run bench`).
 */
class FlatVectors {
  private readonly scores: Float64Array;
  private readonly columns: (Float32Array | undefined)[];
  /** 16-bit columns and their scales (compact form, see COLUMN_CACHE_BYTES); null: exact Float32 columns. */
  private compactColumns: (Int16Array | undefined)[] | null = null;
  private scales: Float64Array | null = null;
  constructor(
    readonly ids: readonly string[],
    readonly dimensions: number,
    private readonly data: Float32Array | null,
    private fd: number | null = null,
  ) {
    this.scores = new Float64Array(ids.length);
    this.columns = new Array(dimensions);
    if (fd !== null) closeOnCollect.register(this, fd, this);
  }

  /** Opens a saved index; columns are read when a query first needs them. */
  static open(dir: string, prefetch = true): FlatVectors {
    const { dimensions, ids } = JSON.parse(readFileSync(join(dir, FLAT_IDS_FILE), "utf8")) as {
      dimensions: number;
      ids: string[];
    };
    const fd = openSync(join(dir, FLAT_DATA_FILE), "r");
    if (fstatSync(fd).size !== ids.length * dimensions * 4) {
      closeSync(fd);
      throw new Error(`vector index in ${dir} is truncated; run \`npm run ingest -- --rebuild\``);
    }
    const flat = new FlatVectors(ids, dimensions, null, fd);
    if (prefetch) flat.startPrefetch();
    return flat;
  }

  private prefetching: Promise<void> | null = null;
  /** Starts reading every column in the background (once); resolves when they are read. */
  startPrefetch(): Promise<void> {
    if (this.fd === null) return Promise.resolve();
    return (this.prefetching ??= this.prefetch());
  }

  /** The background reads started by startPrefetch, or null when none ran. */
  get prefetched(): Promise<void> | null {
    return this.prefetching;
  }

  /**
   * Reads the columns not read yet, in the background (the thread pool does the copying), so a
   * long-running process soon answers without touching the disk while its first answer did not
   * wait for the whole file.
   */
  private async prefetch(): Promise<void> {
    const n = this.ids.length;
    try {
      for (let j = 0; j < this.dimensions; j++) {
        if (this.columns[j]) continue;
        const col = new Float32Array(n);
        const bytes = new Uint8Array(col.buffer);
        for (let done = 0; done < bytes.length; ) {
          const got = await new Promise<number>((resolve, reject) =>
            read(this.fd!, bytes, done, bytes.length - done, j * n * 4 + done, (err, count) =>
              err ? reject(err) : resolve(count),
            ),
          );
          if (got <= 0) return;
          done += got;
        }
        if (!LITTLE_ENDIAN) Buffer.from(col.buffer).swap32();
        if (!this.columns[j]) keepColumn(this, j, col, this.columns);
      }
      // every column is in memory: close the file (a newer ingest may delete this generation)
      if (this.fd !== null) {
        closeOnCollect.unregister(this);
        closeSync(this.fd);
        this.fd = null;
      }
    } catch {
      // a failed background read is retried synchronously when the column is needed
    }
  }

  column(j: number): Float32Array {
    const n = this.ids.length;
    if (this.data) return this.data.subarray(j * n, (j + 1) * n);
    let col = this.columns[j];
    if (!col) {
      col = new Float32Array(n);
      const bytes = new Uint8Array(col.buffer);
      for (let done = 0; done < bytes.length; ) {
        const got = readSync(this.fd!, bytes, done, bytes.length - done, j * n * 4 + done);
        if (got <= 0) throw new Error("vector index file ended early; run `npm run ingest -- --rebuild`");
        done += got;
      }
      if (!LITTLE_ENDIAN) Buffer.from(col.buffer).swap32();
      keepColumn(this, j, col, this.columns);
    } else touchColumn(col);
    return col;
  }

  /** Drops a cached column (the cache's budget is spent); it is read again when needed. */
  evict(j: number, col: Column): void {
    if (this.columns[j] === col) this.columns[j] = undefined;
    if (this.compactColumns?.[j] === col) this.compactColumns[j] = undefined;
  }

  /** Searches from 16-bit columns from now on (an index too big for the column cache in Float32). */
  useCompact(): void {
    if (this.data || this.compactColumns) return;
    this.compactColumns = new Array(this.dimensions);
    this.scales = new Float64Array(this.dimensions);
  }

  /** Column j as 16-bit integers (value ≈ integer × scale, scale = max |value| / 32767), read and converted on first use. */
  private compactColumn(j: number): Int16Array {
    let col = this.compactColumns![j];
    if (col) {
      touchColumn(col);
      return col;
    }
    const n = this.ids.length;
    const exact = this.columns[j] ?? readColumn(this.fd!, j, n);
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(exact[i]!));
    const scale = max > 0 ? max / 32767 : 1;
    col = new Int16Array(n);
    const inv = 1 / scale;
    for (let i = 0; i < n; i++) col[i] = Math.round(exact[i]! * inv);
    this.scales![j] = scale;
    keepColumn(this, j, col, this.compactColumns!);
    return col;
  }

  /** Bytes of every column (what reading all of them would hold). */
  get bytes(): number {
    return this.ids.length * this.dimensions * 4;
  }

  /** Every column, dimension-major (reads what was not read yet). */
  all(): Float32Array {
    if (this.data) return this.data;
    const n = this.ids.length;
    const out = new Float32Array(n * this.dimensions);
    for (let j = 0; j < this.dimensions; j++) out.set(this.column(j), j * n);
    return out;
  }

  static build(ids: readonly string[], vectors: readonly ArrayLike<number>[], dimensions: number): FlatVectors {
    const n = ids.length;
    const data = new Float32Array(n * dimensions);
    vectors.forEach((v, i) => {
      let norm = 0;
      for (let j = 0; j < dimensions; j++) norm += v[j]! * v[j]!;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = 0; j < dimensions; j++) if (v[j] !== 0) data[j * n + i] = v[j]! * inv;
    });
    return new FlatVectors(ids, dimensions, data);
  }

  search(query: readonly number[], k: number, accept?: (position: number) => boolean): PositionHit[] {
    const scores = this.scores;
    scores.fill(0);
    let norm = 0;
    for (const x of query) norm += x * x;
    if (!(norm > 0)) return [];
    const inv = 1 / Math.sqrt(norm);
    const dims: number[] = [];
    for (let j = 0; j < this.dimensions; j++) if (query[j] !== 0) dims.push(j);
    if (this.compactColumns) {
      const column = (j: number) => this.compactColumn(j);
      let t = 0;
      for (; t + 1 < dims.length; t += 2) {
        const x1 = column(dims[t]!);
        const x2 = column(dims[t + 1]!);
        addScaled2(
          scores,
          x1,
          query[dims[t]!]! * inv * this.scales![dims[t]!]!,
          x2,
          query[dims[t + 1]!]! * inv * this.scales![dims[t + 1]!]!,
        );
      }
      if (t < dims.length) {
        const x = column(dims[t]!);
        addScaled2(scores, x, query[dims[t]!]! * inv * this.scales![dims[t]!]!, x, 0);
      }
      return topK(scores, this.ids, k, accept);
    }
    const column = (j: number) => this.column(j);
    // two columns per pass over the accumulator: half the loads and stores of `scores`
    let t = 0;
    for (; t + 1 < dims.length; t += 2)
      addScaled2(scores, column(dims[t]!), query[dims[t]!]! * inv, column(dims[t + 1]!), query[dims[t + 1]!]! * inv);
    if (t < dims.length) addScaled2(scores, column(dims[t]!), query[dims[t]!]! * inv, column(dims[t]!), 0);
    return topK(scores, this.ids, k, accept);
  }

  /** Rows (unit vectors) at `positions`, reading for each column only the span they cover. */
  rows(positions: readonly number[]): Float32Array[] {
    if (positions.length === 0) return [];
    const n = this.ids.length;
    let lo = Infinity;
    let hi = -1;
    for (const p of positions) {
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
    const out = positions.map(() => new Float32Array(this.dimensions));
    const span = new Float32Array(hi - lo + 1);
    for (let j = 0; j < this.dimensions; j++) {
      if (this.data || this.columns[j]) span.set(this.column(j).subarray(lo, hi + 1));
      else readFully(this.fd!, new Uint8Array(span.buffer), (j * n + lo) * 4);
      positions.forEach((p, r) => {
        out[r]![j] = span[p - lo]!;
      });
    }
    return out;
  }

  /** The live rows of several flat indexes, in order, as one new index (column by column; nothing re-normalised). */
  static merge(
    parts: readonly { flat: FlatVectors; keep: readonly number[]; ids: readonly string[] }[],
    dimensions: number,
  ): FlatVectors {
    const ids = parts.flatMap((p) => p.ids);
    const n = ids.length;
    const data = new Float32Array(n * dimensions);
    for (let j = 0; j < dimensions; j++) {
      let at = j * n;
      for (const { flat, keep } of parts) {
        const col = flat.column(j);
        for (const p of keep) data[at++] = col[p]!;
      }
    }
    return new FlatVectors(ids, dimensions, data);
  }
}

/** Column j (of n values) read from a flat.f32 file. */
function readColumn(fd: number, j: number, n: number): Float32Array {
  const col = new Float32Array(n);
  readFully(fd, new Uint8Array(col.buffer), j * n * 4);
  return col;
}

function readFully(fd: number, bytes: Uint8Array, position: number): void {
  if (!LITTLE_ENDIAN) throw new Error("flat vector index: big-endian reads are not supported");
  for (let done = 0; done < bytes.length; ) {
    const got = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (got <= 0) throw new Error("vector index file ended early; run `npm run ingest -- --rebuild`");
    done += got;
  }
}

const LITTLE_ENDIAN = endianness() === "LE";

/**
 * y += a·x1 + b·x2, unrolled by four with a Float64 accumulator. Kept apart so V8 optimises the hot
 * loop on its own; measured at 100k chunks: 21 ms a query for the plain Float32 loop, 7.5 ms this way.
 * One function for both column forms (Float32, and the 16-bit compact form whose integers a and b
 * scale): a process searches one form only (segmented-index.ts switches every segment to the compact
 * form at once), so V8 still sees one array type here.
 */
function addScaled2<C extends Float32Array | Int16Array>(y: Float64Array, x1: C, a: number, x2: C, b: number): void {
  const n = y.length;
  const m = n & ~3;
  let i = 0;
  for (; i < m; i += 4) {
    y[i]! += a * x1[i]! + b * x2[i]!;
    y[i + 1]! += a * x1[i + 1]! + b * x2[i + 1]!;
    y[i + 2]! += a * x1[i + 2]! + b * x2[i + 2]!;
    y[i + 3]! += a * x1[i + 3]! + b * x2[i + 3]!;
  }
  for (; i < n; i++) y[i]! += a * x1[i]! + b * x2[i]!;
}

/** The k best (score desc, then id asc) among the positions passing `accept`. */
function topK(
  scores: Float64Array,
  ids: readonly string[],
  k: number,
  accept?: (position: number) => boolean,
): PositionHit[] {
  // candidates above the running k-th best; pruned back to k whenever the buffer doubles
  let best: number[] = [];
  let threshold = -Infinity;
  const prune = () => {
    best.sort((a, b) => scores[b]! - scores[a]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    best = best.slice(0, k);
    if (best.length === k) threshold = scores[best[k - 1]!]!;
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s < threshold || !Number.isFinite(s)) continue;
    if (accept && !accept(i)) continue;
    best.push(i);
    if (best.length >= 2 * k + 64) prune();
  }
  prune();
  return best.map((i) => ({ position: i, score: scores[i]! }));
}

function meanDensity(vectors: readonly ArrayLike<number>[], dimensions: number): number {
  if (vectors.length === 0 || dimensions === 0) return 1;
  const step = Math.max(1, Math.floor(vectors.length / 2000));
  let nonZero = 0;
  let seen = 0;
  for (let i = 0; i < vectors.length; i += step) {
    const v = vectors[i]!;
    for (let j = 0; j < v.length; j++) if (v[j] !== 0) nonZero++;
    seen++;
  }
  return nonZero / (seen * dimensions);
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is better. */
  score: number;
}

export interface PositionHit {
  /** Position in the segment (0..size-1). */
  position: number;
  /** Cosine similarity, higher is better. */
  score: number;
}

/** One segment's vectors: the contract every form keeps (vector-index.common.case.test.ts). */
export interface VectorIndex {
  readonly kind: "flat" | "hnsw";
  readonly size: number;
  readonly dimensions: number;
  /** The k most similar positions passing `accept` (filtered inside the search, before the cut to k), best first. */
  search(query: readonly number[], k: number, accept?: (position: number) => boolean): PositionHit[];
  /** The stored vectors at `positions` (unit length: cosine is all any form keeps). */
  vectorsAt(positions: readonly number[]): Float32Array[];
  /** Positions never returned again (a chunk deleted from its segment). */
  markDeleted(position: number): void;
  /** Writes the index into `dir` (its own subfolder per form). */
  save(dir: string): Promise<void>;
}

/** LangChain's HNSWLib, imported on first use (~0.3-0.7 s: no flat index, and no ingest without change, pays it). */
const hnswlib = () => import("@langchain/community/vectorstores/hnswlib").then((m) => m.HNSWLib);
const documentClass = () => import("@langchain/core/documents").then((m) => m.Document);

const FLAT_DIR = "flat";
const HNSW_DIR = "hnsw";

/** The exact column scan (sparse vectors). */
export class FlatVectorIndex implements VectorIndex {
  readonly kind = "flat";
  private deleted: Set<number> | null = null;
  private constructor(private readonly flat: FlatVectors) {}

  get size(): number {
    return this.flat.ids.length;
  }
  get dimensions(): number {
    return this.flat.dimensions;
  }

  /** `ids` break ties between equal scores (smaller id first), as every search here does. */
  static build(ids: readonly string[], vectors: readonly ArrayLike<number>[], dimensions: number): FlatVectorIndex {
    if (ids.length !== vectors.length) throw new Error("FlatVectorIndex.build: ids and vectors differ in length");
    return new FlatVectorIndex(FlatVectors.build(ids, vectors, dimensions));
  }

  static merge(
    parts: readonly { index: FlatVectorIndex; keep: readonly number[]; ids: readonly string[] }[],
    dimensions: number,
  ): FlatVectorIndex {
    return new FlatVectorIndex(
      FlatVectors.merge(
        parts.map((p) => ({ flat: p.index.flat, keep: p.keep, ids: p.ids })),
        dimensions,
      ),
    );
  }

  /** `prefetch`: read every column in the background after opening (a search process; not an ingest). */
  static open(dir: string, prefetch = true): FlatVectorIndex {
    return new FlatVectorIndex(FlatVectors.open(join(dir, FLAT_DIR), prefetch));
  }

  search(query: readonly number[], k: number, accept?: (position: number) => boolean): PositionHit[] {
    if (k <= 0 || this.size === 0) return [];
    checkDimensions(query, this.dimensions);
    const del = this.deleted;
    return this.flat.search(query, k, del ? (p) => !del.has(p) && (!accept || accept(p)) : accept);
  }

  vectorsAt(positions: readonly number[]): Float32Array[] {
    return this.flat.rows(positions);
  }

  markDeleted(position: number): void {
    (this.deleted ??= new Set()).add(position);
  }

  /** Bytes of every column. */
  get bytes(): number {
    return this.flat.bytes;
  }

  /**
   * Searches 16-bit columns from now on (scores within ~1e-4 of the exact ones): for an index
   * whose Float32 columns do not fit COLUMN_CACHE_BYTES (SegmentedIndex decides).
   */
  useCompact(): void {
    this.flat.useCompact();
  }

  /** Reads the columns not read yet in the background (a long-running process, from its second search on). */
  prefetch(): void {
    void this.flat.startPrefetch();
  }

  /** Resolves when background reads started by prefetch() are done (the bench times a steady state). */
  async prefetched(): Promise<void> {
    await this.flat.prefetched;
  }

  async save(dir: string): Promise<void> {
    const out = join(dir, FLAT_DIR);
    await mkdir(out, { recursive: true });
    const data = this.flat.all();
    await writeFile(join(out, FLAT_IDS_FILE), JSON.stringify({ dimensions: this.flat.dimensions, ids: this.flat.ids }));
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await writeFile(join(out, FLAT_DATA_FILE), LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32());
  }
}

/** An HNSW graph (dense vectors): LangChain's HNSWLib over hnswlib-node. Labels are positions. */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = "hnsw";
  private constructor(
    private readonly store: HNSWLib,
    readonly dimensions: number,
  ) {}

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  static async build(
    embeddings: EmbeddingsInterface,
    vectors: readonly ArrayLike<number>[],
    dimensions: number,
  ): Promise<HnswVectorIndex> {
    const store = new (await hnswlib())(embeddings, { space: "cosine", numDimensions: dimensions });
    const index = new HnswVectorIndex(store, dimensions);
    await index.append(vectors, 0);
    return index;
  }

  /**
   * The vectors of `parts` appended, in order, to a copy of `base`'s graph (hnswlib's resizeIndex +
   * addPoint through HNSWLib.addVectors): a merge that never rebuilds the biggest graph. `base` is
   * re-read from `baseDir` so the open segment stays as it was.
   */
  static async extend(
    embeddings: EmbeddingsInterface,
    baseDir: string,
    dimensions: number,
    vectors: readonly ArrayLike<number>[],
  ): Promise<HnswVectorIndex> {
    const index = new HnswVectorIndex(await (await hnswlib()).load(join(baseDir, HNSW_DIR), embeddings), dimensions);
    await index.append(vectors, index.size);
    return index;
  }

  private async append(vectors: readonly ArrayLike<number>[], start: number): Promise<void> {
    const Document = await documentClass();
    for (let i = 0; i < vectors.length; i += 1000) {
      const part = vectors.slice(i, i + 1000);
      await this.store.addVectors(
        part.map((v) => Array.from(v)),
        part.map((_, j) => new Document({ pageContent: "", metadata: { position: start + i + j } })),
      );
    }
  }

  static async open(dir: string, embeddings: EmbeddingsInterface, dimensions: number): Promise<HnswVectorIndex> {
    return new HnswVectorIndex(await (await hnswlib()).load(join(dir, HNSW_DIR), embeddings), dimensions);
  }

  search(query: readonly number[], k: number, accept?: (position: number) => boolean): PositionHit[] {
    if (k <= 0 || this.size === 0) return [];
    checkDimensions(query, this.dimensions);
    const index = this.store.index;
    const n = Math.min(k, index.getCurrentCount());
    index.setEf(Math.max(n, 200));
    const result = index.searchKnn(Array.from(query), n, accept);
    const hits: PositionHit[] = [];
    result.neighbors.forEach((label, i) => {
      const d = result.distances[i]!;
      if (Number.isFinite(d)) hits.push({ position: label, score: 1 - d });
    });
    return hits.sort((a, b) => b.score - a.score || a.position - b.position);
  }

  vectorsAt(positions: readonly number[]): Float32Array[] {
    // in cosine space hnswlib stores the normalised vector
    return positions.map((p) => Float32Array.from(this.store.index.getPoint(p)));
  }

  markDeleted(position: number): void {
    try {
      this.store.index.markDelete(position);
    } catch {
      // already marked
    }
  }

  async save(dir: string): Promise<void> {
    const out = join(dir, HNSW_DIR);
    await mkdir(out, { recursive: true });
    await this.store.save(out);
  }
}

function checkDimensions(query: readonly number[], dimensions: number): void {
  if (query.length !== dimensions)
    throw new Error(
      `query vector has ${query.length} dimensions, the index ${dimensions}; re-run ingest with the same embedder`,
    );
}

/** The form for these vectors: flat for sparse ones, HNSW for dense (or as forced by VECTOR_INDEX). */
export function chooseVectorForm(
  vectors: readonly ArrayLike<number>[],
  dimensions: number,
  force?: "flat" | "hnsw",
): "flat" | "hnsw" {
  return force ?? (meanDensity(vectors, dimensions) < FLAT_MAX_DENSITY ? "flat" : "hnsw");
}

export async function buildVectorIndex(
  form: "flat" | "hnsw",
  embeddings: EmbeddingsInterface,
  ids: readonly string[],
  vectors: readonly ArrayLike<number>[],
  dimensions: number,
): Promise<VectorIndex> {
  return form === "flat"
    ? FlatVectorIndex.build(ids, vectors, dimensions)
    : HnswVectorIndex.build(embeddings, vectors, dimensions);
}

/** Opens the index saved in `dir` by `save` (null when it holds none: a segment without vectors). */
export async function openVectorIndex(
  dir: string,
  embeddings: EmbeddingsInterface,
  dimensions: number,
  options: { prefetch?: boolean } = {},
): Promise<VectorIndex | null> {
  if (existsSync(join(dir, FLAT_DIR, FLAT_IDS_FILE))) return FlatVectorIndex.open(dir, options.prefetch ?? true);
  if (existsSync(join(dir, HNSW_DIR, "hnswlib.index"))) return HnswVectorIndex.open(dir, embeddings, dimensions);
  return null;
}
