/**
 * `npm run bench [-- --sizes 1000,10000,100000] [--json] [--reps 3] [--queries 40] [--ask 20] [--keep] [--work DIR] [--peers lancedb]`
 *
 * For each size: generate a corpus from ../shared/corpus (bench/generate-corpus.ts), then, each in
 * a FRESH child process (node + tsx) so that peak RSS and cold start belong to that size alone:
 *   1. ingest      → chunks/s, peak RSS, index size on disk
 *   2. cold start  → from process start to the first hybrid answer (module load + index load + query)
 *   3. query       → keyword / vector / hybrid p50/p95 over the fixed questions of evals/retrieval.jsonl,
 *                    the baselines on the same chunks (LangChain MemoryVectorStore with the same
 *                    embedder and vectors; MiniSearch with the same jieba tokens), ask p95 over
 *                    evals/answer.jsonl, extract ms per notice over evals/extract/*.txt.
 *   4. changes     → no-change / add-one / remove-one `npm run ingest` and a cold `npm run search`, whole commands
 *   5. peers       → with `--peers lancedb`: LanceDB on the same chunks and vectors (bench/peers/run-lancedb.ts,
 *                    its own fresh child), and the ratios of its figures to ours
 * With --json only the JSON goes to stdout; progress always goes to stderr.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCorpus, generateNotices, readPool } from "./generate-corpus.js";
import { machineInfo, runTsxChild } from "./child.js";
import { runLanceDbPeer } from "./peers/run-lancedb.js";
import { checkBudgets, formatReport, parseSizes, peerRatios, type BenchResult, type SizeResult } from "./stats.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MEASURE = fileURLToPath(new URL("./measure.ts", import.meta.url));
const log = (line: string) => void process.stderr.write(`[bench] ${line}\n`);

interface Args {
  sizes: number[];
  json: boolean;
  reps: number;
  queries: number;
  ask: number;
  keep: boolean;
  work?: string;
  shared: string;
  /** Peers run on the same chunks and vectors after our measurements (--peers lancedb). */
  peers: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    sizes: [1000, 10_000, 100_000],
    json: false,
    reps: 3,
    queries: 40,
    ask: 20,
    keep: false,
    shared: join(ROOT, "../shared/corpus"),
    peers: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    const num = (name: string) => {
      const n = Number(v());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
      return n;
    };
    if (k === "--sizes") a.sizes = parseSizes(v());
    else if (k.startsWith("--sizes=")) a.sizes = parseSizes(k.slice(8));
    else if (k === "--json") a.json = true;
    else if (k === "--reps") a.reps = num(k);
    else if (k === "--queries") a.queries = num(k);
    else if (k === "--ask") a.ask = num(k);
    else if (k === "--keep") a.keep = true;
    else if (k === "--work") a.work = v();
    else if (k === "--shared") a.shared = v();
    else if (k === "--peers") {
      a.peers = v()
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      for (const p of a.peers) if (p !== "lancedb") throw new Error(`--peers: unknown peer "${p}" (known: lancedb)`);
    } else if (k === "--help" || k === "-h") {
      process.stdout.write(
        "npm run bench -- [--sizes 1000,10000,100000] [--json] [--reps 3] [--queries 40] [--ask 20] [--keep] [--work DIR] [--shared ../shared/corpus] [--peers lancedb]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown option "${k}" (see --help)`);
  }
  return a;
}

interface IngestResult {
  ingestCpuMs: number;
  chunks: number;
  docs: number;
  ingestMs: number;
  ingestChunksPerSec: number;
  peakRssMb: number;
  indexBytes: number;
  ingestWorkers: number;
  ingestWorkerFailures: number;
  indexFiles: Record<string, number>;
}

/** Runs bench/measure.ts in a fresh node + tsx process (bench/child.ts); resolves with its result file and wall time. */
const child = (args: string[], out: string) => runTsxChild(MEASURE, args, out);

/** Wall time of one whole CLI command (`node bin/launch.mjs src/channels/cli/main.ts ARGS`), as `npm run -s` runs it. */
function cli(
  args: string[],
  indexDir: string,
): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [join(ROOT, "bin/launch.mjs"), "src/channels/cli/main.ts", ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        INDEX_DIR: indexDir,
        EMBEDDINGS_PROVIDER: "hashing",
        LLM_PROVIDER: "none",
        LAUNCH_DEBUG: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    p.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    p.on("error", reject);
    p.on("exit", (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

/** No-change, add-one and remove-one `npm run ingest`, and a cold `npm run search`, on a built index. */
async function measureChanges(
  corpusDir: string,
  indexDir: string,
  fullIngestMs: number,
  pool: Awaited<ReturnType<typeof readPool>>,
): Promise<NonNullable<SizeResult["changes"]>> {
  const ingest = async () => {
    const r = await cli(["ingest", "--corpus", corpusDir], indexDir);
    if (r.code !== 0) throw new Error(`npm run ingest failed: ${r.stderr.slice(-500)}`);
    return r;
  };
  const start = await cli([], indexDir);
  await ingest(); // records what the first listing after a build did not (folder mtimes)
  const noChange = await ingest();
  const title = `基准新增通知${Date.now()}`;
  const added = join(corpusDir, "bench-added-notice.txt");
  await writeFile(added, `${title}\n\n${generateNotices(pool, 1, 4242)[0]!}`);
  const add = await ingest();
  const found = await cli(["search", "--json", "-k", "1", "--mode", "keyword", title], indexDir);
  const addedFoundAtOnce =
    found.code === 0 && (JSON.parse(found.stdout) as { results: { path: string }[] }).results[0]?.path === added;
  await rm(added);
  const remove = await ingest();
  const cold = await cli(["search", "--json", "快递末端网点备案期限"], indexDir);
  if (cold.code !== 0) throw new Error(`npm run search failed: ${cold.stderr.slice(-500)}`);
  const meta = JSON.parse(
    await readFile(join(indexDir, (await readFile(join(indexDir, "CURRENT"), "utf8")).trim(), "meta.json"), "utf8"),
  ) as { segments: unknown[] };
  return {
    cliForm: /\[launch\] dist\//.test(start.stderr) ? "dist" : "tsx",
    processStartMs: Math.round(start.ms),
    noChangeMs: Math.round(noChange.ms),
    addOneMs: Math.round(add.ms),
    removeOneMs: Math.round(remove.ms),
    addedFoundAtOnce,
    coldCliSearchMs: Math.round(cold.ms),
    addOneShareOfFull: Math.round((add.ms / fullIngestMs) * 1e4) / 1e4,
    removeOneShareOfFull: Math.round((remove.ms / fullIngestMs) * 1e4) / 1e4,
    segmentsAfter: meta.segments.length,
    loadAvg1m: loadavg()[0]!,
  };
}

async function notices(pool: Awaited<ReturnType<typeof readPool>>): Promise<{ texts: string[]; source: string }> {
  const dir = join(ROOT, "evals/extract");
  const files = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith(".txt")).sort() : [];
  if (files.length)
    return {
      texts: await Promise.all(files.map((f) => readFile(join(dir, f), "utf8"))),
      source: "evals/extract/*.txt",
    };
  return { texts: generateNotices(pool, 12), source: "generated notices (evals/extract/ is empty)" };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const work = args.work ?? (await mkdtemp(join(tmpdir(), "postal-bench-")));
  await mkdir(work, { recursive: true });
  const pool = await readPool(args.shared);
  const { texts: noticeTexts, source: noticeSource } = await notices(pool);
  const noticesFile = join(work, "notices.json");
  await writeFile(noticesFile, JSON.stringify(noticeTexts));
  log(
    `work dir ${work}; pool: ${pool.articles.length} articles, ${pool.paragraphs.length} paragraphs, ${pool.sentences.length} sentences; ${noticeTexts.length} extract notices from ${noticeSource}`,
  );

  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    queries: { search: args.queries, repetitions: args.reps, ask: args.ask, extractNotices: noticeTexts.length },
    totalMs: 0,
    sizes: [],
  };

  // Warm-up: a tiny ingest and cold start, so that tsx's transform cache is filled (after a source
  // edit the first run compiles every module) and the figures below are those of a repeat run.
  {
    const dir = join(work, "warmup");
    const gen = await generateCorpus(pool, 50, join(dir, "corpus"));
    await child(["ingest", gen.dir, join(dir, "index"), join(dir, "ingest.json")], join(dir, "ingest.json"));
    await child(["cold", join(dir, "index"), "快递", join(dir, "cold.json")], join(dir, "cold.json"));
    await rm(dir, { recursive: true, force: true });
    log("warm-up done");
  }

  for (const target of args.sizes) {
    const dir = join(work, `n${target}`);
    const corpusDir = join(dir, "corpus");
    const indexDir = join(dir, "index");
    await rm(indexDir, { recursive: true, force: true });
    let t = performance.now();
    const gen = await generateCorpus(pool, target, corpusDir);
    const generateMs = performance.now() - t;
    log(`${target}: generated ${gen.files} files (${gen.units} units) in ${generateMs.toFixed(0)} ms; ingesting…`);

    const loadBefore = loadavg()[0]!;
    const ing = (await child(["ingest", corpusDir, indexDir, join(dir, "ingest.json")], join(dir, "ingest.json")))
      .result as unknown as IngestResult;
    log(
      `${target}: ingest ${ing.chunks} chunks in ${(ing.ingestMs / 1000).toFixed(1)} s (${ing.ingestChunksPerSec.toFixed(0)} chunks/s), peak RSS ${ing.peakRssMb.toFixed(0)} MB, index ${(ing.indexBytes / 1e6).toFixed(1)} MB`,
    );

    const firstQuery = "快递末端网点备案期限";
    const cold = await child(["cold", indexDir, firstQuery, join(dir, "cold.json")], join(dir, "cold.json"));
    const coldRes = cold.result as { coldStartMs: number; coldStartCpuMs: number; breakdown: Record<string, number> };
    log(
      `${target}: cold start ${coldRes.coldStartMs.toFixed(0)} ms (${JSON.stringify(coldRes.breakdown)}; process wall ${cold.wallMs.toFixed(0)} ms)`,
    );

    const changes = await measureChanges(corpusDir, indexDir, ing.ingestMs, pool);
    log(
      `${target}: ${changes.cliForm}: no-change ingest ${changes.noChangeMs} ms (process start ${changes.processStartMs} ms), add one ${changes.addOneMs} ms, remove one ${changes.removeOneMs} ms, cold CLI search ${changes.coldCliSearchMs} ms; found at once: ${changes.addedFoundAtOnce}`,
    );

    const q = (
      await child(
        [
          "query",
          indexDir,
          join(dir, "query.json"),
          "--reps",
          String(args.reps),
          "--queries",
          String(args.queries),
          "--ask",
          String(args.ask),
          "--notices",
          noticesFile,
        ],
        join(dir, "query.json"),
      )
    ).result as Omit<SizeResult, "target" | "chunks">;

    let peers: SizeResult["peers"];
    if (args.peers.includes("lancedb")) {
      log(`${target}: LanceDB peer on the same chunks and vectors…`);
      const lancedb = await runLanceDbPeer({
        index: indexDir,
        work: join(dir, "lancedb"),
        vectorIndex: "auto",
        reps: args.reps,
        queries: args.queries,
        keep: false,
        shared: args.shared,
      });
      peers = { lancedb };
    }

    const size: SizeResult = {
      target,
      chunks: ing.chunks,
      docs: ing.docs,
      files: gen.files,
      generateMs: Math.round(generateMs),
      ingestMs: Math.round(ing.ingestMs),
      ingestChunksPerSec: Math.round(ing.ingestChunksPerSec),
      ingestChunksPerCpuSec: Math.round(ing.chunks / (ing.ingestCpuMs / 1000)),
      peakRssMb: Math.round(ing.peakRssMb),
      ingestWorkers: ing.ingestWorkers,
      ingestWorkerFailures: ing.ingestWorkerFailures,
      indexBytes: ing.indexBytes,
      indexFiles: ing.indexFiles,
      coldStartMs: Math.round(coldRes.coldStartMs),
      coldStartCpuMs: Math.round(coldRes.coldStartCpuMs),
      coldStartBreakdownMs: { ...coldRes.breakdown, processWall: Math.round(cold.wallMs) },
      loadAvg1m: [loadBefore, loadavg()[0]!],
      search: q.search,
      serveRssMb: Math.round(q.serveRssMb ?? Number.NaN),
      vectorIndexKind: q.vectorIndexKind,
      baselines: q.baselines,
      ratios: q.ratios,
      ask: q.ask,
      askP95Ms: q.askP95Ms,
      extract: q.extract,
      extractMsPerNotice: q.extractMsPerNotice,
      changes,
      ...(peers ? { peers, peerRatios: peerRatios(q.search, peers) } : {}),
      ...(q.errors?.length ? { errors: q.errors } : {}),
    };
    result.sizes.push(size);
    if (!args.keep) await rm(dir, { recursive: true, force: true });
    t = performance.now();
  }

  result.totalMs = Math.round(performance.now() - started);
  result.machine.loadAvgEnd = loadavg();
  result.budgets = checkBudgets(result.sizes);
  if (!args.keep && !args.work) await rm(work, { recursive: true, force: true });
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${formatReport(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
