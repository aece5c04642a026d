/**
 * The ingest pipeline: corpus folders -> an index generation (index-store.ts).
 *
 * discover -> hash every file -> compare with the previous manifest (added / updated /
 * unchanged / removed) -> load + chunk only what changed -> embed only chunks whose embedded
 * text is not in the vector cache -> rebuild BM25 and the HNSW graph -> write atomically.
 *
 * - Identical content reached twice (the bulletins are both in corpus/ and in
 *   ../shared/corpus/bulletins/) is indexed once, under the first path; the others are recorded
 *   as duplicates and reported as unchanged.
 * - A file that cannot be read goes to `failed` with its reason; everything else is indexed.
 * - Files indexed before under a root not listed this time are kept (and re-checked) as long as
 *   they exist; files gone from disk lose their chunks. `rebuild` ignores the previous index.
 * - A different embedder than the one the index was built with forces re-embedding every chunk.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { existsSync, statSync } from "node:fs";
import { fileDigest } from "../ingest/read-file.js";
import { availableParallelism } from "node:os";
import { normalize } from "node:path";
import type { IngestReport } from "../assistant/assistant.js";
import { IndexNotFoundError, IndexUnreadableError, failureReason as errorReason } from "../errors.js";
import type { Chunk, DocumentMeta, ParsedDocument } from "../ingest/types.js";
import { Bm25Index } from "./bm25-index.js";
import { contextualText, TOKENIZER_VERSION } from "./chunk-text.js";
import { defaultCorpusSource, type CorpusSource } from "./corpus-source.js";
import { embeddingsId } from "./embeddings/identified-embeddings.js";
import { FORMAT_VERSION, readIndex, readVectorCache, withIndexLock, writeIndex, type ManifestEntry, type StoredIndex, type WriteHooks } from "./index-store.js";
import { indexTerms } from "./tokenize.js";
import { VectorCache, vectorKey } from "./vector-cache.js";
import { VectorIndex } from "./vector-index.js";
import { HashingEmbeddings, type HashingEmbeddingsOptions } from "./embeddings/hashing-embeddings.js";
import { IngestPool, IngestPoolError } from "./ingest-pool.js";
import type { IngestTaskResult } from "./ingest-worker.js";

export interface IngestOptions {
  corpusDirs: string[];
  indexDir: string;
  embeddings: Embeddings;
  rebuild?: boolean;
  log?: (line: string) => void;
  /** Defaults to the real loaders (src/ingest). */
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
  /** Test hooks for the atomic write. */
  writeHooks?: WriteHooks;
}

/** The embedder's id, falling back to its class name for embedders built outside the factory. */
export function embedderIdOf(embeddings: Embeddings): string {
  try {
    return embeddingsId(embeddings);
  } catch {
    return embeddings.constructor.name;
  }
}


/**
 * Below this many bytes of files to load (~5,000 chunks), starting workers costs more than it
 * saves: each loads jieba, its IDF table and the loaders, ~1.2 s of CPU under tsx (measured on
 * the 2-core bench machine), while a chunk takes ~0.7 ms.
 */
const MIN_POOL_BYTES = 2_000_000;

/** The options of a plain HashingEmbeddings (not a subclass, no method replaced), else null. */
function plainHashingOptions(e: Embeddings): HashingEmbeddingsOptions | null {
  if (!(e instanceof HashingEmbeddings) || e.constructor !== HashingEmbeddings) return null;
  if (Object.hasOwn(e, "embedDocuments") || Object.hasOwn(e, "embedText") || Object.hasOwn(e, "features")) return null;
  return { dimensions: e.dimensions, wordWeight: e.wordWeight, bigramWeight: e.bigramWeight, trigramWeight: e.trigramWeight, unigramWeight: e.unigramWeight };
}

function startPool(options: IngestOptions, embedderId: string, files: number, bytes: number, log: (line: string) => void): IngestPool | null {
  const size = options.workers ?? (availableParallelism() >= 2 ? 2 : 0);
  const embedder = plainHashingOptions(options.embeddings);
  if (size <= 0 || !embedder || options.source || files === 0 || (options.workers === undefined && bytes < MIN_POOL_BYTES)) return null;
  log(`Loading and embedding ${files} file(s) in ${size} worker thread(s)…`);
  return new IngestPool(size, embedder, embedderId, log);
}

interface Candidate {
  path: string;
  root: string;
}

export async function ingestCorpus(options: IngestOptions): Promise<IngestReport> {
  return withIndexLock(options.indexDir, () => ingestLocked(options));
}

async function ingestLocked(options: IngestOptions): Promise<IngestReport> {
  const log = options.log ?? (() => {});
  const embedderId = embedderIdOf(options.embeddings);
  const report: IngestReport = { added: [], updated: [], unchanged: [], removed: [], failed: [], chunks: 0, written: false };

  // --- previous index ---
  let prev: StoredIndex | null = null;
  if (!options.rebuild) {
    try {
      prev = await readIndex(options.indexDir);
    } catch (err) {
      if (!(err instanceof IndexNotFoundError)) throw err;
      if (err instanceof IndexUnreadableError) log(`${err.message} Rebuilding from scratch.`);
    }
  }
  let prevCache = new VectorCache();
  if (prev && prev.meta.embedder.id === embedderId && prev.meta.tokenizer === TOKENIZER_VERSION) {
    prevCache = await readVectorCache(prev.dir).catch(() => new VectorCache());
  } else if (prev && prev.meta.embedder.id !== embedderId) {
    log(`The index was built with embedder "${prev.meta.embedder.id}", now "${embedderId}": re-embedding every chunk (vectors of different embedders are never mixed).`);
  } else if (prev) {
    log("The tokenizer (or its dictionary) changed since the index was built: rebuilding the keyword index and the vectors.");
  }
  const prevByPath = new Map((prev?.manifest ?? []).map((e) => [e.path, e]));
  const prevDocs = new Map((prev?.docs ?? []).map((d) => [d.id, d]));
  const prevChunksByDoc = new Map<string, Chunk[]>();
  for (const c of prev?.chunks ?? []) {
    const list = prevChunksByDoc.get(c.docId) ?? [];
    list.push(c);
    prevChunksByDoc.set(c.docId, list);
  }

  // --- discover ---
  const source = options.source ?? (await defaultCorpusSource());
  const roots = options.corpusDirs.map((d) => normalize(d));
  const candidates: Candidate[] = [];
  const seenPaths = new Set<string>();
  for (const root of roots) {
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      report.failed.push({ path: root, reason: "not a folder (check the --corpus path or CORPUS_DIRS)" });
      continue;
    }
    let files: string[];
    try {
      files = await source.discover(root);
    } catch (err) {
      report.failed.push({ path: root, reason: errorReason(err) });
      continue;
    }
    for (const f of files) {
      const path = normalize(f);
      if (seenPaths.has(path)) continue;
      seenPaths.add(path);
      candidates.push({ path, root });
    }
  }
  const kept = (prev?.manifest ?? []).filter((e) => !seenPaths.has(e.path) && !roots.includes(e.root) && e.status !== "failed" && existsSync(e.path));
  if (kept.length) {
    const keptRoots = [...new Set(kept.map((e) => e.root))];
    log(`Keeping ${kept.length} file(s) indexed earlier from ${keptRoots.join(", ")} (not listed this time; use --rebuild to drop them).`);
    for (const e of kept) {
      seenPaths.add(e.path);
      candidates.push({ path: e.path, root: e.root });
    }
  }

  // --- hash every file; with the embedded hashing embedder, start loading + embedding what
  // changed in worker threads (consumed below in file order, so the index does not depend on them) ---
  const hashes: ({ sha: string; bytes: number } | { err: unknown })[] = [];
  for (const { path } of candidates) {
    try {
      hashes.push(await fileDigest(path)); // streamed; a file over the size limit is refused unread
    } catch (err) {
      hashes.push({ err });
    }
  }
  const prefetched = new Map<string, Promise<IngestTaskResult>>();
  const toLoad: Candidate[] = [];
  let bytesToLoad = 0;
  const shas = new Set<string>();
  candidates.forEach((c, i) => {
    const h = hashes[i]!;
    if (!("sha" in h) || shas.has(h.sha)) return;
    shas.add(h.sha);
    const before = prevByPath.get(c.path);
    if (before && before.status === "indexed" && before.sha256 === h.sha && before.docId && prevDocs.has(before.docId)) return;
    toLoad.push(c);
    bytesToLoad += h.bytes;
  });
  const pool = startPool(options, embedderId, toLoad.length, bytesToLoad, log);
  for (const c of pool ? toLoad : []) {
    const p = pool!.run(c.path, c.root);
    p.catch(() => {}); // a worker failure is handled where the file is consumed
    prefetched.set(c.path, p);
  }
  /** One file's document and chunks, with their vectors and index terms when a worker made them. */
  const loadFile = async (path: string, root: string): Promise<{ meta: DocumentMeta; chunks: Chunk[]; vectors?: Float32Array; terms?: (string | string[])[] }> => {
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

  // --- compare, load what changed ---
  const manifest: ManifestEntry[] = [];
  const docs: DocumentMeta[] = [];
  const chunks: Chunk[] = [];
  /** Per chunk (parallel to `chunks`): its vector and terms when a worker computed them. */
  const preVectors: (Float32Array | undefined)[] = [];
  const preTerms: (string | string[] | undefined)[] = [];
  const pathBySha = new Map<string, string>();
  const usedDocIds = new Set<string>();
  try {
  for (const [ci, { path, root }] of candidates.entries()) {
    const h = hashes[ci]!;
    let sha: string;
    if ("sha" in h) sha = h.sha;
    else {
      const err = h.err;
      report.failed.push({ path, reason: errorReason(err) });
      manifest.push({ path, root, sha256: "", docId: null, chunkIds: [], status: "failed", reason: errorReason(err) });
      continue;
    }
    const before = prevByPath.get(path);
    const first = pathBySha.get(sha);
    if (first !== undefined) {
      log(`${path}: same content as ${first}; indexed once.`);
      report.unchanged.push(path);
      manifest.push({ path, root, sha256: sha, docId: null, chunkIds: [], status: "duplicate", duplicateOf: first });
      continue;
    }
    // unchanged: same path, same bytes, indexed before
    if (before && before.status === "indexed" && before.sha256 === sha && before.docId && prevDocs.has(before.docId) && !usedDocIds.has(before.docId)) {
      const doc = prevDocs.get(before.docId)!;
      const docChunks = prevChunksByDoc.get(doc.id) ?? [];
      pathBySha.set(sha, path);
      usedDocIds.add(doc.id);
      docs.push(doc);
      chunks.push(...docChunks);
      for (let i = 0; i < docChunks.length; i++) preVectors.push(undefined), preTerms.push(undefined);
      report.unchanged.push(path);
      manifest.push({ path, root, sha256: sha, docId: doc.id, chunkIds: docChunks.map((c) => c.id), status: "indexed" });
      continue;
    }
    let parsed: Pick<ParsedDocument, "meta">;
    let docChunks: Chunk[];
    let pre: { vectors?: Float32Array; terms?: (string | string[])[] };
    try {
      const loaded = await loadFile(path, root);
      parsed = loaded;
      docChunks = loaded.chunks;
      pre = loaded;
      if (docChunks.length === 0) throw new Error("no text could be extracted (empty, or a scanned image without a text layer)");
    } catch (err) {
      report.failed.push({ path, reason: errorReason(err) });
      manifest.push({ path, root, sha256: sha, docId: null, chunkIds: [], status: "failed", reason: errorReason(err) });
      continue;
    }
    // two different files with the same id (e.g. a.md under two roots): keep ids unique
    let docId = parsed.meta.id;
    for (let n = 2; usedDocIds.has(docId); n++) docId = `${parsed.meta.id}~${n}`;
    if (docId !== parsed.meta.id) docChunks = docChunks.map((c) => ({ ...c, docId, id: `${docId}#${c.ordinal}` }));
    usedDocIds.add(docId);
    pathBySha.set(sha, path);
    docs.push({ ...parsed.meta, id: docId });
    for (const w of parsed.meta.warnings ?? []) log(`${path}: ${w}`);
    chunks.push(...docChunks);
    const dims = pre.vectors ? pre.vectors.length / docChunks.length : 0;
    for (let i = 0; i < docChunks.length; i++) {
      preVectors.push(pre.vectors?.subarray(i * dims, (i + 1) * dims));
      preTerms.push(pre.terms?.[i]);
    }
    (before && before.status !== "failed" ? report.updated : report.added).push(path);
    manifest.push({ path, root, sha256: sha, docId, chunkIds: docChunks.map((c) => c.id), status: "indexed" });
  }
  } finally {
    await pool?.close();
  }
  for (const e of prev?.manifest ?? []) {
    if (!seenPaths.has(e.path) && e.status !== "failed") report.removed.push(e.path);
  }
  for (const p of report.removed) log(`${p}: no longer on disk (or under the listed folders); its chunks are removed.`);

  if (docs.length === 0) {
    log(prev ? "Nothing could be indexed; the previous index is left as it was." : "Nothing could be indexed; no index written.");
    report.chunks = prev?.chunks.length ?? 0;
    return report;
  }

  const forced = options.vectorIndex === "auto" ? undefined : options.vectorIndex;
  const sameIndex =
    prev !== null &&
    prev.meta.embedder.id === embedderId &&
    prev.meta.tokenizer === TOKENIZER_VERSION &&
    JSON.stringify(prev.manifest) === JSON.stringify(manifest) &&
    prev.meta.vectorIndex === forced;
  if (sameIndex) {
    log("Nothing changed; the index is up to date.");
    report.chunks = prev!.chunks.length;
    report.written = true;
    return report;
  }

  // --- embed only new texts; index terms of the same chunks right after (tokenize.ts remembers
  // the words the embedder just segmented, so jieba runs once per text) ---
  const docById = new Map(docs.map((d) => [d.id, d]));
  const chunkTexts = chunks.map((c) => contextualText(c, docById.get(c.docId)!));
  const keys = chunkTexts.map((text) => vectorKey(`${embedderId}\n${text}`));
  const cache = prevCache.retain(keys);
  const todoCount = new Set(keys.filter((k, i) => !cache.vectors.has(k) && !preVectors[i])).size;
  if (todoCount) log(`Embedding ${todoCount} new chunk(s) of ${chunks.length} with ${embedderId}…`);
  const batch = options.batchSize ?? 64;
  const bm25 = new Bm25Index();
  /** New vectors in chunk order: a text to embed, or the vector a worker made (same cache order either way). */
  const pending = new Map<string, string | Float32Array>();
  let termsDone = 0;
  const flush = async (upTo: number) => {
    if (pending.size) {
      const part = [...pending];
      pending.clear();
      const texts = part.filter((e): e is [string, string] => typeof e[1] === "string");
      const vectors = texts.length ? await options.embeddings.embedDocuments(texts.map(([, t]) => t)) : [];
      if (vectors.length !== texts.length) throw new Error(`embedder ${embedderId} returned ${vectors.length} vectors for ${texts.length} texts`);
      const made = new Map(texts.map(([key], j) => [key, vectors[j]!]));
      for (const [key, v] of part) {
        if (typeof v === "string") cache.set(key, made.get(key)!);
        else cache.vectors.set(key, v);
      }
    }
    for (; termsDone < upTo; termsDone++) {
      const t = preTerms[termsDone];
      bm25.add(chunks[termsDone]!.id, t === undefined ? indexTerms(chunkTexts[termsDone]!) : typeof t !== "string" ? t : t === "" ? [] : t.split("\n"));
    }
  };
  for (let i = 0; i < chunks.length; i++) {
    const key = keys[i]!;
    if (!cache.vectors.has(key) && !pending.has(key)) pending.set(key, preVectors[i] ?? chunkTexts[i]!);
    if (pending.size >= batch) await flush(i + 1);
  }
  await flush(chunks.length);
  // the cache's Float32Arrays themselves (number[] copies were ~0.8 GB at 100k chunks, `npm run bench`)
  const vectors = keys.map((k) => cache.vectors.get(k)!);
  const dimensions = vectors[0]!.length;
  if (vectors.some((v) => v.length !== dimensions)) throw new Error(`embedder ${embedderId} returned vectors of different sizes`);

  // --- the vector index, rebuilt from all chunks ---
  const hnsw = await VectorIndex.build(options.embeddings, chunks.map((c) => c.id), vectors, dimensions, forced);

  await writeIndex(
    options.indexDir,
    {
      meta: { formatVersion: FORMAT_VERSION, embedder: { id: embedderId, dimensions }, tokenizer: TOKENIZER_VERSION, createdAt: new Date().toISOString(), docs: docs.length, chunks: chunks.length, ...(forced ? { vectorIndex: forced } : {}) },
      manifest,
      docs,
      chunks,
      bm25,
      vectors: cache,
      hnsw,
    },
    options.writeHooks,
  );
  report.chunks = chunks.length;
  report.written = true;
  return report;
}
