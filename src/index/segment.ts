/**
 * One immutable segment of the index: the documents and chunks one ingest (or one merge) added,
 * with their keyword postings and vectors.
 *
 *   <indexDir>/segments/<name>/
 *       segment.json               counts, dimensions, vector form
 *       docs.json  chunks.jsonl    document metadata and chunk records, as ingest made them (every
 *                                  field kept, also fields this module does not know)
 *       chunks.offsets             where each chunk's line starts (a search reads only its hits)
 *       keys.json                  per chunk: the hash of its embedded text (vectors are reused for
 *                                  an unchanged text when its document is updated)
 *       bm25.meta.json  bm25.bin   keyword postings (positions are the chunk positions)
 *       flat/ or hnsw/             the vector index (vector-index.ts)
 *
 * Written under segments/.tmp-<name>/, fsynced and renamed: a segment either exists whole or not
 * at all. It is never changed afterwards; deletions are tombstone bitmaps kept by each generation
 * (index-store.ts), which also decides which segments are live.
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { closeSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { IndexUnreadableError } from "../errors.js";
import type { Chunk, DocumentMeta } from "../ingest/types.js";
import { Bm25Index, type Bm25BinaryMeta } from "./bm25-index.js";
import { openVectorIndex, type VectorIndex } from "./vector-index.js";

export const SEGMENTS_DIR = "segments";
/** Byte offset of each line of chunks.jsonl (Float64, little-endian, chunks + 1 entries). */
const CHUNK_OFFSETS_FILE = "chunks.offsets";

function littleEndian(a: Float64Array): Buffer {
  const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return endianness() === "LE" ? b : Buffer.from(b).swap64();
}

export interface SegmentInfo {
  name: string;
  docs: number;
  chunks: number;
  dimensions: number;
  vectors: "flat" | "hnsw" | "none";
  createdAt: string;
  /** Size of every file (path inside the segment): a truncated or missing file is found by a stat. */
  files: Record<string, number>;
  /** Chunks of each document, in docs.json order (chunks are stored document by document). */
  docChunks: number[];
}

export interface SegmentData {
  docs: DocumentMeta[];
  /** In document order: the chunks of docs[0], then of docs[1], … */
  chunks: Chunk[];
  /** Per chunk, the vector key of its embedded text. */
  keys: string[];
  bm25: Bm25Index;
  vectors: VectorIndex | null;
  dimensions: number;
}

/**
 * An open segment (read once; its parts are shared by every generation that lists it). Chunk
 * records stay the bytes of chunks.jsonl until one is asked for: a search parses the few it
 * returns, not all of them (~1 s for 100k chunks, the biggest part of a cold start).
 */
export class Segment {
  /** Chunk ids by position (the keyword index's own list). */
  readonly ids: readonly string[];
  /** Per document (same order as docs): its first chunk position and count. */
  readonly docRanges: Map<string, { first: number; count: number }>;
  /** Document index by chunk position. */
  private readonly docAt: Int32Array;
  private keyList: string[] | null;
  private readonly parsed: (Chunk | undefined)[];
  private all: Chunk[] | null = null;
  constructor(
    readonly dir: string,
    readonly info: SegmentInfo,
    readonly docs: DocumentMeta[],
    /** The chunk records, or the byte offsets of their lines in chunks.jsonl (each read and parsed on demand). */
    records: Chunk[] | Float64Array,
    readonly bm25: Bm25Index,
    readonly vectors: VectorIndex | null,
    keys: string[] | null = null,
  ) {
    this.ids = bm25.localIds();
    const n = this.ids.length;
    if (Array.isArray(records)) {
      this.all = records;
      this.parsed = records;
    } else {
      if (records.length !== n + 1)
        throw new Error(`${join(dir, CHUNK_OFFSETS_FILE)}: ${records.length - 1} offsets for ${n} chunks`);
      this.parsed = new Array(n);
      this.offsets = records;
    }
    this.docRanges = new Map();
    this.docAt = new Int32Array(n);
    let first = 0;
    docs.forEach((d, di) => {
      const count = info.docChunks[di]!;
      this.docRanges.set(d.id, { first, count });
      this.docAt.fill(di, first, first + count);
      first += count;
    });
    if (first !== n) throw new Error(`${dir}: documents hold ${first} chunks, the keyword index ${n}`);
    this.keyList = keys;
  }

  private readonly offsets: Float64Array | null = null;

  get name(): string {
    return this.info.name;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The document of the chunk at a position (no chunk record parsed). */
  docOf(position: number): DocumentMeta {
    return this.docs[this.docAt[position]!]!;
  }

  /** The chunk record at a position, as ingest wrote it. */
  chunk(position: number): Chunk {
    let c = this.parsed[position];
    if (!c) {
      const file = join(this.dir, "chunks.jsonl");
      try {
        c = JSON.parse(this.readLines(position, position + 1)[0]!) as Chunk;
      } catch (err) {
        throw new IndexUnreadableError(dirname(dirname(this.dir)), file, (err as Error).message);
      }
      if (c.id !== this.ids[position])
        throw new IndexUnreadableError(
          dirname(dirname(this.dir)),
          file,
          `chunk ${position} is ${c.id}, expected ${this.ids[position]}`,
        );
      this.parsed[position] = c;
    }
    return c;
  }

  /** Every chunk record, in order (reads the whole file once). */
  get chunks(): Chunk[] {
    if (!this.all) {
      const lines = this.readLines(0, this.ids.length);
      this.all = this.ids.map((_, i) => {
        if (!this.parsed[i]) {
          const c = JSON.parse(lines[i]!) as Chunk;
          if (c.id !== this.ids[i])
            throw new IndexUnreadableError(
              dirname(dirname(this.dir)),
              join(this.dir, "chunks.jsonl"),
              `chunk ${i} is ${c.id}, expected ${this.ids[i]}`,
            );
          this.parsed[i] = c;
        }
        return this.parsed[i]!;
      });
    }
    return this.all;
  }

  /**
   * Lines from..to-1 of chunks.jsonl, read with one positioned read (open, read, close: no file
   * stays open, so a later ingest can always delete an old segment, on Windows too).
   */
  private readLines(from: number, to: number): string[] {
    const o = this.offsets!;
    const start = o[from]!;
    const bytes = Buffer.alloc(o[to]! - start);
    const fd = openSync(join(this.dir, "chunks.jsonl"), "r");
    try {
      for (let done = 0; done < bytes.length; ) {
        const got = readSync(fd, bytes, done, bytes.length - done, start + done);
        if (got <= 0) throw new Error("file ended early (truncated)");
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(bytes.toString("utf8", o[i]! - start, o[i + 1]! - start - 1));
    return out;
  }

  /** Vector keys by position (read on first use: only ingest needs them). */
  async keys(): Promise<string[]> {
    this.keyList ??= JSON.parse(await readFile(join(this.dir, "keys.json"), "utf8")) as string[];
    if (this.keyList.length !== this.ids.length)
      throw new Error(`${join(this.dir, "keys.json")}: ${this.keyList.length} keys for ${this.ids.length} chunks`);
    return this.keyList;
  }
}

function countByDoc(docs: readonly DocumentMeta[], chunks: readonly Chunk[]): number[] {
  const counts = new Map(docs.map((d) => [d.id, 0]));
  for (const c of chunks) counts.set(c.docId, (counts.get(c.docId) ?? 0) + 1);
  return docs.map((d) => counts.get(d.id)!);
}

export function segmentDir(indexDir: string, name: string): string {
  return join(indexDir, SEGMENTS_DIR, name);
}

/** Write a file and fsync it before returning (segments and generations are committed by rename after this). */
export async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(file, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await fh.close();
  }
}

async function fsyncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await fsyncTree(p);
    else await fsyncPath(p);
  }
  await fsyncPath(dir);
}

/** Writes a new segment (atomically: temp folder, fsync, rename) and returns it open. */
export async function writeSegment(indexDir: string, data: SegmentData): Promise<Segment> {
  const root = join(indexDir, SEGMENTS_DIR);
  await mkdir(root, { recursive: true });
  const name = `seg-${new Date().toISOString().replace(/[-:.TZ]/g, "")}-${randomBytes(4).toString("hex")}`;
  const tmp = join(root, `.tmp-${name}`);
  await mkdir(tmp);
  try {
    await writeSynced(join(tmp, "docs.json"), JSON.stringify(data.docs));
    const lines = data.chunks.map((c) => Buffer.from(`${JSON.stringify(c)}\n`));
    const offsets = new Float64Array(lines.length + 1);
    lines.forEach((l, i) => {
      offsets[i + 1] = offsets[i]! + l.length;
    });
    await writeSynced(join(tmp, "chunks.jsonl"), Buffer.concat(lines));
    await writeSynced(join(tmp, CHUNK_OFFSETS_FILE), littleEndian(offsets));
    await writeSynced(join(tmp, "keys.json"), JSON.stringify(data.keys));
    const bm25 = data.bm25.toBinary();
    await writeSynced(join(tmp, "bm25.meta.json"), JSON.stringify(bm25.meta));
    await writeSynced(join(tmp, "bm25.bin"), bm25.data);
    if (data.vectors) await data.vectors.save(tmp);
    const files: Record<string, number> = {};
    for (const f of (await readdir(tmp, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
      const rel = relative(tmp, join(f.parentPath, f.name)).split(sep).join("/");
      files[rel] = (await stat(join(tmp, rel))).size;
    }
    const info: SegmentInfo = {
      name,
      docs: data.docs.length,
      chunks: data.chunks.length,
      dimensions: data.dimensions,
      vectors: data.vectors?.kind ?? "none",
      createdAt: new Date().toISOString(),
      files,
      docChunks: countByDoc(data.docs, data.chunks),
    };
    // segment.json last: a folder without it is never opened
    await writeSynced(join(tmp, "segment.json"), JSON.stringify(info));
    await fsyncTree(tmp);
    const final = join(root, name);
    await rename(tmp, final);
    await fsyncPath(root);
    return new Segment(final, info, data.docs, data.chunks, data.bm25, data.vectors, data.keys);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Reads segment.json and checks that every file the segment was written with is there with its
 * size (a stat each: ingest checks every live segment this way). Throws naming the bad file.
 */
export async function checkSegment(indexDir: string, name: string): Promise<SegmentInfo> {
  const dir = segmentDir(indexDir, name);
  const info = JSON.parse(await readFile(join(dir, "segment.json"), "utf8")) as SegmentInfo;
  if (info.name !== name || typeof info.files !== "object" || !info.files)
    throw new Error(`${join(dir, "segment.json")}: not this segment's description`);
  for (const [f, size] of Object.entries(info.files)) {
    const s = await stat(join(dir, f)).catch(() => null);
    if (!s) throw new Error(`${join(dir, f)} is missing`);
    if (s.size !== size)
      throw new Error(`${join(dir, f)} is ${s.size} bytes, was written with ${size} (truncated or damaged)`);
  }
  return info;
}

/** Opens a segment written by writeSegment (throws with the file that could not be read). */
export async function openSegment(
  indexDir: string,
  name: string,
  embeddings: EmbeddingsInterface,
  options: { prefetch?: boolean } = {},
): Promise<Segment> {
  const dir = segmentDir(indexDir, name);
  const file = (f: string) => join(dir, f);
  const info = await checkSegment(indexDir, name);
  const [docsText, offsetBytes, bm25Meta] = await Promise.all([
    readFile(file("docs.json"), "utf8"),
    readFile(file(CHUNK_OFFSETS_FILE)),
    readFile(file("bm25.meta.json"), "utf8"),
  ]);
  const docs = JSON.parse(docsText) as DocumentMeta[];
  // postings are read term by term when a query needs them (bm25-index.ts openBinaryFile)
  const bm25 = Bm25Index.openBinaryFile(JSON.parse(bm25Meta) as Bm25BinaryMeta, file("bm25.bin"));
  if (bm25.size !== info.chunks)
    throw new Error(`${file("bm25.bin")}: ${bm25.size} documents, expected ${info.chunks}`);
  const vectors =
    info.vectors === "none"
      ? null
      : await openVectorIndex(dir, embeddings, info.dimensions, { prefetch: options.prefetch ?? false });
  if (info.vectors !== "none" && (!vectors || vectors.size !== info.chunks))
    throw new Error(
      `${dir}: the ${info.vectors} vector index is missing or holds ${vectors?.size ?? 0} of ${info.chunks} vectors`,
    );
  if (!Array.isArray(info.docChunks) || info.docChunks.length !== docs.length)
    throw new Error(`${file("segment.json")}: no chunk count for each of the ${docs.length} documents`);
  const offsets = new Float64Array(offsetBytes.length / 8);
  new Uint8Array(offsets.buffer).set(offsetBytes);
  if (endianness() !== "LE") Buffer.from(offsets.buffer).swap64();
  return new Segment(dir, info, docs, offsets, bm25, vectors);
}
