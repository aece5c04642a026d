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
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { normalize } from "node:path";
import type { IngestReport } from "../assistant/assistant.js";
import { IndexNotFoundError } from "../errors.js";
import type { Chunk, DocumentMeta, ParsedDocument } from "../ingest/types.js";
import { Bm25Index } from "./bm25-index.js";
import { contextualText, TOKENIZER_VERSION } from "./chunk-text.js";
import { defaultCorpusSource, type CorpusSource } from "./corpus-source.js";
import { embeddingsId } from "./embeddings/identified-embeddings.js";
import { FORMAT_VERSION, readIndex, readVectorCache, withIndexLock, writeIndex, type ManifestEntry, type StoredIndex, type WriteHooks } from "./index-store.js";
import { indexTerms } from "./tokenize.js";
import { VectorCache, vectorKey } from "./vector-cache.js";
import { VectorIndex } from "./vector-index.js";

export interface IngestOptions {
  corpusDirs: string[];
  indexDir: string;
  embeddings: Embeddings;
  rebuild?: boolean;
  log?: (line: string) => void;
  /** Defaults to the real loaders (src/ingest). */
  source?: CorpusSource;
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

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const errorReason = (err: unknown) =>
  err && typeof err === "object" && "reason" in err && typeof (err as { reason: unknown }).reason === "string"
    ? (err as { reason: string }).reason
    : err instanceof Error
      ? err.message
      : String(err);

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
      if (!/^No index/.test(err.message)) log(`${err.message} Rebuilding from scratch.`);
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

  // --- hash, compare, load what changed ---
  const manifest: ManifestEntry[] = [];
  const docs: DocumentMeta[] = [];
  const chunks: Chunk[] = [];
  const pathBySha = new Map<string, string>();
  const usedDocIds = new Set<string>();
  for (const { path, root } of candidates) {
    let sha: string;
    try {
      sha = sha256(await readFile(path));
    } catch (err) {
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
      report.unchanged.push(path);
      manifest.push({ path, root, sha256: sha, docId: doc.id, chunkIds: docChunks.map((c) => c.id), status: "indexed" });
      continue;
    }
    let parsed: ParsedDocument;
    let docChunks: Chunk[];
    try {
      parsed = await source.load(path, root);
      docChunks = source.chunk(parsed);
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
    chunks.push(...docChunks);
    (before && before.status !== "failed" ? report.updated : report.added).push(path);
    manifest.push({ path, root, sha256: sha, docId, chunkIds: docChunks.map((c) => c.id), status: "indexed" });
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
  const todoCount = new Set(keys.filter((k) => !cache.vectors.has(k))).size;
  if (todoCount) log(`Embedding ${todoCount} new chunk(s) of ${chunks.length} with ${embedderId}…`);
  const batch = options.batchSize ?? 64;
  const bm25 = new Bm25Index();
  const pending = new Map<string, string>();
  let termsDone = 0;
  const flush = async (upTo: number) => {
    if (pending.size) {
      const part = [...pending];
      pending.clear();
      const vectors = await options.embeddings.embedDocuments(part.map(([, t]) => t));
      if (vectors.length !== part.length) throw new Error(`embedder ${embedderId} returned ${vectors.length} vectors for ${part.length} texts`);
      part.forEach(([key], j) => cache.set(key, vectors[j]!));
    }
    for (; termsDone < upTo; termsDone++) bm25.add(chunks[termsDone]!.id, indexTerms(chunkTexts[termsDone]!));
  };
  for (let i = 0; i < chunks.length; i++) {
    const key = keys[i]!;
    if (!cache.vectors.has(key) && !pending.has(key)) pending.set(key, chunkTexts[i]!);
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
