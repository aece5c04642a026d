/**
 * Percentiles, latency summaries and the human-readable report of `npm run bench`.
 * Pure functions (no timing, no I/O) so they can be unit-tested.
 */

/**
 * Nearest-rank percentile (p in 0..100) of the samples: the smallest value such that at least
 * p% of the samples are ≤ it. NaN for no samples. (Nearest rank never interpolates, so p95 of a
 * set is always a latency that was actually observed.)
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
  /** How many timed calls the figures summarise. */
  n: number;
  /** p50/p95 of the process CPU time per call (user + system): less sensitive to other load on the machine. */
  cpuP50Ms?: number;
  cpuP95Ms?: number;
}

const round = (x: number, digits = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

export function summarize(wallMs: readonly number[], cpuMs?: readonly number[]): LatencySummary {
  const mean = wallMs.length ? wallMs.reduce((s, x) => s + x, 0) / wallMs.length : Number.NaN;
  const out: LatencySummary = {
    p50Ms: round(percentile(wallMs, 50)),
    p95Ms: round(percentile(wallMs, 95)),
    meanMs: round(mean),
    maxMs: round(wallMs.length ? Math.max(...wallMs) : Number.NaN),
    n: wallMs.length,
  };
  if (cpuMs?.length) {
    out.cpuP50Ms = round(percentile(cpuMs, 50));
    out.cpuP95Ms = round(percentile(cpuMs, 95));
  }
  return out;
}

/** theirs / ours (how many times faster ours is); null when either is missing or ours is 0. */
export function ratio(theirs: number | undefined, ours: number | undefined): number | null {
  if (theirs === undefined || ours === undefined || !Number.isFinite(theirs) || !Number.isFinite(ours) || ours <= 0)
    return null;
  return round(theirs / ours, 2);
}

/** Parses `--sizes 1000,10000` (also `10k`, `100k`, `1e5`). Throws a clear error for anything else. */
export function parseSizes(text: string): number[] {
  const sizes = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\d+(?:\.\d+)?)(k)?$/i.exec(s);
      const n = m ? Number(m[1]) * (m[2] ? 1000 : 1) : Number(s);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`--sizes: "${s}" is not a whole number of chunks (e.g. --sizes 1000,10000,100000)`);
      return n;
    });
  if (sizes.length === 0) throw new Error("--sizes needs at least one size, e.g. --sizes 1000,10000");
  return sizes;
}

// ---------------------------------------------------------------------------------------------
// The result shape (the JSON `npm run bench -- --json` prints).

export type SearchKind = "keyword" | "vector" | "hybrid" | "bruteForce" | "minisearch";

export interface SizeResult {
  /** Requested size (the generator's target). */
  target: number;
  /** Chunks actually indexed (the chunker decides). */
  chunks: number;
  docs: number;
  files: number;
  generateMs: number;
  ingestMs: number;
  ingestChunksPerSec: number;
  /** Chunks per second of CPU time (user + system) of the ingest process: less sensitive to other load on the machine. */
  ingestChunksPerCpuSec?: number;
  /** Peak resident set size of the ingest process. */
  peakRssMb: number;
  /** Where ingest time went (embedding, the rest): runs before worker threads. */
  ingestBreakdownMs?: Record<string, number>;
  /** Worker threads that loaded and embedded files (0: main thread only), and how many stopped. */
  ingestWorkers?: number;
  ingestWorkerFailures?: number;
  indexBytes: number;
  indexFiles?: Record<string, number>;
  /** From spawning a fresh process to the first hybrid answer (module load + index load + query). */
  coldStartMs: number;
  /** CPU time (all threads) the cold-start process used up to the first answer. */
  coldStartCpuMs?: number;
  /** 1-minute load average before the size's ingest and after its queries (2 cores: > 2 means CPU contention). */
  loadAvg1m?: number[];
  /** "flat" (exact scan) or "hnsw". */
  vectorIndexKind?: string;
  coldStartBreakdownMs?: Record<string, number>;
  search: Record<SearchKind, LatencySummary>;
  /** Resident set size of the query process once our index is loaded and warm (before the baselines are built). */
  serveRssMb?: number;
  baselines: {
    bruteForceBuildMs: number;
    minisearchBuildMs: number;
    /** Overlap of our vector top-10 (HNSW) with the exact brute-force top-10, averaged over the queries. */
    vectorRecallAt10?: number;
  };
  ratios: {
    /** bruteForce p95 / our vector p95, and / our hybrid p95 (> 1: ours is faster). */
    bruteForceVsVectorP95: number | null;
    bruteForceVsHybridP95: number | null;
    /** minisearch p95 / our keyword p95. */
    minisearchVsKeywordP95: number | null;
  };
  ask: LatencySummary;
  askP95Ms: number;
  extract: LatencySummary & { notices: number };
  extractMsPerNotice: number;
  /**
   * Whole `npm run ingest` / `npm run search` commands (bin/launch.mjs: the built JavaScript when
   * dist/ is current, else tsx; `cliForm` says which), wall ms, on the index built above.
   */
  changes?: {
    cliForm: "dist" | "tsx";
    noChangeMs: number;
    /** A process that only prints the usage: what every command pays before any work. */
    processStartMs: number;
    addOneMs: number;
    removeOneMs: number;
    /** The added document was the first hit of a search run right after the add. */
    addedFoundAtOnce: boolean;
    coldCliSearchMs: number;
    /** add / remove one document as a share of the full ingest (in-process ingest time). */
    addOneShareOfFull: number;
    removeOneShareOfFull: number;
    segmentsAfter: number;
    loadAvg1m: number;
  };
  /** Peers run on the same chunks and vectors (`--peers lancedb`): each peer's own report (bench/peers/run-lancedb.ts). */
  peers?: { lancedb?: Record<string, unknown> };
  /** Theirs / ours (> 1: ours is faster or smaller), from the same run. */
  peerRatios?: { lancedb?: PeerRatios };
  errors?: string[];
}

export interface PeerRatios {
  hybridP50: number | null;
  hybridP95: number | null;
  keywordP95: number | null;
  vectorP95: number | null;
  /** The peer's vector recall@10 against the exact top 10 (ours is exact: 1). */
  peerVectorRecallAt10: number | null;
}

/** Peer p50/p95 over ours, per search mode (the peer is given query vectors; ours embeds each question). */
export function peerRatios(
  ours: Record<SearchKind, LatencySummary>,
  peers: NonNullable<SizeResult["peers"]>,
): NonNullable<SizeResult["peerRatios"]> {
  const out: NonNullable<SizeResult["peerRatios"]> = {};
  const l = peers.lancedb as
    | { search?: Record<"hybrid" | "keyword" | "vector", LatencySummary>; vectorRecallAt10?: number }
    | undefined;
  if (l?.search)
    out.lancedb = {
      hybridP50: ratio(l.search.hybrid.p50Ms, ours.hybrid.p50Ms),
      hybridP95: ratio(l.search.hybrid.p95Ms, ours.hybrid.p95Ms),
      keywordP95: ratio(l.search.keyword.p95Ms, ours.keyword.p95Ms),
      vectorP95: ratio(l.search.vector.p95Ms, ours.vector.p95Ms),
      peerVectorRecallAt10: l.vectorRecallAt10 ?? null,
    };
  return out;
}

export interface BenchResult {
  date: string;
  machine: {
    cpus: number;
    model: string;
    ramGb: number;
    node: string;
    platform: string;
    loadAvgStart: number[];
    loadAvgEnd?: number[];
  };
  command: string;
  queries: { search: number; repetitions: number; ask: number; extractNotices: number };
  totalMs: number;
  sizes: SizeResult[];
  budgets?: BudgetCheck[];
}

export interface BudgetCheck {
  name: string;
  chunks: number;
  limit: string;
  value: number;
  ok: boolean;
}

/** The issue's budgets, checked at the largest size run (they are stated for 100k chunks). */
export function checkBudgets(sizes: readonly SizeResult[]): BudgetCheck[] {
  if (sizes.length === 0) return [];
  const big = [...sizes].sort((a, b) => b.chunks - a.chunks)[0]!;
  const checks: BudgetCheck[] = [
    {
      name: "hybrid search p95",
      chunks: big.chunks,
      limit: "< 50 ms",
      value: big.search.hybrid.p95Ms,
      ok: big.search.hybrid.p95Ms < 50,
    },
    { name: "ask p95", chunks: big.chunks, limit: "< 200 ms", value: big.askP95Ms, ok: big.askP95Ms < 200 },
    { name: "cold start", chunks: big.chunks, limit: "< 3000 ms", value: big.coldStartMs, ok: big.coldStartMs < 3000 },
    {
      name: "ingest throughput",
      chunks: big.chunks,
      limit: "≥ 2000 chunks/s",
      value: big.ingestChunksPerSec,
      ok: big.ingestChunksPerSec >= 2000,
    },
  ];
  const c = big.changes;
  if (c) {
    checks.push(
      {
        name: "add one document (npm run ingest, whole command)",
        chunks: big.chunks,
        limit: "≤ 3000 ms and ≤ 5% of a full ingest",
        value: c.addOneMs,
        ok: c.addOneMs <= 3000 && c.addOneShareOfFull <= 0.05,
      },
      {
        name: "remove one document (npm run ingest, whole command)",
        chunks: big.chunks,
        limit: "≤ 3000 ms and ≤ 5% of a full ingest",
        value: c.removeOneMs,
        ok: c.removeOneMs <= 3000 && c.removeOneShareOfFull <= 0.05,
      },
      {
        name: "no-change ingest beyond process start",
        chunks: big.chunks,
        limit: "≤ 500 ms",
        value: c.noChangeMs - c.processStartMs,
        ok: c.noChangeMs - c.processStartMs <= 500,
      },
      {
        name: "cold CLI search (npm run search, whole command)",
        chunks: big.chunks,
        limit: "≤ 800 ms",
        value: c.coldCliSearchMs,
        ok: c.coldCliSearchMs <= 800,
      },
      {
        name: "search sees an added document at once",
        chunks: big.chunks,
        limit: "true",
        value: c.addedFoundAtOnce ? 1 : 0,
        ok: c.addedFoundAtOnce,
      },
    );
  }
  for (const s of sizes.filter((x) => x.chunks >= 10_000)) {
    const l = s.peers?.lancedb as { search?: Record<string, LatencySummary> } | undefined;
    if (l?.search && s.baselines.vectorRecallAt10 !== undefined)
      checks.push({
        name: "hybrid faster than LanceDB's (p95), our vector recall@10 vs exact ≥ 0.99",
        chunks: s.chunks,
        limit: `hybrid < LanceDB ${f(l.search.hybrid!.p95Ms, 1)} ms`,
        value: s.search.hybrid.p95Ms,
        ok: s.search.hybrid.p95Ms < l.search.hybrid!.p95Ms && s.baselines.vectorRecallAt10 >= 0.99,
      });
    checks.push({
      name: "hybrid faster than brute force (p95)",
      chunks: s.chunks,
      limit: "hybrid < bruteForce",
      value: s.search.hybrid.p95Ms,
      ok: s.search.hybrid.p95Ms < s.search.bruteForce.p95Ms,
    });
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// Text table.

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

const f = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const ms = (s: LatencySummary) => `${f(s.p50Ms, 2)} / ${f(s.p95Ms, 2)}`;

/** The Markdown tables printed without --json (also pasted into the README). */
export function formatReport(result: BenchResult): string {
  const out: string[] = [];
  const m = result.machine;
  out.push(
    `Machine: ${m.cpus} × ${m.model}, ${m.ramGb} GB RAM, Node ${m.node}, ${m.platform}; load average at start ${m.loadAvgStart.map((x) => x.toFixed(2)).join(" ")}${m.loadAvgEnd ? `, at end ${m.loadAvgEnd.map((x) => x.toFixed(2)).join(" ")}` : ""}`,
  );
  out.push(`Date: ${result.date}   Command: ${result.command}   Total: ${(result.totalMs / 1000).toFixed(0)} s`);
  out.push(
    `Queries: ${result.queries.search} search questions × ${result.queries.repetitions} repetitions per mode; ${result.queries.ask} ask questions; ${result.queries.extractNotices} extract notices`,
  );
  out.push("");
  out.push(
    table(
      [
        "chunks",
        "ingest chunks/s",
        "(per CPU-s)",
        "ingest s",
        "peak RSS MB",
        "index MB",
        "cold start ms",
        "(CPU ms)",
        "ask p50 / p95 ms",
        "extract ms/notice",
        "load avg",
      ],
      result.sizes.map((s) => [
        int(s.chunks),
        int(s.ingestChunksPerSec),
        int(s.ingestChunksPerCpuSec ?? Number.NaN),
        f(s.ingestMs / 1000),
        int(s.peakRssMb),
        f(s.indexBytes / 1e6),
        int(s.coldStartMs),
        int(s.coldStartCpuMs ?? Number.NaN),
        ms(s.ask),
        f(s.extractMsPerNotice, 2),
        (s.loadAvg1m ?? []).map((x) => x.toFixed(1)).join("→"),
      ]),
    ),
  );
  out.push("");
  out.push("Search latency, p50 / p95 ms (ours vs. the baselines on the same chunks; ratio = theirs p95 / ours p95):");
  out.push("");
  out.push(
    table(
      [
        "chunks",
        "keyword",
        "vector",
        "hybrid",
        "brute force (MemoryVectorStore)",
        "MiniSearch (jieba)",
        "brute/vector",
        "brute/hybrid",
        "MiniSearch/keyword",
        "vector recall@10",
      ],
      result.sizes.map((s) => [
        int(s.chunks),
        ms(s.search.keyword),
        ms(s.search.vector),
        ms(s.search.hybrid),
        ms(s.search.bruteForce),
        ms(s.search.minisearch),
        `${f(s.ratios.bruteForceVsVectorP95, 2)}×`,
        `${f(s.ratios.bruteForceVsHybridP95, 2)}×`,
        `${f(s.ratios.minisearchVsKeywordP95, 2)}×`,
        f(s.baselines.vectorRecallAt10, 3),
      ]),
    ),
  );
  out.push("");
  out.push(
    table(
      [
        "chunks",
        "vector index",
        "MemoryVectorStore build ms",
        "MiniSearch build ms",
        "serve RSS MB",
        "keyword CPU p95",
        "vector CPU p95",
        "hybrid CPU p95",
        "brute force CPU p95",
        "MiniSearch CPU p95",
      ],
      result.sizes.map((s) => [
        int(s.chunks),
        s.vectorIndexKind ?? "–",
        int(s.baselines.bruteForceBuildMs),
        int(s.baselines.minisearchBuildMs),
        int(s.serveRssMb ?? Number.NaN),
        f(s.search.keyword.cpuP95Ms, 2),
        f(s.search.vector.cpuP95Ms, 2),
        f(s.search.hybrid.cpuP95Ms, 2),
        f(s.search.bruteForce.cpuP95Ms, 2),
        f(s.search.minisearch.cpuP95Ms, 2),
      ]),
    ),
  );
  const withChanges = result.sizes.filter((s) => s.changes);
  if (withChanges.length) {
    out.push("");
    out.push("Changes, whole commands (wall ms; bin/launch.mjs ran the form shown):");
    out.push("");
    out.push(
      table(
        [
          "chunks",
          "form",
          "process start",
          "no change",
          "add one",
          "remove one",
          "add / full ingest",
          "remove / full ingest",
          "cold CLI search",
          "found at once",
          "segments",
          "load avg",
        ],
        withChanges.map((s) => {
          const c = s.changes!;
          return [
            int(s.chunks),
            c.cliForm,
            int(c.processStartMs),
            int(c.noChangeMs),
            int(c.addOneMs),
            int(c.removeOneMs),
            `${f(c.addOneShareOfFull * 100, 1)}%`,
            `${f(c.removeOneShareOfFull * 100, 1)}%`,
            int(c.coldCliSearchMs),
            c.addedFoundAtOnce ? "yes" : "NO",
            String(c.segmentsAfter),
            f(c.loadAvg1m, 1),
          ];
        }),
      ),
    );
  }
  const withPeer = result.sizes.filter((s) => s.peers?.lancedb);
  if (withPeer.length) {
    out.push("");
    out.push(
      "LanceDB on the same chunks and vectors (same run; its queries are given the vectors; ratio = LanceDB / ours):",
    );
    out.push("");
    type Peer = {
      vectorIndex?: string;
      buildMs?: number;
      diskBytes?: number;
      peakRssMb?: number;
      vectorRecallAt10?: number;
      search?: Record<string, LatencySummary>;
      addOneMs?: { median: number };
      removeOneMs?: { median: number };
      optimizeAfterChangesMs?: number;
      loadAvg?: { beforePeer?: number[]; end?: number[] };
    };
    out.push(
      table(
        [
          "chunks",
          "LanceDB vector index",
          "build s",
          "disk MB",
          "peak RSS MB",
          "hybrid p50 / p95",
          "keyword p50 / p95",
          "vector p50 / p95",
          "recall@10",
          "add one ms",
          "remove one ms",
          "optimize s",
          "hybrid p95 ratio",
          "load avg",
        ],
        withPeer.map((s) => {
          const p = s.peers!.lancedb as Peer;
          const r = s.peerRatios?.lancedb;
          return [
            int(s.chunks),
            p.vectorIndex ?? "–",
            f((p.buildMs ?? Number.NaN) / 1000),
            f((p.diskBytes ?? Number.NaN) / 1e6),
            int(p.peakRssMb ?? Number.NaN),
            p.search?.hybrid ? ms(p.search.hybrid) : "–",
            p.search?.keyword ? ms(p.search.keyword) : "–",
            p.search?.vector ? ms(p.search.vector) : "–",
            f(p.vectorRecallAt10, 3),
            f(p.addOneMs?.median, 1),
            f(p.removeOneMs?.median, 1),
            f((p.optimizeAfterChangesMs ?? Number.NaN) / 1000),
            `${f(r?.hybridP95, 2)}×`,
            [...(p.loadAvg?.beforePeer ?? []).slice(0, 1), ...(p.loadAvg?.end ?? []).slice(0, 1)]
              .map((x) => x.toFixed(1))
              .join("→"),
          ];
        }),
      ),
    );
  }
  if (result.budgets?.length) {
    out.push("");
    out.push("Budgets (embedded default):");
    for (const b of result.budgets)
      out.push(
        `- ${b.ok ? "PASS" : "MISS"} ${b.name} at ${int(b.chunks)} chunks: ${f(b.value, 1)} (budget ${b.limit})`,
      );
  }
  const errors = result.sizes.flatMap((s) => (s.errors ?? []).map((e) => `${int(s.chunks)}: ${e}`));
  if (errors.length) {
    out.push("");
    out.push("Errors:");
    for (const e of errors) out.push(`- ${e}`);
  }
  return out.join("\n");
}
