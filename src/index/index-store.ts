/**
 * On-disk index layout and atomic generations.
 *
 *   <indexDir>/CURRENT                 name of the live generation (replaced by rename)
 *   <indexDir>/gen-<time>-<rand>/      one complete index:
 *       meta.json                      format, embedder id + dimensions, tokenizer version, counts
 *       manifest.json                  per file: path, root, sha256, docId, chunk ids, status
 *       docs.json  chunks.jsonl        document metadata, chunks (one JSON per line)
 *       bm25.meta.json  bm25.bin       keyword index: header (ids, terms) + postings as typed arrays
 *                                      (indexes written before hold bm25.json instead; still read)
 *       vectors.json  vectors.f32      per-chunk embedding cache (keyed by embedded-text hash)
 *       hnsw/                          HNSWLib graph (hnswlib.index, docstore.json, args.json)
 *   <indexDir>/.tmp-<rand>/            a generation being written
 *   <indexDir>/.lock/                  held by the one ingest writing (see withIndexLock)
 *
 * A write fills a temp dir, fsyncs every file, renames it to gen-*, then writes CURRENT.tmp,
 * fsyncs it and renames it over CURRENT. A crash at any point leaves CURRENT naming the previous,
 * complete generation; leftovers are removed by the next write. The previous generation is kept
 * (a process that loaded it may still be reading files); older ones are deleted.
 */
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Chunk, DocumentMeta } from "../ingest/types.js";
import { AssistantError, IndexNotFoundError } from "../errors.js";
import { Bm25Index, type Bm25BinaryMeta, type Bm25Json } from "./bm25-index.js";
import { VECTOR_DATA_FILE, VECTOR_KEYS_FILE, VectorCache } from "./vector-cache.js";
import type { VectorIndex } from "./vector-index.js";

export const FORMAT_VERSION = 1;
export const CURRENT_FILE = "CURRENT";
export const HNSW_DIR = "hnsw";
export const BM25_META_FILE = "bm25.meta.json";
export const BM25_DATA_FILE = "bm25.bin";

export interface ManifestEntry {
  /** Path as discovered (relative to the working directory when given so). */
  path: string;
  /** Corpus root the file was found under. */
  root: string;
  sha256: string;
  /** Document id; null for a duplicate or a failed file. */
  docId: string | null;
  chunkIds: string[];
  status: "indexed" | "duplicate" | "failed";
  /** For a duplicate: the path whose identical content is indexed. */
  duplicateOf?: string;
  /** For a failed file: why. */
  reason?: string;
}

export interface IndexMeta {
  formatVersion: number;
  embedder: { id: string; dimensions: number };
  tokenizer: string;
  createdAt: string;
  docs: number;
  chunks: number;
  /** Set when VECTOR_INDEX forced the vector index form (absent: chosen automatically). */
  vectorIndex?: "hnsw" | "flat";
}

export interface IndexGeneration {
  meta: IndexMeta;
  manifest: ManifestEntry[];
  docs: DocumentMeta[];
  chunks: Chunk[];
  /** The index itself (written in binary form); a Bm25Json is accepted too. */
  bm25: Bm25Index | Bm25Json;
  vectors: VectorCache;
  hnsw: VectorIndex;
}

export interface StoredIndex {
  /** The generation folder read. */
  dir: string;
  meta: IndexMeta;
  manifest: ManifestEntry[];
  docs: DocumentMeta[];
  chunks: Chunk[];
}

/** The live generation folder, or null when the index dir holds no index. */
export async function currentGenerationDir(indexDir: string): Promise<string | null> {
  let name: string;
  try {
    name = (await readFile(join(indexDir, CURRENT_FILE), "utf8")).trim();
  } catch {
    return null;
  }
  if (!/^gen-[\w-]+$/.test(name)) return null;
  const dir = join(indexDir, name);
  return existsSync(join(dir, "meta.json")) ? dir : null;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

/** Reads the live generation (without keyword index, vectors or graph: see readBm25, readVectorCache). Throws IndexNotFoundError when there is none. */
export async function readIndex(indexDir: string): Promise<StoredIndex> {
  const dir = await currentGenerationDir(indexDir);
  if (!dir) throw new IndexNotFoundError(indexDir);
  try {
    const meta = await readJson<IndexMeta>(join(dir, "meta.json"));
    if (meta.formatVersion !== FORMAT_VERSION) throw new Error(`format ${meta.formatVersion}, expected ${FORMAT_VERSION}`);
    const [manifest, docs, chunksText] = await Promise.all([
      readJson<{ files: ManifestEntry[] }>(join(dir, "manifest.json")),
      readJson<DocumentMeta[]>(join(dir, "docs.json")),
      readFile(join(dir, "chunks.jsonl"), "utf8"),
    ]);
    const chunks = chunksText.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Chunk);
    return { dir, meta, manifest: manifest.files, docs, chunks };
  } catch (err) {
    const e = new IndexNotFoundError(indexDir);
    e.message = `The index in ${dir} is unreadable (${(err as Error).message}); run \`npm run ingest -- --rebuild\` to rebuild it.`;
    throw e;
  }
}

/** The keyword index of a generation (binary form, or the bm25.json of indexes written before it). */
export async function readBm25(generationDir: string): Promise<Bm25Index> {
  try {
    if (existsSync(join(generationDir, BM25_DATA_FILE))) {
      const [meta, data] = await Promise.all([readJson<Bm25BinaryMeta>(join(generationDir, BM25_META_FILE)), readFile(join(generationDir, BM25_DATA_FILE))]);
      return Bm25Index.fromBinary(meta, data);
    }
    return Bm25Index.fromJSON(await readJson<Bm25Json>(join(generationDir, "bm25.json")));
  } catch (err) {
    const e = new IndexNotFoundError(generationDir);
    e.message = `The keyword index in ${generationDir} is unreadable (${(err as Error).message}); run \`npm run ingest -- --rebuild\` to rebuild it.`;
    throw e;
  }
}

export async function readVectorCache(generationDir: string): Promise<VectorCache> {
  return VectorCache.load(generationDir);
}

async function writeSynced(file: string, data: string | Buffer): Promise<void> {
  const fh = await open(file, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await fh.close();
  }
}

export interface WriteHooks {
  /** Called between steps ("files", "hnsw", "renamed", "switched"); tests throw here to simulate a crash. */
  step?: (name: string) => void | Promise<void>;
}

/** Writes a complete new generation and switches CURRENT to it atomically. Returns its folder. */
export async function writeIndex(indexDir: string, gen: IndexGeneration, hooks: WriteHooks = {}): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, "");
  const rand = randomBytes(4).toString("hex");
  const tmp = join(indexDir, `.tmp-${stamp}-${rand}`);
  const name = `gen-${stamp}-${rand}`;
  const final = join(indexDir, name);
  await mkdir(tmp);
  try {
    const { keys, data } = gen.vectors.serialize();
    await writeSynced(join(tmp, "manifest.json"), JSON.stringify({ files: gen.manifest }, null, 1));
    await writeSynced(join(tmp, "docs.json"), JSON.stringify(gen.docs, null, 1));
    await writeSynced(join(tmp, "chunks.jsonl"), gen.chunks.map((c) => JSON.stringify(c)).join("\n") + "\n");
    const bm25 = (gen.bm25 instanceof Bm25Index ? gen.bm25 : Bm25Index.fromJSON(gen.bm25)).toBinary();
    await writeSynced(join(tmp, BM25_META_FILE), JSON.stringify(bm25.meta));
    await writeSynced(join(tmp, BM25_DATA_FILE), bm25.data);
    await writeSynced(join(tmp, VECTOR_KEYS_FILE), keys);
    await writeSynced(join(tmp, VECTOR_DATA_FILE), data);
    await hooks.step?.("files");
    const hnswDir = join(tmp, HNSW_DIR);
    await mkdir(hnswDir);
    await gen.hnsw.save(hnswDir);
    for (const f of await readdir(hnswDir)) await fsyncPath(join(hnswDir, f));
    await fsyncPath(hnswDir);
    await hooks.step?.("hnsw");
    // meta.json last: a generation without it is never treated as complete
    await writeSynced(join(tmp, "meta.json"), JSON.stringify(gen.meta, null, 1));
    await fsyncPath(tmp);
    await rename(tmp, final);
    await fsyncPath(indexDir);
    await hooks.step?.("renamed");
    const pointerTmp = join(indexDir, `${CURRENT_FILE}.${rand}.tmp`);
    await writeSynced(pointerTmp, `${name}\n`);
    await rename(pointerTmp, join(indexDir, CURRENT_FILE));
    await fsyncPath(indexDir);
    await hooks.step?.("switched");
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await cleanup(indexDir, name);
  return final;
}

/** Removes generations other than the live one and the one before it, and stale temp dirs. */
async function cleanup(indexDir: string, live: string): Promise<void> {
  const entries = await readdir(indexDir);
  const gens = entries.filter((e) => e.startsWith("gen-") && e !== live).sort();
  const keep = new Set([live, gens[gens.length - 1]]);
  const hourAgo = Date.now() - 3600_000;
  for (const e of entries) {
    const p = join(indexDir, e);
    if (e.startsWith("gen-") && !keep.has(e)) await rm(p, { recursive: true, force: true });
    else if (e.startsWith(".tmp-") || (e.startsWith(`${CURRENT_FILE}.`) && e.endsWith(".tmp"))) {
      const s = await stat(p).catch(() => null);
      if (s && s.mtimeMs < hourAgo) await rm(p, { recursive: true, force: true });
    }
  }
}

export const LOCK_DIR = ".lock";
export const LOCK_OWNER_FILE = "owner.json";

/** Who holds the index lock (written into .lock/owner.json right after the lock is taken). */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** true when `pid` is a running process on this machine (EPERM: it runs under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Why the lock held by `owner` may be taken over at once, or null while it must be waited for:
 * its process is gone (same host), or the lock is older than `staleMs` (another host, where the
 * PID cannot be checked). A lock without an owner file is one being taken right now, or left by
 * a crash between mkdir and the write: stale once a few seconds old.
 */
function staleReason(owner: LockOwner | null, lockAgeMs: number, staleMs: number): string | null {
  if (owner && owner.host === hostname()) return processAlive(owner.pid) ? null : `its process ${owner.pid} is no longer running`;
  if (!owner && lockAgeMs > 5_000) return "it names no owner";
  if (lockAgeMs > staleMs) return `it is older than ${Math.round(staleMs / 60_000)} min`;
  return null;
}

async function readOwner(lock: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await readFile(join(lock, LOCK_OWNER_FILE), "utf8")) as LockOwner;
    return typeof o.pid === "number" && typeof o.host === "string" ? o : null;
  } catch {
    return null;
  }
}

/**
 * Runs `fn` while holding the index's writer lock (an exclusive mkdir of .lock/, with the owner's
 * PID, host and start time in .lock/owner.json), so two ingests never interleave. Waits for a
 * running ingest up to `waitMs`; a lock whose process is gone (kill -9, out of memory) is taken
 * over at once, one from another host after `staleMs`. SIGINT / SIGTERM while the lock is held
 * remove it before the process ends.
 */
export async function withIndexLock<T>(indexDir: string, fn: () => Promise<T>, options: { waitMs?: number; staleMs?: number; log?: (line: string) => void } = {}): Promise<T> {
  const waitMs = options.waitMs ?? 120_000;
  const staleMs = options.staleMs ?? 15 * 60_000;
  const lock = join(indexDir, LOCK_DIR);
  await mkdir(indexDir, { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const s = await stat(lock).catch(() => null);
      if (!s) continue;
      const owner = await readOwner(lock);
      const why = staleReason(owner, Date.now() - s.mtimeMs, staleMs);
      if (why) {
        // rename first: of two ingests that both judged it stale, only one moves it away
        const aside = join(indexDir, `${LOCK_DIR}-stale-${randomBytes(4).toString("hex")}`);
        if (await rename(lock, aside).then(() => true, () => false)) {
          options.log?.(`Took over the index lock in ${indexDir}: ${why}.`);
          await rm(aside, { recursive: true, force: true });
        }
        continue;
      }
      if (Date.now() > deadline) {
        const who = owner ? ` (process ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : "";
        throw new AssistantError(`Another ingest${who} is writing the index in ${indexDir}; wait for it to finish (or remove ${lock} if no ingest is running).`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const release = () => rmSync(lock, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    detach();
    // nobody else handles the signal: end the way the default handler would
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const detach = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await writeFile(join(lock, LOCK_OWNER_FILE), JSON.stringify(owner));
    return await fn();
  } finally {
    detach();
    release();
  }
}
