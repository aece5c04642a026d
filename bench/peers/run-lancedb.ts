/**
 * LanceDB as a peer on the bench's chunks and vectors (issue 14):
 *
 *   npx tsx bench/peers/run-lancedb.ts --size 10000 [--vector-index auto|flat|ivf_hnsw_sq|ivf_pq]
 *       [--reps 3] [--queries 40] [--index DIR] [--work DIR] [--keep] [--out FILE] [--shared ../shared/corpus]
 *
 * 1. Chunks and vectors: with --index, read from that index folder; otherwise a corpus of about
 *    --size chunks from the bench's generator (bench/generate-corpus.ts, same seed as `npm run bench`)
 *    is ingested with the embedded default (hashing embeddings) into <work>/index. Every live chunk
 *    is exported with the text our index embeds and tokenises (contextualText) and the vector our
 *    index stores. Five documents are held out (added one by one later), five others are removed
 *    one by one later. The first --queries questions of evals/retrieval.jsonl are embedded with the
 *    same embedder, and their exact top 10 by cosine over the built chunks is computed here.
 * 2. A fresh child process (node + tsx, so its peak RSS is LanceDB's and the chunk texts', not our
 *    ingest's) builds the LanceDB table (bench/peers/lancedb-peer.ts) streaming the vectors in
 *    batches, then measures: hybrid / keyword / vector query p50/p95 over the questions × --reps
 *    (after 5 warm-up queries; query vectors given, so query embedding is not in these times: the
 *    parent reports its own p50 as queryEmbedMs), recall@10 of LanceDB's vector search against the
 *    exact top 10, add-one and remove-one latency (each of five documents, checked to be found /
 *    gone right after), one optimize(), disk size, peak RSS (process.resourceUsage().maxRSS).
 * JSON goes to stdout (and --out); progress to stderr. Load average is recorded before and after.
 */
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { machineInfo, runTsxChild } from "../child.js";
import type { PeerChunk, VectorIndexChoice } from "./lancedb-peer.js";

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const log = (line: string) => void process.stderr.write(`[lancedb-peer] ${line}\n`);
const HELD_DOCS = 5;
const REMOVED_DOCS = HELD_DOCS; // spread() keeps the two sets apart when they are the same size
const BATCH_ROWS = 8192;

interface InputMeta {
  dimensions: number;
  rows: number;
  /** Documents left out of the build and added one by one. */
  held: string[];
  /** Documents removed one by one after the adds. */
  removed: string[];
}

interface QueryInput {
  question: string;
  vector: number[];
  /** Exact top 10 by cosine over the built chunks (held documents excluded). */
  exact: string[];
}

export interface PeerArgs {
  size?: number;
  index?: string;
  vectorIndex: VectorIndexChoice;
  reps: number;
  queries: number;
  work?: string;
  keep: boolean;
  out?: string;
  shared: string;
}

function parseArgs(argv: string[]): PeerArgs {
  const a: PeerArgs = {
    vectorIndex: "auto",
    reps: 3,
    queries: 40,
    keep: false,
    shared: join(ROOT, "../shared/corpus"),
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    const num = () => {
      const n = Number(v());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${k} must be a whole number ≥ 1`);
      return n;
    };
    if (k === "--size") a.size = num();
    else if (k === "--index") a.index = v();
    else if (k === "--vector-index") {
      const x = v();
      if (!["auto", "flat", "ivf_hnsw_sq", "ivf_pq"].includes(x))
        throw new Error(`--vector-index must be auto, flat, ivf_hnsw_sq or ivf_pq (got "${x}")`);
      a.vectorIndex = x as VectorIndexChoice;
    } else if (k === "--reps") a.reps = num();
    else if (k === "--queries") a.queries = num();
    else if (k === "--work") a.work = v();
    else if (k === "--keep") a.keep = true;
    else if (k === "--out") a.out = v();
    else if (k === "--shared") a.shared = v();
    else if (k === "--help" || k === "-h") {
      process.stdout.write(
        "npx tsx bench/peers/run-lancedb.ts --size N | --index DIR  [--vector-index auto|flat|ivf_hnsw_sq|ivf_pq] [--reps 3] [--queries 40] [--work DIR] [--keep] [--out FILE] [--shared ../shared/corpus]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown option "${k}" (see --help)`);
  }
  if (a.size === undefined && a.index === undefined)
    throw new Error("give --size N (generate and ingest a corpus) or --index DIR (an existing index folder)");
  return a;
}

/** The embedded default (no network, no model), as `npm run bench` runs it. */
const embeddedEnv = (indexDir: string) => ({
  INDEX_DIR: indexDir,
  EMBEDDINGS_PROVIDER: "hashing",
  LLM_PROVIDER: "none",
  RETRIEVAL_MODE: "hybrid",
  LOG_LEVEL: "error",
});

async function questions(n: number): Promise<string[]> {
  const text = await readFile(join(ROOT, "evals/retrieval.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question?: unknown }).question)
    .filter((q): q is string => typeof q === "string" && q.trim() !== "")
    .slice(0, n);
}

/** `count` evenly spread items (deterministic); slot 0 and slot 1 never pick the same item when xs has ≥ 2·count + 1 items. */
const spread = <T>(xs: readonly T[], count: number, slot: 0 | 1): T[] =>
  Array.from({ length: count }, (_, i) => xs[Math.floor(((2 * i + 1 + slot) * xs.length) / (2 * count + 1))]!);

// ---------------------------------------------------------------- parent: chunks, vectors, queries

async function prepare(
  args: PeerArgs,
  work: string,
): Promise<{ inputDir: string; meta: InputMeta; context: Record<string, unknown> }> {
  const { loadConfig } = await import("../../src/config/config.js");
  const { createEmbeddings } = await import("../../src/index/embeddings/create-embeddings.js");
  const { readGeneration, readTombstones } = await import("../../src/index/index-store.js");
  const { openSegment } = await import("../../src/index/segment.js");
  const { isSet } = await import("../../src/index/bm25-index.js");
  const { contextualText } = await import("../../src/index/chunk-text.js");
  const { normalizeText } = await import("../../src/ingest/normalize.js");
  const context: Record<string, unknown> = {};

  let indexDir = args.index;
  if (!indexDir) {
    const { generateCorpus, readPool } = await import("../generate-corpus.js");
    const { ingestCorpus } = await import("../../src/ingest/pipeline/ingest-corpus.js");
    const gen = await generateCorpus(await readPool(args.shared), args.size!, join(work, "corpus"));
    indexDir = join(work, "index");
    log(`generated ${gen.files} files (${gen.units} units); ingesting with our index (hashing embeddings)…`);
    const t = performance.now();
    const report = await ingestCorpus({
      corpusDirs: [gen.dir],
      indexDir,
      embeddings: createEmbeddings(loadConfig(embeddedEnv(indexDir)).embeddings),
      rebuild: true,
      log: () => {},
    });
    if (!report.written) throw new Error(`ingest wrote no index: ${JSON.stringify(report.failed.slice(0, 3))}`);
    // context only: this ingest shares its process with the export; `npm run bench` measures ours properly
    context.ourIngestMsInRunner = Math.round(performance.now() - t);
    context.generatedFiles = gen.files;
  }
  const embeddings = createEmbeddings(loadConfig(embeddedEnv(indexDir)).embeddings);
  const gen = await readGeneration(indexDir);
  const dimensions = gen.meta.embedder.dimensions;
  context.ourVectorForm = gen.meta.vectorForm ?? null;
  context.ourSegments = gen.meta.segments.length;

  const inputDir = join(work, "peer-input");
  await mkdir(inputDir, { recursive: true });
  // pass 1: documents (to choose held and removed ones); pass 2 writes chunks and vectors
  const segments = [];
  for (const ref of gen.meta.segments) {
    const segment = await openSegment(indexDir, ref.name, embeddings, { prefetch: false });
    if (!segment.vectors) throw new Error(`${segment.dir}: no vectors (the peer needs the vectors our index stores)`);
    segments.push({ segment, deleted: await readTombstones(gen.dir, ref) });
  }
  const docIds = [
    ...new Set(
      segments.flatMap(({ segment, deleted }) =>
        segment.chunks.filter((_, i) => !deleted || !isSet(deleted, i)).map((c) => c.docId),
      ),
    ),
  ].sort();
  if (docIds.length < 2 * HELD_DOCS + 1)
    throw new Error(`${indexDir}: ${docIds.length} documents; the peer bench needs at least ${2 * HELD_DOCS + 1}`);
  const held = spread(docIds, HELD_DOCS, 0);
  const removed = spread(docIds, REMOVED_DOCS, 1);
  const heldSet = new Set(held);

  const qs = await questions(args.queries);
  const qVecs: Float32Array[] = [];
  const embedMs: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    const v = await embeddings.embedQuery(normalizeText(q));
    embedMs.push(performance.now() - t);
    qVecs.push(Float32Array.from(v));
  }
  const { summarize } = await import("../stats.js");
  context.queryEmbedMs = summarize(embedMs);
  // exact top 10 per query over the built chunks, kept as a running sorted list
  const top: { id: string; score: number }[][] = qs.map(() => []);
  const consider = (qi: number, id: string, score: number) => {
    const list = top[qi]!;
    if (list.length === 10 && (score < list[9]!.score || (score === list[9]!.score && id > list[9]!.id))) return;
    list.push({ id, score });
    list.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    if (list.length > 10) list.pop();
  };

  const chunksOut = await open(join(inputDir, "chunks.jsonl"), "w");
  const vectorsOut = await open(join(inputDir, "vectors.f32"), "w");
  let rows = 0;
  for (const { segment, deleted } of segments) {
    const docTitle = new Map(segment.docs.map((d) => [d.id, d]));
    for (let start = 0; start < segment.chunks.length; start += BATCH_ROWS) {
      const positions: number[] = [];
      for (let i = start; i < Math.min(start + BATCH_ROWS, segment.chunks.length); i++)
        if (!deleted || !isSet(deleted, i)) positions.push(i);
      const vecs = segment.vectors!.vectorsAt(positions);
      const lines: string[] = [];
      const buf = new Float32Array(positions.length * dimensions);
      positions.forEach((p, j) => {
        const c = segment.chunks[p]!;
        const doc = docTitle.get(c.docId);
        if (!doc) throw new Error(`${segment.dir}: chunk ${c.id} has no document ${c.docId}`);
        const v = vecs[j]!;
        let norm = 0;
        for (let d = 0; d < dimensions; d++) norm += v[d]! * v[d]!;
        norm = Math.sqrt(norm) || 1;
        buf.set(v, j * dimensions);
        lines.push(JSON.stringify({ id: c.id, docId: c.docId, text: contextualText(c, doc) }));
        if (!heldSet.has(c.docId))
          qVecs.forEach((q, qi) => {
            let dot = 0;
            for (let d = 0; d < dimensions; d++) dot += q[d]! * v[d]!;
            consider(qi, c.id, dot / norm);
          });
      });
      await chunksOut.write(lines.join("\n") + "\n");
      await vectorsOut.write(new Uint8Array(buf.buffer));
      rows += positions.length;
    }
  }
  await chunksOut.close();
  await vectorsOut.close();
  const queries: QueryInput[] = qs.map((question, qi) => ({
    question,
    vector: Array.from(qVecs[qi]!),
    exact: top[qi]!.map((h) => h.id),
  }));
  await writeFile(join(inputDir, "queries.json"), JSON.stringify(queries));
  const meta: InputMeta = { dimensions, rows, held, removed };
  await writeFile(join(inputDir, "meta.json"), JSON.stringify(meta));
  log(
    `exported ${rows} chunks of ${docIds.length} documents (${dimensions} dimensions) and ${qs.length} queries with their exact top 10`,
  );
  return { inputDir, meta, context };
}

/**
 * Prepares the peer's input from our index (or a generated corpus) and measures LanceDB in a fresh
 * child (bench/child.ts); returns the report. `npm run bench -- --peers lancedb` calls this per size
 * with the size's index, so both sides run on the same chunks and vectors in one run.
 */
export async function runLanceDbPeer(
  args: PeerArgs,
  command = "npm run bench -- --peers lancedb",
): Promise<Record<string, unknown>> {
  const work = args.work ?? (await mkdtemp(join(tmpdir(), "lancedb-peer-bench-")));
  await mkdir(work, { recursive: true });
  const loadAvgStart = loadavg();
  try {
    const { inputDir, meta, context } = await prepare(args, work);
    const loadAvgBeforePeer = loadavg();
    const out = join(work, "lancedb-result.json");
    const { result, wallMs } = await runTsxChild(
      SELF,
      ["--child", inputDir, out, args.vectorIndex, String(args.reps)],
      out,
    );
    const lancedbVersion = (
      JSON.parse(await readFile(join(ROOT, "node_modules/@lancedb/lancedb/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    const { loadAvgStart: _now, ...machine } = machineInfo();
    return {
      date: new Date().toISOString(),
      command,
      machine,
      loadAvg: { start: loadAvgStart, beforePeer: loadAvgBeforePeer, end: loadavg() },
      peer: `@lancedb/lancedb ${lancedbVersion}`,
      target: args.size ?? null,
      chunks: meta.rows,
      dimensions: meta.dimensions,
      context,
      ...result,
      childWallMs: Math.round(wallMs),
    };
  } finally {
    if (!args.keep) await rm(work, { recursive: true, force: true });
  }
}

async function parent(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const keepWork = args.keep || args.work !== undefined;
  const report = await runLanceDbPeer(
    { ...args, keep: keepWork },
    `npx tsx bench/peers/run-lancedb.ts ${argv.join(" ")}`.trim(),
  );
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (args.out) await writeFile(args.out, text);
  process.stdout.write(text);
}

// ---------------------------------------------------------------- child: LanceDB only

async function child(inputDir: string, out: string, vectorIndex: VectorIndexChoice, reps: number): Promise<void> {
  const { LanceDbPeer } = await import("./lancedb-peer.js");
  const { summarize } = await import("../stats.js");
  const meta = JSON.parse(await readFile(join(inputDir, "meta.json"), "utf8")) as InputMeta;
  const queries = (JSON.parse(await readFile(join(inputDir, "queries.json"), "utf8")) as QueryInput[]).map((q) => ({
    ...q,
    vec: Float32Array.from(q.vector),
  }));
  const held = new Set(meta.held);
  const removedSet = new Set(meta.removed);
  const heldChunks = new Map<string, PeerChunk[]>();
  const removedChunks = new Map<string, PeerChunk[]>();
  const dims = meta.dimensions;

  /** Streams chunks.jsonl and vectors.f32 in batches, holding out the held documents. */
  async function* source(): AsyncGenerator<PeerChunk[]> {
    const vf = await open(join(inputDir, "vectors.f32"), "r");
    const lines = createInterface({
      input: createReadStream(join(inputDir, "chunks.jsonl"), "utf8"),
      crlfDelay: Infinity,
    });
    let row = 0;
    let batch: { id: string; docId: string; text: string }[] = [];
    const flush = async (): Promise<PeerChunk[]> => {
      const bytes = new Uint8Array(batch.length * dims * 4);
      const { bytesRead } = await vf.read(bytes, 0, bytes.length, row * dims * 4);
      if (bytesRead !== bytes.length)
        throw new Error(`vectors.f32: ${bytesRead} of ${bytes.length} bytes at row ${row}`);
      const all = new Float32Array(bytes.buffer);
      const outRows: PeerChunk[] = [];
      batch.forEach((c, j) => {
        const chunk = { ...c, vector: all.subarray(j * dims, (j + 1) * dims) };
        if (held.has(c.docId))
          (heldChunks.get(c.docId) ?? heldChunks.set(c.docId, []).get(c.docId)!).push({
            ...chunk,
            vector: chunk.vector.slice(),
          });
        else {
          if (removedSet.has(c.docId))
            (removedChunks.get(c.docId) ?? removedChunks.set(c.docId, []).get(c.docId)!).push({
              ...chunk,
              vector: chunk.vector.slice(),
            });
          outRows.push(chunk);
        }
      });
      row += batch.length;
      batch = [];
      return outRows;
    };
    try {
      for await (const line of lines) {
        if (!line.trim()) continue;
        batch.push(JSON.parse(line) as { id: string; docId: string; text: string });
        if (batch.length === BATCH_ROWS) yield await flush();
      }
      if (batch.length) yield await flush();
    } finally {
      await vf.close();
    }
  }

  const peer = await LanceDbPeer.open({ dimensions: dims, vectorIndex, batchRows: BATCH_ROWS });
  try {
    const built = await peer.build(source());
    const rssAfterBuildMb = process.memoryUsage().rss / 1048576;
    log(
      `built ${built.rows} rows in ${(built.buildMs / 1000).toFixed(1)} s (write ${(built.writeMs / 1000).toFixed(1)} s of which jieba ${(built.tokenizeMs / 1000).toFixed(1)} s, FTS ${(built.ftsIndexMs / 1000).toFixed(1)} s, vector ${(built.vectorIndexMs / 1000).toFixed(1)} s); ${built.vectorIndex}; ${(built.diskBytes / 1e6).toFixed(1)} MB`,
    );

    const time = async (name: string, fn: (q: (typeof queries)[number]) => Promise<unknown>) => {
      for (const q of queries.slice(0, 5)) await fn(q); // warm-up
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < reps; r++)
        for (const q of queries) {
          const c = process.cpuUsage();
          const t = performance.now();
          await fn(q);
          wall.push(performance.now() - t);
          const d = process.cpuUsage(c);
          cpu.push((d.user + d.system) / 1000);
        }
      const s = summarize(wall, cpu);
      log(`${name}: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms (cpu p95 ${s.cpuP95Ms} ms, all threads)`);
      return s;
    };
    const search = {
      hybrid: await time("hybrid", (q) => peer.query(q.question, q.vec, 10)),
      keyword: await time("keyword", (q) => peer.keywordOnly(q.question, 10)),
      vector: await time("vector", (q) => peer.vectorOnly(q.vec, 10)),
    };

    let recall = 0;
    for (const q of queries) {
      const got = await peer.vectorOnly(q.vec, 10);
      const exact = new Set(q.exact);
      recall += q.exact.length ? got.filter((id) => exact.has(id)).length / q.exact.length : 1;
    }
    const vectorRecallAt10 = queries.length ? recall / queries.length : Number.NaN;
    log(`vector recall@10 vs exact: ${vectorRecallAt10.toFixed(3)} over ${queries.length} queries`);

    const addMs: number[] = [];
    let addedFound = 0;
    for (const docId of meta.held) {
      const chunks = heldChunks.get(docId) ?? [];
      addMs.push(await peer.addOne(chunks));
      const first = chunks[0]!;
      if (
        (await peer.vectorOnly(first.vector, 10)).includes(first.id) &&
        (await peer.query(first.text, first.vector, 10)).includes(first.id)
      )
        addedFound++;
    }
    const removeMs: number[] = [];
    let removedGone = 0;
    for (const docId of meta.removed) {
      const chunks = removedChunks.get(docId) ?? [];
      removeMs.push(await peer.removeOne(docId));
      const ids = new Set(chunks.map((c) => c.id));
      const first = chunks[0]!;
      const lists = [await peer.vectorOnly(first.vector, 10), await peer.query(first.text, first.vector, 10)];
      if (lists.every((l) => l.length > 0 && l.every((id) => !ids.has(id)))) removedGone++;
    }
    log(
      `add one: ${addMs.map((m) => m.toFixed(0)).join(", ")} ms (${addedFound}/${addMs.length} found at once); remove one: ${removeMs.map((m) => m.toFixed(0)).join(", ")} ms (${removedGone}/${removeMs.length} gone at once)`,
    );
    const diskBytesAfterChanges = await peer.diskBytes();
    const optimizeMs = await peer.optimize();
    const diskBytesAfterOptimize = await peer.diskBytes();
    log(`optimize after the changes: ${optimizeMs.toFixed(0)} ms`);
    const rowsAfter = await peer.rows();

    const median = (xs: number[]) => summarize(xs).p50Ms;
    await writeFile(
      out,
      JSON.stringify({
        vectorIndexChoice: vectorIndex,
        vectorIndex: built.vectorIndex,
        buildMs: Math.round(built.buildMs),
        buildBreakdownMs: {
          write: Math.round(built.writeMs),
          jiebaPretokenize: Math.round(built.tokenizeMs),
          ftsIndex: Math.round(built.ftsIndexMs),
          vectorIndex: Math.round(built.vectorIndexMs),
        },
        rowsBuilt: built.rows,
        diskBytes: built.diskBytes,
        search,
        queries: queries.length,
        repetitions: reps,
        vectorRecallAt10: Math.round(vectorRecallAt10 * 1000) / 1000,
        addOneMs: {
          median: median(addMs),
          each: addMs.map((m) => Math.round(m * 10) / 10),
          chunksEach: meta.held.map((d) => heldChunks.get(d)?.length ?? 0),
          foundAtOnce: `${addedFound}/${addMs.length}`,
        },
        removeOneMs: {
          median: median(removeMs),
          each: removeMs.map((m) => Math.round(m * 10) / 10),
          chunksEach: meta.removed.map((d) => removedChunks.get(d)?.length ?? 0),
          goneAtOnce: `${removedGone}/${removeMs.length}`,
        },
        optimizeAfterChangesMs: Math.round(optimizeMs),
        diskBytesAfterChanges,
        diskBytesAfterOptimize,
        rowsAfterChanges: rowsAfter,
        rssAfterBuildMb: Math.round(rssAfterBuildMb),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  } finally {
    await peer.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  try {
    if (argv[0] === "--child") await child(argv[1]!, argv[2]!, argv[3] as VectorIndexChoice, Number(argv[4]));
    else await parent(argv);
    process.exit(0);
  } catch (err) {
    process.stderr.write(`run-lancedb failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}
