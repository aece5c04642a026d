/**
 * LanceDB (`@lancedb/lancedb`, embedded, on local disk) as a peer of our index in the bench
 * (issue 14): the same chunks and the same vectors, its own full-text index and its own vector
 * search, fused by reciprocal rank fusion.
 *
 * - Keyword side: LanceDB's full-text index (Index.fts) over a `tokens` column holding the chunk
 *   text pretokenised by the project's tokenizer (src/index/tokenize.ts `indexTerms`: jieba words
 *   plus `~`-prefixed CJK bigrams, exactly the terms our BM25 index stores) joined by spaces, with
 *   the `whitespace` base tokenizer and no stemming / stop words / folding (the terms are already
 *   folded). LanceDB's own tokenizers cut Chinese into single characters or n-grams, not words.
 *   Queries are tokenised the same way and sent as a MatchQuery (OR of the terms, BM25-ranked).
 * - Vector side: cosine distance over the stored (unit-length) vectors. Which search is a build
 *   option (`vectorIndex`), because LanceDB's ANN indexes need rows to train on:
 *     "flat"        no vector index: LanceDB's exact scan (its default on an unindexed column).
 *     "ivf_hnsw_sq" one IVF partition (LanceDB's advice for HNSW below millions of rows) holding an
 *                   HNSW graph over 8-bit scalar-quantised vectors, m = 20, efConstruction = 300;
 *                   queried with ef = max(`ef` (default 200), candidates) and refineFactor = `refineFactor` (default
 *                   5: the best k×5 by SQ distance are re-scored on the full vectors).
 *     "ivf_pq"      IVF with round(sqrt(n)) partitions and PQ with dim/16 sub-vectors of 8 bits
 *                   (LanceDB's defaults), queried with nprobes = `nprobes` (default 20) and
 *                   refineFactor = `refineFactor` (default 5).
 *     "auto"        (default) flat below `annMinRows` (default 5,000) rows, ivf_hnsw_sq above: PQ/SQ
 *                   training on a few hundred rows gives codebooks of little use, and LanceDB's
 *                   docs put the exact scan within a few ms at that size.
 *   Rows added after the index was built are searched exactly (LanceDB scans unindexed fragments
 *   unless a query asks for fastSearch), so an added document is found at once, as ours is.
 * - Hybrid: the FTS hits and the vector hits (each `depth` deep, default max(100, 10k) as our
 *   hybridSearch) fused by RRF with k = 60 and equal weights (our reciprocalRankFusion).
 *
 * This file only drives LanceDB; the bench (bench/peers/run-lancedb.ts) feeds it and measures.
 */
import "./lancedb-env.js";
import * as lancedb from "@lancedb/lancedb";
import { Field, FixedSizeList, Float32, Schema, type Table as ArrowTable, Utf8 } from "apache-arrow";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeText } from "../../src/ingest/normalize.js";
import { indexTerms } from "../../src/index/tokenize.js";
import { DEFAULT_RRF_K, reciprocalRankFusion } from "../../src/retrieval/hybrid-retriever.js";

export interface PeerChunk {
  id: string;
  docId: string;
  /** The text our index embeds and tokenises (chunk-text.ts contextualText). */
  text: string;
  /** The vector our index stores for this chunk (unit length). */
  vector: Float32Array;
}

export type VectorIndexChoice = "auto" | "flat" | "ivf_hnsw_sq" | "ivf_pq";

export interface LanceDbPeerOptions {
  /** Vector dimensions (every vector must have them). */
  dimensions: number;
  /** Folder for the database (default: a new temp folder, removed by close()). */
  dir?: string;
  vectorIndex?: VectorIndexChoice;
  /** "auto" builds an ANN index from this many rows on (default 5,000). */
  annMinRows?: number;
  /** IVF_PQ: partitions probed per query (default 20). */
  nprobes?: number;
  /** IVF_HNSW_SQ: candidate list size per query (default 200). */
  ef?: number;
  /** ANN candidates re-scored on full vectors: k × refineFactor (default 5; 0 = off). */
  refineFactor?: number;
  /** Rows per Arrow batch written at build (bounded memory; default 8,192). */
  batchRows?: number;
}

export interface BuildResult {
  buildMs: number;
  /** Of which: writing the rows (including tokenizeMs), the FTS index, the vector index. */
  writeMs: number;
  /** jieba pretokenisation of the chunk texts (our tokenizer, not LanceDB's work). */
  tokenizeMs: number;
  ftsIndexMs: number;
  vectorIndexMs: number;
  rows: number;
  diskBytes: number;
  /** What the vector side does, with its parameters. */
  vectorIndex: string;
}

const TABLE = "chunks";

/** The whitespace-joined terms LanceDB's FTS index sees for a text (already normalised). */
export function pretokenize(text: string): string {
  return indexTerms(text).join(" ");
}

/** Bytes of every file under `dir`. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return total;
}

/** SQL string literal for a LanceDB filter (single quotes doubled). */
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class LanceDbPeer {
  private table: lancedb.Table | null = null;
  private vectorMode: "flat" | "ivf_hnsw_sq" | "ivf_pq" = "flat";
  /** Time spent in pretokenize (jieba) while building batches: part of writeMs. */
  private tokenizeMs = 0;
  private readonly schema: Schema;

  private constructor(
    private readonly db: lancedb.Connection,
    readonly dir: string,
    private readonly ownsDir: boolean,
    private readonly options: Required<Omit<LanceDbPeerOptions, "dir">>,
  ) {
    // nullable fields: LanceDB's sanitizer rebuilds the schema and rejects batches whose non-null flags differ
    this.schema = new Schema([
      new Field("id", new Utf8(), true),
      new Field("doc_id", new Utf8(), true),
      new Field("tokens", new Utf8(), true),
      new Field("vector", new FixedSizeList(options.dimensions, new Field("item", new Float32(), true)), true),
    ]);
  }

  static async open(options: LanceDbPeerOptions): Promise<LanceDbPeer> {
    if (!Number.isInteger(options.dimensions) || options.dimensions < 1)
      throw new Error(`LanceDbPeer: dimensions must be a whole number ≥ 1 (got ${options.dimensions})`);
    const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "lancedb-peer-")));
    const db = await lancedb.connect(dir);
    return new LanceDbPeer(db, dir, options.dir === undefined, {
      dimensions: options.dimensions,
      vectorIndex: options.vectorIndex ?? "auto",
      annMinRows: options.annMinRows ?? 5000,
      nprobes: options.nprobes ?? 20,
      ef: options.ef ?? 200,
      refineFactor: options.refineFactor ?? 5,
      batchRows: options.batchRows ?? 8192,
    });
  }

  /** One Arrow table of chunks, in the table's schema (vectors as FixedSizeList<Float32>). */
  private batch(chunks: readonly PeerChunk[]): ArrowTable {
    const dims = this.options.dimensions;
    const records = chunks.map((c) => {
      if (c.vector.length !== dims)
        throw new Error(`LanceDbPeer: chunk ${c.id} has ${c.vector.length} dimensions, expected ${dims}`);
      const t = performance.now();
      const tokens = pretokenize(c.text);
      this.tokenizeMs += performance.now() - t;
      return { id: c.id, doc_id: c.docId, tokens, vector: c.vector };
    });
    return lancedb.makeArrowTable(records, { schema: this.schema });
  }

  private get tbl(): lancedb.Table {
    if (!this.table) throw new Error("LanceDbPeer: build() first");
    return this.table;
  }

  /**
   * Writes the table (batches of `batchRows`; `chunks` may be an async source of arrays so that
   * the caller never holds every vector), then builds the FTS index and the vector index.
   */
  async build(chunks: readonly PeerChunk[] | AsyncIterable<readonly PeerChunk[]>): Promise<BuildResult> {
    const t0 = performance.now();
    this.tokenizeMs = 0;
    const source: AsyncIterable<readonly PeerChunk[]> =
      Symbol.asyncIterator in chunks
        ? chunks
        : (async function* (all: readonly PeerChunk[]) {
            yield all;
          })(chunks);
    let rows = 0;
    for await (const part of source) {
      for (let i = 0; i < part.length; i += this.options.batchRows) {
        const data = this.batch(part.slice(i, i + this.options.batchRows));
        if (!this.table) this.table = await this.db.createTable(TABLE, data, { mode: "overwrite" });
        else await this.table.add(data);
        rows += data.numRows;
      }
    }
    if (!this.table) this.table = await this.db.createEmptyTable(TABLE, this.schema, { mode: "overwrite" });
    const t1 = performance.now();
    await this.table.createIndex("tokens", {
      config: lancedb.Index.fts({
        baseTokenizer: "whitespace",
        lowercase: false,
        stem: false,
        removeStopWords: false,
        asciiFolding: false,
        withPosition: false,
      }),
    });
    const t2 = performance.now();
    const want = this.options.vectorIndex;
    this.vectorMode = want === "auto" ? (rows >= this.options.annMinRows ? "ivf_hnsw_sq" : "flat") : want;
    let described = "flat (exact scan, no vector index)";
    if (this.vectorMode === "ivf_hnsw_sq") {
      await this.table.createIndex("vector", {
        config: lancedb.Index.hnswSq({ distanceType: "cosine", numPartitions: 1, m: 20, efConstruction: 300 }),
      });
      described = `IVF_HNSW_SQ (cosine, numPartitions 1, m 20, efConstruction 300; query ef ${this.options.ef}, refineFactor ${this.options.refineFactor})`;
    } else if (this.vectorMode === "ivf_pq") {
      const numPartitions = Math.max(1, Math.round(Math.sqrt(rows)));
      const dims = this.options.dimensions;
      const numSubVectors = dims % 16 === 0 ? dims / 16 : dims % 8 === 0 ? dims / 8 : 1;
      await this.table.createIndex("vector", {
        config: lancedb.Index.ivfPq({ distanceType: "cosine", numPartitions, numSubVectors, numBits: 8 }),
      });
      described = `IVF_PQ (cosine, numPartitions ${numPartitions}, numSubVectors ${numSubVectors}, 8 bits; query nprobes ${this.options.nprobes}, refineFactor ${this.options.refineFactor})`;
    }
    const t3 = performance.now();
    return {
      buildMs: t3 - t0,
      writeMs: t1 - t0,
      tokenizeMs: this.tokenizeMs,
      ftsIndexMs: t2 - t1,
      vectorIndexMs: t3 - t2,
      rows,
      diskBytes: await dirBytes(this.dir),
      vectorIndex: described,
    };
  }

  /** Appends one document's chunks; ms until the call returns (the rows are searchable then). */
  async addOne(chunks: readonly PeerChunk[]): Promise<number> {
    const data = this.batch(chunks);
    const t = performance.now();
    await this.tbl.add(data);
    return performance.now() - t;
  }

  /** Deletes every chunk of `docId`; ms until the call returns. */
  async removeOne(docId: string): Promise<number> {
    const t = performance.now();
    await this.tbl.delete(`doc_id = ${sqlString(docId)}`);
    return performance.now() - t;
  }

  /**
   * LanceDB's maintenance step: compacts the small fragments that adds and deletes leave, folds
   * unindexed rows into the FTS and vector indexes, and removes old versions (this process is the
   * table's only user). Not needed for correctness: added rows are searched without it.
   */
  async optimize(): Promise<number> {
    const t = performance.now();
    await this.tbl.optimize({ cleanupOlderThan: new Date(), deleteUnverified: true });
    return performance.now() - t;
  }

  async rows(): Promise<number> {
    return this.tbl.countRows();
  }

  async diskBytes(): Promise<number> {
    return dirBytes(this.dir);
  }

  /** LanceDB's FTS ranking (BM25) for a query text, best first. */
  async keywordOnly(text: string, k: number): Promise<string[]> {
    const terms = pretokenize(normalizeText(text));
    if (!terms) return [];
    const rows = await this.tbl
      .query()
      .fullTextSearch(new lancedb.MatchQuery(terms, "tokens"))
      .select(["id"])
      .limit(k)
      .toArray();
    return rows.map((r: { id: string }) => r.id);
  }

  /** LanceDB's vector ranking (cosine) for a query vector, best first. */
  async vectorOnly(vector: Float32Array | readonly number[], k: number): Promise<string[]> {
    let q = this.tbl.vectorSearch(Array.from(vector)).column("vector").distanceType("cosine").select(["id"]).limit(k);
    if (this.vectorMode === "ivf_pq") q = q.nprobes(this.options.nprobes);
    // HNSW needs ef ≥ the candidates it returns (k, or k × refineFactor when refining)
    if (this.vectorMode === "ivf_hnsw_sq")
      q = q.ef(Math.max(this.options.ef, k * Math.max(1, this.options.refineFactor)));
    if (this.vectorMode !== "flat" && this.options.refineFactor > 0) q = q.refineFactor(this.options.refineFactor);
    const rows = await q.toArray();
    return rows.map((r: { id: string }) => r.id);
  }

  /** Hybrid: FTS hits and vector hits, each `depth` deep, fused by RRF (k = 60); the best k ids. */
  async query(
    text: string,
    vector: Float32Array | readonly number[],
    k: number,
    depth = Math.max(100, k * 10),
  ): Promise<string[]> {
    const [kw, vec] = await Promise.all([this.keywordOnly(text, depth), this.vectorOnly(vector, depth)]);
    const fused = reciprocalRankFusion(
      [kw.map((id, i) => ({ id, score: -i })), vec.map((id, i) => ({ id, score: -i }))],
      DEFAULT_RRF_K,
    );
    return fused.slice(0, k).map((h) => h.id);
  }

  /** Closes the table and the connection; removes the folder when open() made it. */
  async close(): Promise<void> {
    this.table?.close();
    this.table = null;
    this.db.close();
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }
}
