/**
 * On-disk index layout: immutable segments (segment.ts) and atomic generations that list them.
 *
 *   <indexDir>/CURRENT                 name of the live generation (replaced by rename: the commit)
 *   <indexDir>/segments/seg-…/        immutable segments (documents, chunks, postings, vectors)
 *   <indexDir>/gen-<time>-<rand>/      one committed state of the index:
 *       meta.json                      format, embedder id + dimensions, tokenizer version, counts,
 *                                      the live segments in order, when it was written
 *       manifest.json                  per file: path, root, sha256, stat (size, mtime, inode),
 *                                      docId, segment, status (indexed / duplicate / failed + reason);
 *                                      the folders listed, with their mtimes
 *       del/<segment>.bin              tombstones: bit i set = chunk i of that segment is deleted
 *   <indexDir>/.tmp-<rand>/            a generation being written
 *   <indexDir>/.lock/                  held by the one ingest writing (see withIndexLock)
 *
 * A commit writes its new segment(s) first, then the generation into a temp dir (meta.json last),
 * fsyncs, renames it to gen-*, then writes CURRENT.tmp, fsyncs it and renames it over CURRENT. A
 * crash at any point leaves CURRENT naming the previous, complete generation; leftovers (temp
 * dirs, segments no generation lists) are removed by the next commit. The previous generation and
 * its segments are kept (a process that loaded it may still be reading files); older ones go.
 * An index in another format (FORMAT_VERSION) is rebuilt by the next ingest, never misread.
 */
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { AssistantError, IndexNotFoundError, IndexUnreadableError } from "../errors.js";
import { fsyncPath, SEGMENTS_DIR, writeSynced } from "./segment.js";

export const FORMAT_VERSION = 4;
export const CURRENT_FILE = "CURRENT";
const TOMBSTONE_DIR = "del";

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface ManifestEntry {
  /** Path as discovered (relative to the working directory when given so). */
  path: string;
  /** Corpus root the file was found under. */
  root: string;
  sha256: string;
  /** size, mtime and inode when it was hashed: an unchanged stat means unchanged bytes (as git's index). */
  stat?: FileStat;
  /** Document id; null for a duplicate or a failed file. */
  docId: string | null;
  /** The segment holding the document's chunks (indexed files), and the position of its first chunk there. */
  segment?: string;
  first?: number;
  /** Number of chunks (indexed files). */
  chunks?: number;
  status: "indexed" | "duplicate" | "failed";
  /** For a duplicate: the path whose identical content is indexed. */
  duplicateOf?: string;
  /** For a failed file: why (not retried until its content changes, or --rebuild). */
  reason?: string;
}

/** Folders a complete listing of the roots went through, with their mtimes (ms). */
export interface FolderStats {
  roots: string[];
  mtimes: Record<string, number>;
  /** A folder could not be listed: the next ingest lists again. */
  incomplete?: boolean;
}

export interface SegmentRef {
  name: string;
  chunks: number;
  /** Chunks of it deleted in this generation (their bits are in del/<name>.bin). */
  deleted: number;
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
  /** The form of the segments' vector indexes (one for the whole index). */
  vectorForm?: "hnsw" | "flat";
  /** Live segments, oldest first. */
  segments: SegmentRef[];
}

export interface StoredGeneration {
  /** The generation folder read. */
  dir: string;
  meta: IndexMeta;
  manifest: ManifestEntry[];
  folders?: FolderStats;
}

export interface NewGeneration {
  meta: IndexMeta;
  manifest: ManifestEntry[];
  folders?: FolderStats;
  /** Tombstone bitmap per segment that has deletions. */
  tombstones: Map<string, Uint8Array>;
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

/** Reads the live generation's meta and manifest. IndexNotFoundError when there is none, IndexUnreadableError when it cannot be read. */
export async function readGeneration(indexDir: string): Promise<StoredGeneration> {
  const { dir, meta } = await readGenerationMeta(indexDir);
  const file = join(dir, "manifest.json");
  try {
    const manifest = await readJson<{ files: ManifestEntry[]; folders?: FolderStats }>(file);
    if (!Array.isArray(manifest.files)) throw new Error("no file list");
    return { dir, meta, manifest: manifest.files, ...(manifest.folders ? { folders: manifest.folders } : {}) };
  } catch (err) {
    throw new IndexUnreadableError(indexDir, file, (err as Error).message);
  }
}

/**
 * Reads the live generation's meta only (what a search needs: the manifest of every file, ~1 MB
 * at 100k chunks, is for ingest). Same errors as readGeneration.
 */
export async function readGenerationMeta(indexDir: string): Promise<{ dir: string; meta: IndexMeta }> {
  const dir = await currentGenerationDir(indexDir);
  if (!dir) {
    const pointer = join(indexDir, CURRENT_FILE);
    if (existsSync(pointer)) throw new IndexUnreadableError(indexDir, pointer, "names no complete generation");
    throw new IndexNotFoundError(indexDir);
  }
  const file = join(dir, "meta.json");
  try {
    const meta = await readJson<IndexMeta>(file);
    if (meta.formatVersion !== FORMAT_VERSION)
      throw new Error(`index format ${meta.formatVersion}, this version reads ${FORMAT_VERSION}`);
    if (!Array.isArray(meta.segments)) throw new Error("no segment list");
    return { dir, meta };
  } catch (err) {
    throw new IndexUnreadableError(indexDir, file, (err as Error).message);
  }
}

/** The tombstone bitmap of `segment` in a generation (null: nothing deleted). */
export async function readTombstones(generationDir: string, ref: SegmentRef): Promise<Uint8Array | null> {
  if (ref.deleted === 0) return null;
  const file = join(generationDir, TOMBSTONE_DIR, `${ref.name}.bin`);
  const bits = new Uint8Array(await readFile(file));
  if (bits.length !== Math.ceil(ref.chunks / 8))
    throw new Error(`${file}: ${bits.length} bytes for ${ref.chunks} chunks (truncated)`);
  return bits;
}

export interface WriteHooks {
  /**
   * Called between steps of an ingest ("loaded", "embedded", "segment", "merged", "generation",
   * "renamed", "switched"); tests throw here to simulate a crash at that point.
   */
  step?: (name: string) => void | Promise<void>;
}

/** Writes a generation listing already written segments and switches CURRENT to it atomically. Returns its folder. */
export async function commitGeneration(indexDir: string, gen: NewGeneration, hooks: WriteHooks = {}): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, "");
  const rand = randomBytes(4).toString("hex");
  const tmp = join(indexDir, `.tmp-${stamp}-${rand}`);
  const name = `gen-${stamp}-${rand}`;
  const final = join(indexDir, name);
  await mkdir(tmp);
  try {
    await writeSynced(
      join(tmp, "manifest.json"),
      JSON.stringify({ files: gen.manifest, ...(gen.folders ? { folders: gen.folders } : {}) }),
    );
    if (gen.tombstones.size) {
      await mkdir(join(tmp, TOMBSTONE_DIR));
      for (const [seg, bits] of gen.tombstones) await writeSynced(join(tmp, TOMBSTONE_DIR, `${seg}.bin`), bits);
      await fsyncPath(join(tmp, TOMBSTONE_DIR));
    }
    // meta.json last: a generation without it is never treated as complete
    await writeSynced(join(tmp, "meta.json"), JSON.stringify(gen.meta, null, 1));
    await fsyncPath(tmp);
    await hooks.step?.("generation");
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

/**
 * Removes generations other than the live one and the one before it, segments neither lists,
 * and leftovers of interrupted writes (only an ingest holding the lock calls this).
 */
export async function cleanup(indexDir: string, live: string | null): Promise<void> {
  const entries = await readdir(indexDir).catch(() => [] as string[]);
  const gens = entries.filter((e) => e.startsWith("gen-") && e !== live).sort();
  const keep = new Set([live, gens[gens.length - 1]].filter((g): g is string => !!g));
  const referenced = new Set<string>();
  for (const g of keep) {
    try {
      const meta = await readJson<IndexMeta>(join(indexDir, g, "meta.json"));
      for (const s of meta.segments ?? []) referenced.add(s.name);
    } catch {
      // an older format or a damaged generation lists no segments
    }
  }
  for (const e of entries) {
    const p = join(indexDir, e);
    if (e.startsWith("gen-") && !keep.has(e)) await rm(p, { recursive: true, force: true });
    else if (e.startsWith(".tmp-") || (e.startsWith(`${CURRENT_FILE}.`) && e.endsWith(".tmp")))
      await rm(p, { recursive: true, force: true });
  }
  const segRoot = join(indexDir, SEGMENTS_DIR);
  for (const e of await readdir(segRoot).catch(() => [] as string[]))
    if (!referenced.has(e)) await rm(join(segRoot, e), { recursive: true, force: true });
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
  if (owner && owner.host === hostname())
    return processAlive(owner.pid) ? null : `its process ${owner.pid} is no longer running`;
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
export async function withIndexLock<T>(
  indexDir: string,
  fn: () => Promise<T>,
  options: { waitMs?: number; staleMs?: number; log?: (line: string) => void } = {},
): Promise<T> {
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
        if (
          await rename(lock, aside).then(
            () => true,
            () => false,
          )
        ) {
          options.log?.(`Took over the index lock in ${indexDir}: ${why}.`);
          await rm(aside, { recursive: true, force: true });
        }
        continue;
      }
      if (Date.now() > deadline) {
        const who = owner ? ` (process ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : "";
        throw new AssistantError(
          `Another ingest${who} is writing the index in ${indexDir}; wait for it to finish (or remove ${lock} if no ingest is running).`,
        );
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
