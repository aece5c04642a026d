/**
 * One measurement of `npm run bench`, run in a fresh child process by bench/run.ts so that peak
 * RSS and cold start belong to one size and one phase only:
 *
 *   tsx bench/measure.ts ingest <corpusDir> <indexDir> <out.json>
 *   tsx bench/measure.ts cold   <indexDir> <query> <out.json>
 *   tsx bench/measure.ts query  <indexDir> <out.json> [--reps N] [--queries N] [--ask N]
 *
 * Results go to <out.json> (stdout stays free for whatever the measured code prints); progress to stderr.
 * Everything runs with the embedded default: hashing embeddings, no language model.
 */
// Time since process start (performance.timeOrigin is set when node starts): the cold-start clock.
const bootMs = performance.now();

import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

// Built-ins as the process started: a dependency that swaps them for polyfills slows everything (see src/ingest/loaders/pdf.ts).
const NATIVE_PUSH = Array.prototype.push;
const NATIVE_JSON_PARSE = JSON.parse;
const nativesIntact = () => Array.prototype.push === NATIVE_PUSH && JSON.parse === NATIVE_JSON_PARSE;
const log = (line: string) => void process.stderr.write(`[bench:${process.argv[2]}] ${line}\n`);
const rssMb = () => process.memoryUsage().rss / 1048576;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The embedded default's environment (no network, no model): what `npm run ask` uses out of the box. */
export function benchEnv(indexDir: string): Record<string, string | undefined> {
  return {
    INDEX_DIR: indexDir,
    EMBEDDINGS_PROVIDER: "hashing",
    LLM_PROVIDER: "none",
    RETRIEVAL_MODE: "hybrid",
    LOG_LEVEL: "error",
  };
}

async function dirBytes(dir: string): Promise<{ total: number; files: Record<string, number> }> {
  const files: Record<string, number> = {};
  let total = 0;
  const walk = async (d: string, rel: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p, r);
      else {
        const s = (await stat(p)).size;
        total += s;
        // group by file name inside the generation (gen-*/x → x)
        const key = r.replace(/^gen-[^/]+\//, "");
        files[key] = (files[key] ?? 0) + s;
      }
    }
  };
  await walk(dir, "");
  return { total, files };
}

async function ingest(corpusDir: string, indexDir: string, out: string): Promise<void> {
  const { loadConfig } = await import("../src/config/config.js");
  const { createEmbeddings } = await import("../src/index/embeddings/create-embeddings.js");
  const { ingestCorpus } = await import("../src/ingest/pipeline/ingest-corpus.js");
  const embeddings = createEmbeddings(loadConfig(benchEnv(indexDir)).embeddings);
  // No wrapper around embedDocuments to time embedding any more: with HashingEmbeddings, ingest
  // embeds in worker threads (src/ingest/pipeline/ingest-pool.ts) that rebuild the embedder from its
  // declared identity, so a wrapper would not see their calls. CPU time (process.cpuUsage) counts every thread.
  const lines: string[] = [];
  const logLine = (line: string) => {
    lines.push(line);
    log(line);
  };
  const rssBefore = rssMb();
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const report = await ingestCorpus({ corpusDirs: [corpusDir], indexDir, embeddings, rebuild: true, log: logLine });
  const ingestMs = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  if (!report.written) throw new Error(`ingest wrote no index: ${JSON.stringify(report.failed.slice(0, 3))}`);
  log(`ingest done: ${report.chunks} chunks in ${(ingestMs / 1000).toFixed(1)} s`);
  const { readGeneration } = await import("../src/index/index-store.js");
  const stored = await readGeneration(indexDir);
  const size = await dirBytes(indexDir);
  log(
    `index: ${stored.meta.docs} docs, ${stored.meta.segments.length} segment(s), ${(size.total / 1e6).toFixed(1)} MB`,
  );
  await writeFile(
    out,
    JSON.stringify({
      chunks: report.chunks,
      docs: stored.meta.docs,
      segments: stored.meta.segments.length,
      failed: report.failed.length,
      ingestMs,
      ingestCpuMs: cpu,
      ingestChunksPerSec: report.chunks / (ingestMs / 1000),
      peakRssMb: peakRssMb(),
      rssBeforeMb: rssBefore,
      ingestWorkers: Number(lines.join("\n").match(/in (\d+) worker thread/)?.[1] ?? 0),
      ingestWorkerFailures: lines.filter((l) => /worker stopped/.test(l)).length,
      nativesIntact: nativesIntact(),
      indexBytes: size.total,
      indexFiles: size.files,
    }),
  );
}

async function cold(indexDir: string, query: string, out: string): Promise<void> {
  const { loadConfig } = await import("../src/config/config.js");
  const { createAssistant } = await import("../src/app.js");
  const importedMs = performance.now();
  const assistant = createAssistant(loadConfig(benchEnv(indexDir)), { log });
  const first = await assistant.search(query, { mode: "hybrid", k: 10 });
  const answeredMs = performance.now();
  const t = performance.now();
  await assistant.search(query, { mode: "hybrid", k: 10 });
  const warmMs = performance.now() - t;
  const cpu = process.cpuUsage();
  await writeFile(
    out,
    JSON.stringify({
      coldStartMs: answeredMs,
      coldStartCpuMs: (cpu.user + cpu.system) / 1000,
      results: first.results.length,
      breakdown: {
        boot: Math.round(bootMs),
        imports: Math.round(importedMs - bootMs),
        indexLoadAndFirstQuery: Math.round(answeredMs - importedMs),
        warmQuery: Math.round(warmMs),
      },
      rssMb: rssMb(),
    }),
  );
}

interface Jsonl {
  question: string;
}

async function questions(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as Jsonl).question)
    .filter((q): q is string => typeof q === "string" && q.trim() !== "");
}

async function query(
  indexDir: string,
  out: string,
  opts: { reps: number; queries: number; ask: number; notices: string[] },
): Promise<void> {
  const { summarize, ratio } = await import("./stats.js");
  const { loadConfig } = await import("../src/config/config.js");
  const { createEmbeddings } = await import("../src/index/embeddings/create-embeddings.js");
  const { openSearchEngine } = await import("../src/retrieval/search-engine.js");
  const { normalizeText } = await import("../src/ingest/normalize.js");
  const config = loadConfig(benchEnv(indexDir));
  const embeddings = createEmbeddings(config.embeddings);
  const errors: string[] = [];

  const root = new URL("../", import.meta.url);
  const qs = (await questions(new URL("evals/retrieval.jsonl", root).pathname)).slice(0, opts.queries);
  const askQs = (await questions(new URL("evals/answer.jsonl", root).pathname)).slice(0, opts.ask);

  const engine = await openSearchEngine({ indexDir, embeddings, maxPerDoc: config.retrieval.maxPerDoc });
  const index = engine.index;
  log(`index loaded: ${index.bm25.size} chunks; ${qs.length} queries × ${opts.reps} repetitions per mode`);

  /** Times fn over every query × reps after a warm-up, interleaving nothing else. */
  const time = async (name: string, fn: (q: string) => Promise<unknown>, reps = opts.reps) => {
    for (const q of qs.slice(0, 5)) await fn(q); // warm-up (JIT, lazy tables)
    // a serving process's steady state: the vector columns its second search started reading in the background are in
    await index.vectors.prefetched();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < reps; r++) {
      for (const q of qs) {
        const c = cpuMs();
        const t = performance.now();
        await fn(q);
        wall.push(performance.now() - t);
        cpu.push(cpuMs() - c);
      }
    }
    const s = summarize(wall, cpu);
    log(`${name}: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms (cpu p95 ${s.cpuP95Ms} ms)`);
    return s;
  };

  const search = {
    keyword: await time("keyword", (q) => engine.search(q, { k: 10, mode: "keyword" })),
    vector: await time("vector", (q) => engine.search(q, { k: 10, mode: "vector" })),
    hybrid: await time("hybrid", (q) => engine.search(q, { k: 10, mode: "hybrid" })),
  };
  const serveRssMb = rssMb();

  // --- ask and extract through the composition root, as the CLI and the bot call them; measured
  // before the baselines are built, whose memory (GBs at 100k chunks) would otherwise add GC pauses.
  const { createAssistant } = await import("../src/app.js");
  const assistant = createAssistant(config, { log: () => {} });
  let ask = summarize([]);
  try {
    // warm-up with retrieval questions (not timed ones): loads the index and the answerer
    for (const q of qs.slice(0, 3)) await assistant.ask(q);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const q of askQs) {
      const c = cpuMs();
      const t1 = performance.now();
      await assistant.ask(q);
      wall.push(performance.now() - t1);
      cpu.push(cpuMs() - c);
    }
    ask = summarize(wall, cpu);
    log(`ask: p50 ${ask.p50Ms} ms, p95 ${ask.p95Ms} ms over ${wall.length} questions`);
  } catch (err) {
    errors.push(`ask: ${(err as Error).message}`);
    log(`ask failed: ${(err as Error).stack}`);
  }

  let extract = { ...summarize([]), notices: 0 };
  try {
    if (opts.notices.length) {
      await assistant.extract({ text: opts.notices[0]! }); // warm-up (lazy imports, holiday tables)
      const wall: number[] = [];
      const reps = Math.max(1, Math.ceil(40 / opts.notices.length));
      for (let r = 0; r < reps; r++)
        for (const text of opts.notices) {
          const t1 = performance.now();
          await assistant.extract({ text });
          wall.push(performance.now() - t1);
        }
      extract = { ...summarize(wall), notices: opts.notices.length };
      log(`extract: mean ${extract.meanMs} ms per notice over ${wall.length} runs`);
    }
  } catch (err) {
    errors.push(`extract: ${(err as Error).message}`);
    log(`extract failed: ${(err as Error).stack}`);
  }

  // --- baseline 1: LangChain MemoryVectorStore (exact brute-force cosine) with the same embedder and the
  // vectors ingest already computed (added with addVectors, so embedding is not counted twice).
  const { MemoryVectorStore } = await import("@langchain/classic/vectorstores/memory");
  const { Document } = await import("@langchain/core/documents");
  const { contextualText } = await import("../src/index/chunk-text.js");
  let t = performance.now();
  const store = new MemoryVectorStore(embeddings);
  {
    // the vectors ingest stored (unit length: cosine is unchanged), segment by segment, live chunks only
    const batch = 5000;
    for (const part of index.bm25.parts) {
      const { segment } = part;
      const positions = part.live ? Array.from(part.live) : segment.ids.map((_, i) => i);
      for (let i = 0; i < positions.length; i += batch) {
        const slice = positions.slice(i, i + batch);
        const vectors = segment.vectors!.vectorsAt(slice).map((v) => Array.from(v));
        await store.addVectors(
          vectors,
          slice.map(
            (p) =>
              new Document({
                pageContent: segment.chunk(p).text,
                metadata: { id: segment.ids[p]!, docId: segment.chunk(p).docId },
              }),
          ),
        );
      }
    }
  }
  const bruteForceBuildMs = performance.now() - t;
  log(`MemoryVectorStore built in ${bruteForceBuildMs.toFixed(0)} ms`);
  // Same work as ours per query: normalise the question, embed it, rank all chunks, keep 10.
  // The baselines are slow at large sizes: one pass over the questions there (p95 of 40 calls).
  const baselineReps = index.chunks.length > 20_000 ? 1 : opts.reps;
  const bruteForce = await time(
    "bruteForce",
    (q) => store.similaritySearchWithScore(normalizeText(q), 10),
    baselineReps,
  );

  // Recall of our approximate vector search against the exact ranking (same embedder, same vectors).
  let recall = 0;
  for (const q of qs) {
    const qv = await embeddings.embedQuery(normalizeText(q));
    const exact = await store.similaritySearchVectorWithScore(qv, 10);
    const ours = new Set(index.vectors.search(qv, 10).map((h) => h.id));
    const exactIds = exact.map(([d]) => d.metadata.id as string);
    recall += exactIds.filter((id) => ours.has(id)).length / Math.max(1, exactIds.length);
  }
  const vectorRecallAt10 = qs.length ? recall / qs.length : Number.NaN;
  (store as unknown as { memoryVectors: unknown[] }).memoryVectors = [];

  // --- baseline 2: MiniSearch with the same jieba tokens (words + bigrams) as our keyword index.
  const { default: MiniSearch } = await import("minisearch");
  const { indexTerms } = await import("../src/index/tokenize.js");
  t = performance.now();
  const mini = new MiniSearch<{ id: string; text: string }>({
    fields: ["text"],
    tokenize: (text) => indexTerms(text),
    processTerm: (term) => term,
    searchOptions: { tokenize: (text) => indexTerms(text), processTerm: (term) => term },
  });
  {
    const batch = 5000;
    for (let i = 0; i < index.chunks.length; i += batch)
      mini.addAll(
        index.chunks
          .slice(i, i + batch)
          .map((c) => ({ id: c.id, text: contextualText(c, index.docById.get(c.docId)!) })),
      );
  }
  const minisearchBuildMs = performance.now() - t;
  log(`MiniSearch built in ${minisearchBuildMs.toFixed(0)} ms`);
  const minisearch = await time("minisearch", async (q) => mini.search(normalizeText(q)).slice(0, 10), baselineReps);

  await writeFile(
    out,
    JSON.stringify({
      search: { ...search, bruteForce, minisearch },
      serveRssMb,
      vectorIndexKind: index.vectors.kind,
      queryPeakRssMb: peakRssMb(),
      baselines: { bruteForceBuildMs, minisearchBuildMs, vectorRecallAt10 },
      ratios: {
        bruteForceVsVectorP95: ratio(bruteForce.p95Ms, search.vector.p95Ms),
        bruteForceVsHybridP95: ratio(bruteForce.p95Ms, search.hybrid.p95Ms),
        minisearchVsKeywordP95: ratio(minisearch.p95Ms, search.keyword.p95Ms),
      },
      ask,
      askP95Ms: ask.p95Ms,
      extract,
      extractMsPerNotice: extract.meanMs,
      errors,
    }),
  );
}

const [, , phase, ...args] = process.argv;
const flag = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
try {
  if (phase === "ingest") await ingest(args[0]!, args[1]!, args[2]!);
  else if (phase === "cold") await cold(args[0]!, args[1]!, args[2]!);
  else if (phase === "query") {
    const noticesFile = args[args.indexOf("--notices") + 1];
    const notices =
      args.includes("--notices") && noticesFile ? (JSON.parse(await readFile(noticesFile, "utf8")) as string[]) : [];
    await query(args[0]!, args[1]!, {
      reps: flag("--reps", 3),
      queries: flag("--queries", 40),
      ask: flag("--ask", 20),
      notices,
    });
  } else throw new Error(`unknown phase "${phase}" (ingest | cold | query)`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`[bench:${phase}] failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
