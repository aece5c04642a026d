/**
 * The vector index, in one of two forms chosen at build time from the vectors themselves:
 *
 * - HNSW (dense vectors, e.g. ONNX / OpenAI / Ollama models): LangChain's HNSWLib (hnswlib-node)
 *   in cosine space. HNSWLib cannot delete by id, so the graph is rebuilt from the vector cache
 *   (vector-cache.ts) whenever an ingest changes anything; it returns cosine DISTANCES (lower is
 *   better), which this module turns into similarities (1 - distance) so callers never see a distance.
 * - Exact "flat" scan (sparse vectors: the embedded HashingEmbeddings, where a chunk fills ~30% of
 *   the dimensions and a question ~5%): the unit-length vectors stored column by column, so a query
 *   costs (its non-zero dimensions) × (chunks) multiply-adds and no graph is built at all.
 *   Measured by `npm run bench`: building the HNSW graph over 1024-dimension hashing
 *   vectors took ~2 ms per chunk at 10k chunks (19 of 35 s of ingest) and grows with the index,
 *   which alone ruled out 2,000 chunks/s; the exact scan answers in a few ms at 100k chunks with
 *   recall 1 (an exact search) and builds in well under a second. hnswlib-node has no sparse mode.
 */
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { closeSync, existsSync, fstatSync, openSync, read, readFileSync, readSync } from "node:fs";
import { writeFile } from "node:fs/promises";
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
 * Exact cosine search over unit vectors stored dimension-major: column j holds dimension j of
 * every vector. Loaded from disk, the columns are read on first use (a question touches ~60 of
 * 1024), so opening a 100k-chunk index does not read its ~430 MB up front (cold start, `npm run bench`).
 */
class FlatVectors {
  private readonly scores: Float64Array;
  private readonly columns: (Float32Array | undefined)[];
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
  static open(dir: string): FlatVectors {
    const { dimensions, ids } = JSON.parse(readFileSync(join(dir, FLAT_IDS_FILE), "utf8")) as { dimensions: number; ids: string[] };
    const fd = openSync(join(dir, FLAT_DATA_FILE), "r");
    if (fstatSync(fd).size !== ids.length * dimensions * 4) {
      closeSync(fd);
      throw new Error(`vector index in ${dir} is truncated; run \`npm run ingest -- --rebuild\``);
    }
    const flat = new FlatVectors(ids, dimensions, null, fd);
    void flat.prefetch();
    return flat;
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
            read(this.fd!, bytes, done, bytes.length - done, j * n * 4 + done, (err, count) => (err ? reject(err) : resolve(count))),
          );
          if (got <= 0) return;
          done += got;
        }
        if (!LITTLE_ENDIAN) Buffer.from(col.buffer).swap32();
        this.columns[j] ??= col;
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
      this.columns[j] = col;
    }
    return col;
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

  search(query: readonly number[], k: number, filter?: (id: string) => boolean): VectorHit[] {
    const n = this.ids.length;
    const scores = this.scores;
    scores.fill(0);
    let norm = 0;
    for (const x of query) norm += x * x;
    if (!(norm > 0)) return [];
    const inv = 1 / Math.sqrt(norm);
    const dims: number[] = [];
    for (let j = 0; j < this.dimensions; j++) if (query[j] !== 0) dims.push(j);
    const column = (j: number) => this.column(j);
    // two columns per pass over the accumulator: half the loads and stores of `scores`
    let t = 0;
    for (; t + 1 < dims.length; t += 2) addScaled2(scores, column(dims[t]!), query[dims[t]!]! * inv, column(dims[t + 1]!), query[dims[t + 1]!]! * inv);
    if (t < dims.length) addScaled2(scores, column(dims[t]!), query[dims[t]!]! * inv, column(dims[t]!), 0);
    return topK(scores, this.ids, k, filter);
  }
}

const LITTLE_ENDIAN = endianness() === "LE";

/**
 * y += a·x1 + b·x2, unrolled by four with a Float64 accumulator. Kept apart so V8 optimises the hot
 * loop on its own; measured at 100k chunks: 21 ms a query for the plain Float32 loop, 7.5 ms this way.
 */
function addScaled2(y: Float64Array, x1: Float32Array, a: number, x2: Float32Array, b: number): void {
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

/** The k best (score desc, then id asc) among the vectors passing `filter`. */
function topK(scores: Float64Array, ids: readonly string[], k: number, filter?: (id: string) => boolean): VectorHit[] {
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
    if (filter && !filter(ids[i]!)) continue;
    best.push(i);
    if (best.length >= 2 * k + 64) prune();
  }
  prune();
  return best.map((i) => ({ id: ids[i]!, score: scores[i]! }));
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

export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib | null,
    readonly dimensions: number,
    private readonly flat: FlatVectors | null = null,
  ) {}

  get size(): number {
    if (this.flat) return this.flat.ids.length;
    return this.store ? this.store.index.getCurrentCount() : 0;
  }

  /** "flat" (exact scan, sparse vectors) or "hnsw" (graph, dense vectors); "empty" without vectors. */
  get kind(): "flat" | "hnsw" | "empty" {
    return this.flat ? "flat" : this.store ? "hnsw" : "empty";
  }

  /** Builds the index from (id, vector) pairs: flat for sparse vectors, an HNSW graph otherwise (or as `force`d). */
  /** `vectors` may be Float32Arrays (the vector cache's own, not copied for the flat form). */
  static async build(embeddings: EmbeddingsInterface, ids: readonly string[], vectors: readonly ArrayLike<number>[], dimensions: number, force?: "flat" | "hnsw"): Promise<VectorIndex> {
    if (ids.length !== vectors.length) throw new Error("VectorIndex.build: ids and vectors differ in length");
    if (ids.length === 0) return new VectorIndex(null, dimensions);
    if (force === "flat" || (force === undefined && meanDensity(vectors, dimensions) < FLAT_MAX_DENSITY))
      return new VectorIndex(null, dimensions, FlatVectors.build(ids, vectors, dimensions));
    const store = new HNSWLib(embeddings, { space: "cosine", numDimensions: dimensions });
    await store.addVectors(
      vectors.map((v) => (Array.isArray(v) ? (v as number[]) : Array.from(v))),
      ids.map((id) => new Document({ pageContent: "", metadata: { id } })),
    );
    return new VectorIndex(store, dimensions);
  }

  async save(dir: string): Promise<void> {
    if (this.flat) {
      const data = this.flat.all();
      await writeFile(join(dir, FLAT_IDS_FILE), JSON.stringify({ dimensions: this.flat.dimensions, ids: this.flat.ids }));
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      await writeFile(join(dir, FLAT_DATA_FILE), LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32());
    } else if (this.store) await this.store.save(dir);
  }

  static async load(dir: string, embeddings: EmbeddingsInterface, dimensions: number): Promise<VectorIndex> {
    if (existsSync(join(dir, FLAT_IDS_FILE))) {
      const flat = FlatVectors.open(dir);
      return new VectorIndex(null, flat.dimensions, flat);
    }
    if (!existsSync(join(dir, "hnswlib.index"))) return new VectorIndex(null, dimensions);
    return new VectorIndex(await HNSWLib.load(dir, embeddings), dimensions);
  }

  /** The k nearest vectors that pass `filter` (exact filtering inside the graph walk). */
  search(query: number[], k: number, filter?: (id: string) => boolean): VectorHit[] {
    if ((!this.store && !this.flat) || k <= 0) return [];
    if (query.length !== this.dimensions)
      throw new Error(`query vector has ${query.length} dimensions, the index ${this.dimensions}; re-run ingest with the same embedder`);
    if (this.flat) return this.flat.search(query, k, filter);
    if (!this.store) return [];
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
