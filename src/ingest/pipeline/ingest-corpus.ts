/**
 * The ingest pipeline: corpus folders -> a new index generation (index-store.ts), in named stages:
 *
 *   plan        read the previous generation's manifest; discover the files; stat each one and
 *               hash only those whose size / mtime / inode changed (git's index does the same);
 *               classify added / updated / unchanged / duplicate / failed / removed
 *   load        load + chunk the added and updated files (worker threads for the embedded embedder)
 *   embed       vectors for the new chunks (reusing an updated document's vectors of unchanged
 *               texts), keyword terms right after each batch
 *   segment     write the new chunks as one new immutable segment (segment.ts)
 *   commit      tombstone the chunks of updated and removed documents, merge segments when a size
 *               tier fills up (merge-policy.ts), write the manifest and switch CURRENT
 *
 * Nothing already indexed is read, re-tokenised or rewritten unless a merge picks its segment, so
 * adding or removing one document costs about the same at any corpus size.
 *
 * - Identical content reached twice (the bulletins are both in corpus/ and in
 *   ../shared/corpus/bulletins/) is indexed once, under the first path; the others are recorded
 *   as duplicates and reported as unchanged.
 * - A file that cannot be read goes to `failed` with its reason and is remembered by content hash:
 *   it is not loaded again until it changes (or `--rebuild`). A subfolder that cannot be listed
 *   fails alone: the rest of its root is indexed, and what was indexed from it is kept.
 * - Files indexed before under a root not listed this time are kept (and re-checked) as long as
 *   they exist; files gone from disk lose their chunks (deleting every file empties the index).
 *   `rebuild` ignores the previous index.
 * - A different embedder, tokenizer, index format or forced vector form rebuilds everything.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileDigest } from "../read-file.js";
import { availableParallelism } from "node:os";
import { normalize, sep } from "node:path";
import type { IngestReport } from "../types.js";
import { IndexNotFoundError, IndexUnreadableError, failureReason as errorReason } from "../../errors.js";
import type { Chunk, DocumentMeta } from "../types.js";
import { Bm25Index } from "../../index/bm25-index.js";
import { contextualText, TOKENIZER_VERSION, vectorKey } from "../../index/chunk-text.js";
import { defaultCorpusSource, type CorpusSource } from "./corpus-source.js";
import {
  HASHING_PROVIDER,
  HashingEmbeddings,
  type HashingEmbeddingsOptions,
} from "../../index/embeddings/hashing-embeddings.js";
import { embedderId } from "../../index/embeddings/identified-embeddings.js";
import {
  commitGeneration,
  FORMAT_VERSION,
  readGeneration,
  readTombstones,
  withIndexLock,
  type FileStat,
  type FolderStats,
  type IndexMeta,
  type ManifestEntry,
  type SegmentRef,
  type StoredGeneration,
  type WriteHooks,
} from "../../index/index-store.js";
import { IngestPool, IngestPoolError } from "./ingest-pool.js";
import type { IngestTaskResult } from "./ingest-worker.js";
import { applyMergePolicy } from "../../index/merge-policy.js";
import { checkSegment, segmentDir, writeSegment } from "../../index/segment.js";
import { indexTerms } from "../../index/tokenize.js";
import { buildVectorIndex, chooseVectorForm, openVectorIndex } from "../../index/vector-index.js";

export interface IngestOptions {
  corpusDirs: string[];
  indexDir: string;
  embeddings: Embeddings;
  rebuild?: boolean;
  log?: (line: string) => void;
  /** Defaults to the real loaders (src/ingest: loadDocument is the only way a file is read). */
  source?: CorpusSource;
  /**
   * Worker threads that load, embed and term-extract files when the embedder is the embedded
   * HashingEmbeddings and the real loaders are used (default: 2 on a machine with ≥ 2 cores,
   * for ≥ 2 MB of files to load; 0 = main thread only). The index is the same either way.
   */
  workers?: number;
  /** Texts per embedDocuments call (default 64). */
  batchSize?: number;
  /** Vector index form: auto (default: flat for sparse vectors, HNSW for dense), or forced (VECTOR_INDEX). */
  vectorIndex?: "auto" | "hnsw" | "flat";
  /** Test hooks: called between stages and steps of the commit (a throw simulates a crash there). */
  writeHooks?: WriteHooks;
  /** New chunks per segment (default SEGMENT_CHUNKS). */
  segmentChunks?: number;
}

/**
 * Below this many bytes of files to load (~5,000 chunks), starting workers costs more than it
 * saves: each loads jieba, its IDF table and the loaders, ~1.2 s of CPU under tsx (measured on
 * the 2-core bench machine), while a chunk takes ~0.7 ms.
 */
const MIN_POOL_BYTES = 2_000_000;

/**
 * The options the worker threads rebuild the embedder from (they check the rebuilt id), or null to
 * embed in the main thread: only an embedder that declares the hashing provider goes to them.
 */
function workerHashingOptions(e: Embeddings): HashingEmbeddingsOptions | null {
  if (!(e instanceof HashingEmbeddings) || e.provider !== HASHING_PROVIDER) return null;
  return {
    dimensions: e.dimensions,
    wordWeight: e.wordWeight,
    bigramWeight: e.bigramWeight,
    trigramWeight: e.trigramWeight,
    unigramWeight: e.unigramWeight,
  };
}

function startPool(
  options: IngestOptions,
  embedderId: string,
  files: number,
  bytes: number,
  log: (line: string) => void,
): IngestPool | null {
  const size = options.workers ?? (availableParallelism() >= 2 ? 2 : 0);
  const embedder = workerHashingOptions(options.embeddings);
  if (
    size <= 0 ||
    !embedder ||
    options.source ||
    files === 0 ||
    (options.workers === undefined && bytes < MIN_POOL_BYTES)
  )
    return null;
  log(`Loading and embedding ${files} file(s) in ${size} worker thread(s)…`);
  return new IngestPool(size, embedder, embedderId, log);
}

interface Context {
  options: IngestOptions;
  log: (line: string) => void;
  embedderId: string;
  forced: "flat" | "hnsw" | undefined;
  source: CorpusSource;
  report: IngestReport;
  step: (name: string) => Promise<void>;
}

interface Candidate {
  path: string;
  root: string;
}

/** A file to load: added, or updated (its previous entry's chunks are tombstoned at commit). */
interface ToLoad extends Candidate {
  sha: string;
  stat: FileStat;
  bytes: number;
  before: ManifestEntry | undefined;
}

interface Plan {
  /** The previous generation, when the new one builds on it (same embedder, tokenizer, format, form). */
  prev: StoredGeneration | null;
  /** Manifest of the new generation, in candidate order; entries of files to load are placeholders. */
  entries: (ManifestEntry | ToLoad)[];
  toLoad: ToLoad[];
  /** Previous entries whose chunks leave the index (updated, removed). */
  dropped: ManifestEntry[];
  /** Stats were taken after this instant (a file modified since is hashed again next time). */
  startedAt: number;
  /** No listed root could be read: nothing is written (its files stay indexed either way). */
  allRootsFailed: boolean;
  /** Folder mtimes of a complete listing (for the next ingest's unchangedListing). */
  folders: FolderStats | undefined;
}

export async function ingestCorpus(options: IngestOptions): Promise<IngestReport> {
  return withIndexLock(options.indexDir, () => ingestLocked(options), { log: options.log });
}

async function ingestLocked(options: IngestOptions): Promise<IngestReport> {
  const ctx: Context = {
    options,
    log: options.log ?? (() => {}),
    embedderId: embedderId(options.embeddings),
    forced: options.vectorIndex === "auto" ? undefined : options.vectorIndex,
    source: options.source ?? (await defaultCorpusSource()),
    report: { added: [], updated: [], unchanged: [], removed: [], failed: [], chunks: 0, written: false },
    step: async (name) => void (await options.writeHooks?.step?.(name)),
  };
  const plan = await planIngest(ctx);
  const { report, log } = ctx;
  const prevMeta = plan.prev?.meta;
  if (plan.allRootsFailed) {
    log(
      plan.prev
        ? "Nothing could be indexed; the previous index is left as it was."
        : "Nothing could be indexed; no index written.",
    );
    report.chunks = prevMeta?.chunks ?? 0;
    return report;
  }
  if (plan.prev && plan.toLoad.length === 0 && plan.dropped.length === 0) {
    const manifest = plan.entries as ManifestEntry[];
    if (
      JSON.stringify(manifest) === JSON.stringify(plan.prev.manifest) &&
      JSON.stringify(plan.folders) === JSON.stringify(plan.prev.folders)
    ) {
      log("Nothing changed; the index is up to date.");
      report.chunks = plan.prev.meta.chunks;
      report.written = true;
      return report;
    }
  }
  // load -> embed -> segment, one segment per SEGMENT_CHUNKS new chunks (memory stays bounded)
  const placed: Placed = {
    byPath: new Map(),
    segments: [],
    dimensions: plan.prev?.meta.embedder.dimensions ?? 0,
    form: plan.prev?.meta.segments.length ? plan.prev.meta.vectorForm : undefined,
  };
  for await (const loaded of loadChanged(ctx, plan, options.segmentChunks ?? SEGMENT_CHUNKS)) {
    await ctx.step("loaded");
    const embedded = await embedNew(ctx, plan, loaded, placed);
    await ctx.step("embedded");
    if (!embedded.chunks.length) continue;
    const segment = await writeSegment(options.indexDir, embedded);
    // only its name and size stay: the written chunks, postings and vectors are let go
    placed.segments.push({ name: segment.name, size: segment.size });
    for (const d of loaded.docs)
      placed.byPath.set(d.item.path, { docId: d.meta.id, segment: segment.name, ...segment.docRanges.get(d.meta.id)! });
    await ctx.step("segment");
  }
  await commit(ctx, plan, placed);
  return report;
}

/**
 * New chunks per segment an ingest writes: a full build of a big corpus streams through
 * several segments instead of holding every chunk, vector and posting at once (~0.5 GB per
 * 50k chunks with 1024-dimension vectors).
 */
export const SEGMENT_CHUNKS = 50_000;

/** Files the worker threads may load ahead of the pipeline. */
const PREFETCH_FILES = 64;

/** Where the new documents went. */
interface Placed {
  byPath: Map<string, { docId: string; segment: string; first: number; count: number }>;
  segments: { name: string; size: number }[];
  dimensions: number;
  /** The vector form of the index (the previous segments', or chosen from the first new vectors). */
  form: "flat" | "hnsw" | undefined;
}

// --- stage 1: plan ---

const sameStat = (a: FileStat | undefined, b: FileStat) =>
  !!a && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

/**
 * The previous generation, and whether the new one builds on it (same embedder, tokenizer, vector
 * form, every segment file intact); when not, its manifest still tells added from updated.
 */
async function previousGeneration(ctx: Context): Promise<{ prev: StoredGeneration | null; compatible: boolean }> {
  if (ctx.options.rebuild) return { prev: null, compatible: false };
  let prev: StoredGeneration;
  try {
    prev = await readGeneration(ctx.options.indexDir);
  } catch (err) {
    if (err instanceof IndexUnreadableError) ctx.log(`${err.message} Rebuilding from scratch.`);
    else if (!(err instanceof IndexNotFoundError)) throw err;
    return { prev: null, compatible: false };
  }
  const m = prev.meta;
  if (m.embedder.id !== ctx.embedderId)
    ctx.log(
      `The index was built with embedder "${m.embedder.id}", now "${ctx.embedderId}": re-embedding every chunk (vectors of different embedders are never mixed).`,
    );
  else if (m.tokenizer !== TOKENIZER_VERSION)
    ctx.log(
      "The tokenizer (or its dictionary) changed since the index was built: rebuilding the keyword index and the vectors.",
    );
  else if (m.vectorIndex !== ctx.forced)
    ctx.log(`The vector index form changed (VECTOR_INDEX=${ctx.forced ?? "auto"}): rebuilding it.`);
  else {
    // a stat per segment file: a truncated or missing one makes this a rebuild, not a silent reuse
    try {
      for (const r of m.segments) await checkSegment(ctx.options.indexDir, r.name);
      for (const r of m.segments) await readTombstones(prev.dir, r);
      return { prev, compatible: true };
    } catch (err) {
      ctx.log(
        `The index in ${ctx.options.indexDir} is damaged (${(err as Error).message}): rebuilding it from the corpus.`,
      );
    }
  }
  return { prev, compatible: false };
}

async function planIngest(ctx: Context): Promise<Plan> {
  const { report, log, source } = ctx;
  const startedAt = Date.now();
  const { prev: prevRaw, compatible } = await previousGeneration(ctx);
  const prevManifest = prevRaw?.manifest ?? [];
  const prevByPath = new Map(prevManifest.map((e) => [e.path, e]));
  const prevWrittenAt = prevRaw ? Date.parse(prevRaw.meta.createdAt) : 0;

  // --- discover (skipped when no folder's mtime changed since the last listing: git's untracked cache) ---
  const roots = ctx.options.corpusDirs.map((d) => normalize(d));
  const candidates: Candidate[] = [];
  const seenPaths = new Set<string>();
  const unreadableDirs: string[] = [];
  const dirs: FolderStats = { roots, mtimes: {} };
  let rootsFailed = 0;
  const listed = compatible && prevRaw ? unchangedListing(prevRaw, roots, prevWrittenAt) : null;
  if (listed) {
    dirs.mtimes = prevRaw!.folders!.mtimes;
    for (const c of listed) {
      seenPaths.add(c.path);
      candidates.push(c);
    }
  }
  for (const root of listed ? [] : roots) {
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      report.failed.push({ path: root, reason: "not a folder (check the --corpus path or CORPUS_DIRS)" });
      unreadableDirs.push(root);
      rootsFailed++;
      continue;
    }
    let files: string[];
    const folders: Record<string, number> = {};
    let complete = true;
    try {
      files = await source.discover(root, {
        onUnreadable: (err) => {
          complete = false;
          unreadableDirs.push(normalize(err.path));
          report.failed.push({
            path: err.path,
            reason: `${err.reason}; the rest of ${root} is indexed, and what was indexed from this folder is kept`,
          });
        },
        onDirectory: (d) => {
          const st = statSync(d, { throwIfNoEntry: false });
          if (st) folders[normalize(d)] = Math.floor(st.mtimeMs);
        },
      });
    } catch (err) {
      report.failed.push({ path: root, reason: errorReason(err) });
      unreadableDirs.push(root);
      rootsFailed++;
      continue;
    }
    // only a complete listing (every folder reported) can stand in for the next one
    if (complete && folders[root] !== undefined) Object.assign(dirs.mtimes, folders);
    else dirs.incomplete = true;
    for (const f of files) {
      const path = normalize(f);
      if (seenPaths.has(path)) continue;
      seenPaths.add(path);
      candidates.push({ path, root });
    }
  }
  const under = (path: string, dir: string) => path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  // what was indexed from a folder (root or subfolder) that cannot be listed now stays as it was
  const carried = prevManifest.filter(
    (e) =>
      compatible && !seenPaths.has(e.path) && e.status !== "failed" && unreadableDirs.some((d) => under(e.path, d)),
  );
  for (const e of carried) seenPaths.add(e.path);
  const kept = prevManifest.filter(
    (e) => !seenPaths.has(e.path) && !roots.includes(e.root) && e.status !== "failed" && existsSync(e.path),
  );
  if (kept.length) {
    const keptRoots = [...new Set(kept.map((e) => e.root))];
    log(
      `Keeping ${kept.length} file(s) indexed earlier from ${keptRoots.join(", ")} (not listed this time; use --rebuild to drop them).`,
    );
    for (const e of kept) {
      seenPaths.add(e.path);
      candidates.push({ path: e.path, root: e.root });
    }
  }

  // --- stat every file; hash only those whose stat changed (or was taken too close to the last write) ---
  const entries: (ManifestEntry | ToLoad)[] = [];
  const toLoad: ToLoad[] = [];
  const dropped: ManifestEntry[] = [];
  const firstBySha = new Map<string, string>();
  const liveDocIds = new Set<string>();
  for (const { path, root } of candidates) {
    const before = prevByPath.get(path);
    let st: FileStat;
    let sha: string;
    let bytes = 0;
    try {
      // synchronous: ~5 µs a file, where an awaited stat per file cost ~1 s of waiting at 4,000 files (loaded machine)
      const s = statSync(path);
      // mtime to the millisecond (what a Date keeps: tools that restore times use one)
      st = { size: s.size, mtimeMs: Math.floor(s.mtimeMs), ino: s.ino };
      if (compatible && before?.sha256 && sameStat(before.stat, st) && st.mtimeMs < prevWrittenAt) sha = before.sha256;
      else {
        // streamed, and a file over the size limit is refused unread (issue 13, item 9)
        const digest = await fileDigest(path);
        sha = digest.sha;
        bytes = digest.bytes;
      }
    } catch (err) {
      report.failed.push({ path, reason: errorReason(err) });
      entries.push({ path, root, sha256: "", docId: null, status: "failed", reason: errorReason(err) });
      if (compatible && before?.status === "indexed") dropped.push(before);
      continue;
    }
    const first = firstBySha.get(sha);
    if (first !== undefined) {
      log(`${path}: same content as ${first}; indexed once.`);
      report.unchanged.push(path);
      entries.push({ path, root, sha256: sha, stat: st, docId: null, status: "duplicate", duplicateOf: first });
      if (compatible && before?.status === "indexed") dropped.push(before);
      continue;
    }
    if (
      compatible &&
      before &&
      before.sha256 === sha &&
      before.status === "indexed" &&
      before.docId &&
      before.segment &&
      !liveDocIds.has(before.docId)
    ) {
      firstBySha.set(sha, path);
      liveDocIds.add(before.docId);
      report.unchanged.push(path);
      entries.push({ ...before, root, stat: st });
      continue;
    }
    if (before && before.sha256 === sha && before.status === "failed" && before.reason && !ctx.options.rebuild) {
      report.failed.push({ path, reason: `${before.reason} (not retried until the file changes, or --rebuild)` });
      entries.push({ ...before, root, stat: st });
      continue;
    }
    if (compatible && before?.status === "indexed") dropped.push(before);
    firstBySha.set(sha, path);
    const item: ToLoad = { path, root, sha, stat: st, bytes, before };
    entries.push(item);
    toLoad.push(item);
  }
  for (const e of carried) {
    report.unchanged.push(e.path);
    entries.push(e);
    if (e.docId) liveDocIds.add(e.docId);
  }
  for (const e of prevManifest) {
    if (seenPaths.has(e.path) || e.status === "failed") continue;
    report.removed.push(e.path);
    if (compatible && e.status === "indexed") dropped.push(e);
  }
  for (const p of report.removed) log(`${p}: no longer on disk (or under the listed folders); its chunks are removed.`);
  return {
    prev: compatible ? prevRaw : null,
    entries,
    toLoad,
    dropped,
    startedAt,
    allRootsFailed: rootsFailed === roots.length,
    folders: dirs.incomplete ? undefined : dirs,
  };
}

/**
 * The files the last listing found under `roots`, when it covered the same roots completely and
 * no folder it listed has changed since (a folder's mtime changes when an entry is added, removed
 * or renamed in it; a folder changed after the last ingest began is listed again). Else null.
 */
function unchangedListing(prev: StoredGeneration, roots: readonly string[], prevWrittenAt: number): Candidate[] | null {
  const f = prev.folders;
  if (!f || f.incomplete || f.roots.length !== roots.length || f.roots.some((r, i) => r !== roots[i])) return null;
  for (const root of roots) if (f.mtimes[root] === undefined) return null;
  for (const [dir, mtime] of Object.entries(f.mtimes)) {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory() || Math.floor(st.mtimeMs) !== mtime || st.mtimeMs >= prevWrittenAt) return null;
  }
  return prev.manifest.filter((e) => roots.includes(e.root)).map((e) => ({ path: e.path, root: e.root }));
}

// --- stage 2: load ---

interface LoadedDoc {
  item: ToLoad;
  meta: DocumentMeta;
  chunks: Chunk[];
  vectors?: Float32Array;
  terms?: (string | string[])[];
}

interface Loaded {
  docs: LoadedDoc[];
  /** Ids of documents that stay (unchanged or carried), so a new document never takes one. */
  keptDocIds: Set<string>;
}

async function* loadChanged(ctx: Context, plan: Plan, maxChunks: number): AsyncGenerator<Loaded> {
  const { report, source } = ctx;
  const keptDocIds = new Set(
    plan.entries
      .filter((e): e is ManifestEntry => !("bytes" in e) && e.status === "indexed" && !!e.docId)
      .map((e) => e.docId!),
  );
  const bytes = plan.toLoad.reduce((n, t) => n + (t.bytes || t.stat.size), 0);
  const pool = startPool(ctx.options, ctx.embedderId, plan.toLoad.length, bytes, ctx.log);
  const prefetched = new Map<string, Promise<IngestTaskResult>>();
  // at most PREFETCH_FILES files ahead of the one being consumed: workers never pile up results
  // (chunks and vectors) faster than segments are written, so memory stays bounded
  let scheduled = 0;
  let consumed = 0;
  const schedule = () => {
    for (; pool && scheduled < plan.toLoad.length && scheduled < consumed + PREFETCH_FILES; scheduled++) {
      const c = plan.toLoad[scheduled]!;
      const p = pool.run(c.path, c.root);
      p.catch(() => {}); // a worker failure is handled where the file is consumed
      prefetched.set(c.path, p);
    }
  };
  schedule();
  const loadFile = async (path: string, root: string): Promise<Omit<LoadedDoc, "item">> => {
    const p = prefetched.get(path);
    if (p) {
      prefetched.delete(path);
      try {
        const r = await p;
        if (!r.ok) throw new Error(r.reason);
        return r;
      } catch (err) {
        if (!(err instanceof IngestPoolError)) throw err;
      }
    }
    const parsed = await source.load(path, root);
    return { meta: parsed.meta, chunks: source.chunk(parsed) };
  };
  let docs: LoadedDoc[] = [];
  let chunkCount = 0;
  const used = new Set(keptDocIds);
  try {
    for (const item of plan.toLoad) {
      consumed++;
      schedule();
      if (chunkCount >= maxChunks) {
        yield { docs, keptDocIds };
        docs = [];
        chunkCount = 0;
      }
      let got: Omit<LoadedDoc, "item">;
      try {
        got = await loadFile(item.path, item.root);
        if (got.chunks.length === 0)
          throw new Error("no text could be extracted (empty, or a scanned image without a text layer)");
      } catch (err) {
        const reason = errorReason(err);
        report.failed.push({ path: item.path, reason });
        plan.entries[plan.entries.indexOf(item)] = {
          path: item.path,
          root: item.root,
          sha256: item.sha,
          stat: item.stat,
          docId: null,
          status: "failed",
          reason,
        };
        continue;
      }
      // two different files with the same id (e.g. a.md under two roots): keep ids unique
      let docId = got.meta.id;
      for (let n = 2; used.has(docId); n++) docId = `${got.meta.id}~${n}`;
      used.add(docId);
      const chunks =
        docId === got.meta.id ? got.chunks : got.chunks.map((c) => ({ ...c, docId, id: `${docId}#${c.ordinal}` }));
      docs.push({ ...got, item, meta: { ...got.meta, id: docId }, chunks });
      for (const w of got.meta.warnings ?? []) ctx.log(`${item.path}: ${w}`);
      chunkCount += chunks.length;
      (item.before && item.before.status !== "failed" ? report.updated : report.added).push(item.path);
    }
    yield { docs, keptDocIds };
  } finally {
    await pool?.close();
  }
}

// --- stage 3: embed ---

interface Embedded {
  docs: DocumentMeta[];
  chunks: Chunk[];
  keys: string[];
  bm25: Bm25Index;
  vectors: Awaited<ReturnType<typeof buildVectorIndex>> | null;
  dimensions: number;
}

/** Vectors an updated document had for texts that did not change (read from its old segment). */
async function reusableVectors(ctx: Context, loaded: Loaded, needed: Set<string>): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  const bySegment = new Map<string, ManifestEntry[]>();
  for (const d of loaded.docs) {
    const b = d.item.before;
    if (b?.status === "indexed" && b.segment && b.first !== undefined && b.chunks)
      bySegment.set(b.segment, [...(bySegment.get(b.segment) ?? []), b]);
  }
  for (const [name, list] of bySegment) {
    try {
      const dir = segmentDir(ctx.options.indexDir, name);
      const keys = JSON.parse(await readFile(`${dir}/keys.json`, "utf8")) as string[];
      const positions: number[] = [];
      for (const e of list)
        for (let i = e.first!; i < e.first! + e.chunks!; i++)
          if (needed.has(keys[i]!) && !out.has(keys[i]!)) positions.push(i);
      if (!positions.length) continue;
      const info = JSON.parse(await readFile(`${dir}/segment.json`, "utf8")) as { dimensions: number };
      const index = await openVectorIndex(dir, ctx.options.embeddings, info.dimensions, { prefetch: false });
      if (!index) continue;
      index.vectorsAt(positions).forEach((v, j) => {
        out.set(keys[positions[j]!]!, v);
      });
    } catch {
      // an unreadable old segment only costs re-embedding
    }
  }
  return out;
}

async function embedNew(ctx: Context, plan: Plan, loaded: Loaded, placed: Placed): Promise<Embedded> {
  const { options, embedderId, log } = ctx;
  const docs = loaded.docs.map((d) => d.meta);
  const chunks: Chunk[] = [];
  const texts: string[] = [];
  const pre: (Float32Array | undefined)[] = [];
  const preTerms: (string | string[] | undefined)[] = [];
  for (const d of loaded.docs) {
    const dims = d.vectors ? d.vectors.length / d.chunks.length : 0;
    d.chunks.forEach((c, i) => {
      chunks.push(c);
      texts.push(contextualText(c, d.meta));
      pre.push(d.vectors?.subarray(i * dims, (i + 1) * dims));
      preTerms.push(d.terms?.[i]);
    });
  }
  const keys = texts.map((t) => vectorKey(`${embedderId}\n${t}`));
  const vectorByKey = await reusableVectors(ctx, loaded, new Set(keys.filter((_, i) => !pre[i])));
  const todo = new Set(keys.filter((k, i) => !vectorByKey.has(k) && !pre[i])).size;
  if (todo) log(`Embedding ${todo} new chunk(s) with ${embedderId}…`);
  const batch = options.batchSize ?? 64;
  const bm25 = new Bm25Index();
  /** New vectors in chunk order: a text to embed, or the vector a worker made. */
  const pending = new Map<string, string | Float32Array>();
  let termsDone = 0;
  const flush = async (upTo: number) => {
    if (pending.size) {
      const part = [...pending];
      pending.clear();
      const toEmbed = part.filter((e): e is [string, string] => typeof e[1] === "string");
      const vectors = toEmbed.length ? await options.embeddings.embedDocuments(toEmbed.map(([, t]) => t)) : [];
      if (vectors.length !== toEmbed.length)
        throw new Error(`embedder ${embedderId} returned ${vectors.length} vectors for ${toEmbed.length} texts`);
      const made = new Map(toEmbed.map(([key], j) => [key, vectors[j]!]));
      for (const [key, v] of part) vectorByKey.set(key, typeof v === "string" ? Float32Array.from(made.get(key)!) : v);
    }
    // index terms of the same chunks right after (tokenize.ts remembers the words the embedder just segmented)
    for (; termsDone < upTo; termsDone++) {
      const t = preTerms[termsDone];
      bm25.add(
        chunks[termsDone]!.id,
        t === undefined ? indexTerms(texts[termsDone]!) : typeof t !== "string" ? t : t === "" ? [] : t.split("\n"),
      );
    }
  };
  for (let i = 0; i < chunks.length; i++) {
    const key = keys[i]!;
    if (!vectorByKey.has(key) && !pending.has(key)) pending.set(key, pre[i] ?? texts[i]!);
    if (pending.size >= batch) await flush(i + 1);
  }
  await flush(chunks.length);
  const vectors = keys.map((k) => vectorByKey.get(k)!);
  vectorByKey.clear();
  if (!vectors.length) return { docs, chunks, keys, bm25, vectors: null, dimensions: placed.dimensions };
  const dimensions = vectors[0]!.length;
  if (vectors.some((v) => v.length !== dimensions))
    throw new Error(`embedder ${embedderId} returned vectors of different sizes`);
  const existing = (plan.prev?.meta.segments.length ?? 0) + placed.segments.length;
  if (existing && placed.dimensions !== dimensions)
    throw new Error(
      `embedder ${embedderId} now returns ${dimensions} dimensions, the index holds ${placed.dimensions}; run \`npm run ingest -- --rebuild\``,
    );
  placed.dimensions = dimensions;
  // one form for the whole index: the existing segments', else chosen from the first new vectors
  placed.form ??= chooseVectorForm(vectors, dimensions, ctx.forced);
  const index = await buildVectorIndex(
    placed.form,
    options.embeddings,
    chunks.map((c) => c.id),
    vectors,
    dimensions,
  );
  return { docs, chunks, keys, bm25, vectors: index, dimensions };
}

// --- stage 5: commit ---

function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3]! |= 1 << (i & 7);
}

async function commit(ctx: Context, plan: Plan, placed: Placed): Promise<void> {
  const { options, report } = ctx;
  const prev = plan.prev;
  // tombstones: the previous generation's, plus the chunks of every dropped document
  const refs: SegmentRef[] = prev ? prev.meta.segments.map((r) => ({ ...r })) : [];
  const tombstones = new Map<string, Uint8Array>();
  for (const r of refs) {
    const bits = prev ? await readTombstones(prev.dir, r) : null;
    if (bits) tombstones.set(r.name, bits);
  }
  for (const e of plan.dropped) {
    const r = refs.find((x) => x.name === e.segment);
    if (!r || e.first === undefined || !e.chunks) continue;
    let bits = tombstones.get(r.name);
    if (!bits) tombstones.set(r.name, (bits = new Uint8Array(Math.ceil(r.chunks / 8))));
    for (let i = e.first; i < e.first + e.chunks; i++) setBit(bits, i);
  }
  for (const r of refs) r.deleted = countBits(tombstones.get(r.name));
  // the manifest: new documents point into the new segment
  const manifest: ManifestEntry[] = [];
  for (const e of plan.entries) {
    if (!("bytes" in e)) {
      manifest.push(e);
      continue;
    }
    const p = placed.byPath.get(e.path)!;
    manifest.push({
      path: e.path,
      root: e.root,
      sha256: e.sha,
      stat: e.stat,
      docId: p.docId,
      segment: p.segment,
      first: p.first,
      chunks: p.count,
      status: "indexed",
    });
  }
  for (const segment of placed.segments) refs.push({ name: segment.name, chunks: segment.size, deleted: 0 });
  // drop fully deleted segments; merge when a size tier fills up
  const merged = await applyMergePolicy({
    indexDir: options.indexDir,
    embeddings: options.embeddings,
    refs,
    tombstones,
    manifest,
    log: ctx.log,
  });
  if (merged) await ctx.step("merged");
  const live = refs.filter((r) => r.deleted < r.chunks);
  const liveTombstones = new Map(
    [...tombstones].filter(([name]) => live.some((r) => r.name === name && r.deleted > 0)),
  );
  const chunks = live.reduce((n, r) => n + r.chunks - r.deleted, 0);
  const docs = manifest.filter((e) => e.status === "indexed").length;
  const meta: IndexMeta = {
    formatVersion: FORMAT_VERSION,
    embedder: { id: ctx.embedderId, dimensions: placed.dimensions },
    tokenizer: TOKENIZER_VERSION,
    createdAt: new Date(plan.startedAt).toISOString(),
    docs,
    chunks,
    ...(ctx.forced ? { vectorIndex: ctx.forced } : {}),
    segments: live,
  };
  if (placed.form && live.length) meta.vectorForm = placed.form;
  await commitGeneration(
    options.indexDir,
    { meta, manifest, folders: plan.folders, tombstones: liveTombstones },
    options.writeHooks,
  );
  report.chunks = chunks;
  report.written = true;
}

function countBits(bits: Uint8Array | undefined): number {
  if (!bits) return 0;
  let n = 0;
  for (let b of bits) for (; b; b &= b - 1) n++;
  return n;
}
