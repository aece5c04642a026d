import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chineseNumber,
  generateCorpus,
  generateNotices,
  prng,
  readPool,
  splitSentences,
  type Pool,
} from "../bench/generate-corpus.js";
import {
  checkBudgets,
  formatReport,
  parseSizes,
  percentile,
  ratio,
  summarize,
  type BenchResult,
  type SizeResult,
} from "../bench/stats.js";

const SHARED = fileURLToPath(new URL("../../shared/corpus", import.meta.url));

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of (await readdir(dir)).sort())
    for (const f of (await readdir(join(dir, sub))).sort())
      out[`${sub}/${f}`] = await readFile(join(dir, sub, f), "utf8");
  return out;
}

describe("bench corpus generator", () => {
  let pool: Pool;
  let tmp: string;
  beforeAll(async () => {
    pool = await readPool(SHARED);
    tmp = await mkdtemp(join(tmpdir(), "bench-gen-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("reads articles, paragraphs and sentences from the shared corpus", () => {
    expect(pool.articles.length).toBeGreaterThan(300);
    expect(pool.paragraphs.length).toBeGreaterThan(5);
    expect(pool.sentences.length).toBeGreaterThan(pool.articles.length);
    expect(pool.articles.every((a) => !/^第[零一二三四五六七八九十百]+条/.test(a))).toBe(true);
  });

  it("writes the same files for the same seed and size, and other files for another seed", async () => {
    const a = await generateCorpus(pool, 300, join(tmp, "a"));
    const b = await generateCorpus(pool, 300, join(tmp, "b"));
    const c = await generateCorpus(pool, 300, join(tmp, "c"), 7);
    const [sa, sb, sc] = await Promise.all([snapshot(a.dir), snapshot(b.dir), snapshot(c.dir)]);
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(a.units).toBe(300);
    expect(a.files).toBe(Object.keys(sa).length);
  });

  it("makes regulation-like and bulletin-like documents with varied titles and dates", async () => {
    const g = await generateCorpus(pool, 600, join(tmp, "d"));
    const files = await snapshot(g.dir);
    const regs = Object.entries(files).filter(([p]) => p.startsWith("regulations/"));
    const buls = Object.entries(files).filter(([p]) => p.startsWith("bulletins/"));
    expect(regs.length).toBeGreaterThan(0);
    expect(buls.length).toBeGreaterThan(0);
    expect(new Set(regs.map(([, t]) => t.split("\n")[0])).size).toBe(regs.length);
    for (const [, t] of regs)
      expect(t).toMatch(/^# .+\n\n\d{4}年\d{1,2}月\d{1,2}日 第.+次会议通过\n\n<!-- INFO END -->\n\n## 第一章 /);
    for (const [p, t] of buls) {
      const date = /^bulletins\/(\d{4}-\d{2}-\d{2}) /.exec(p)![1];
      expect(t).toContain(`發布時間:${date}`);
    }
    expect(new Set(regs.map(([, t]) => t.split("\n")[2])).size).toBeGreaterThan(regs.length / 2);
  });

  it("recombines sentences, and its helpers behave", () => {
    expect(splitSentences("邮政企业应当建立制度。快递企业应当备案；短。末尾一句没有标点")).toEqual([
      "邮政企业应当建立制度。",
      "快递企业应当备案；",
      "末尾一句没有标点",
    ]);
    expect(chineseNumber(1)).toBe("一");
    expect(chineseNumber(10)).toBe("十");
    expect(chineseNumber(21)).toBe("二十一");
    expect(chineseNumber(105)).toBe("一百零五");
    expect(chineseNumber(115)).toBe("一百一十五");
    const r1 = prng(42);
    const r2 = prng(42);
    const xs = Array.from({ length: 5 }, () => r1());
    expect(xs).toEqual(Array.from({ length: 5 }, () => r2()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("generates deterministic notices with deadlines", () => {
    const a = generateNotices(pool, 4);
    expect(a).toEqual(generateNotices(pool, 4));
    expect(a).toHaveLength(4);
    for (const n of a) expect(n).toMatch(/前完成自查[\s\S]*个工作日内[\s\S]*每月\d+日前/);
  });
});

describe("bench statistics and report", () => {
  it("computes nearest-rank percentiles", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it("summarises latencies and ratios", () => {
    const s = summarize([1, 2, 3, 4, 10], [1, 1, 1, 1, 2]);
    expect(s).toMatchObject({ p50Ms: 3, p95Ms: 10, meanMs: 4, maxMs: 10, n: 5, cpuP50Ms: 1, cpuP95Ms: 2 });
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(undefined, 3)).toBeNull();
  });

  it("parses --sizes and rejects nonsense", () => {
    expect(parseSizes("1000,10000")).toEqual([1000, 10000]);
    expect(parseSizes("1k, 100k")).toEqual([1000, 100000]);
    expect(() => parseSizes("ten")).toThrow(/--sizes/);
    expect(() => parseSizes("")).toThrow(/--sizes/);
    expect(() => parseSizes("0")).toThrow(/--sizes/);
  });

  const lat = (p50: number, p95: number) => ({ p50Ms: p50, p95Ms: p95, meanMs: p50, maxMs: p95, n: 40 });
  const size = (chunks: number, hybridP95: number, bruteP95: number): SizeResult => ({
    target: chunks,
    chunks,
    docs: 10,
    files: 10,
    generateMs: 1,
    ingestMs: 1000,
    ingestChunksPerSec: 2500,
    peakRssMb: 300,
    indexBytes: 5e6,
    coldStartMs: 900,
    search: {
      keyword: lat(1, 2),
      vector: lat(2, 3),
      hybrid: lat(3, hybridP95),
      bruteForce: lat(20, bruteP95),
      minisearch: lat(4, 8),
    },
    baselines: { bruteForceBuildMs: 10, minisearchBuildMs: 20, vectorRecallAt10: 1 },
    ratios: { bruteForceVsVectorP95: 10, bruteForceVsHybridP95: 5, minisearchVsKeywordP95: 4 },
    ask: lat(20, 40),
    askP95Ms: 40,
    extract: { ...lat(2, 3), notices: 3 },
    extractMsPerNotice: 2,
  });

  it("checks the budgets at the largest size and hybrid against brute force from 10k chunks", () => {
    const checks = checkBudgets([size(1000, 4, 3), size(10_000, 6, 30), size(100_000, 60, 300)]);
    const byName = (n: string) => checks.filter((c) => c.name === n);
    expect(byName("hybrid search p95")[0]).toMatchObject({ chunks: 100_000, ok: false, value: 60 });
    expect(byName("ask p95")[0]!.ok).toBe(true);
    expect(byName("cold start")[0]!.ok).toBe(true);
    expect(byName("ingest throughput")[0]!.ok).toBe(true);
    expect(byName("hybrid faster than brute force (p95)").map((c) => c.chunks)).toEqual([10_000, 100_000]);
  });

  it("prints a table with our figures, the baselines' and the ratios", () => {
    const result: BenchResult = {
      date: "2026-11-23T00:00:00Z",
      machine: {
        cpus: 2,
        model: "Test CPU",
        ramGb: 8,
        node: "v20",
        platform: "linux-x64",
        loadAvgStart: [0.5, 0.4, 0.3],
      },
      command: "npm run bench",
      queries: { search: 40, repetitions: 3, ask: 20, extractNotices: 3 },
      totalMs: 1000,
      sizes: [size(10_000, 6, 30)],
    };
    result.sizes[0]!.ingestChunksPerSec = 1500;
    result.budgets = checkBudgets(result.sizes);
    const text = formatReport(result);
    expect(text).toContain("Test CPU");
    expect(text).toMatch(/\| 10,000 +\| +1,500 \|/);
    expect(text).toContain("3.00 / 6.00");
    expect(text).toContain("20.00 / 30.00");
    expect(text).toContain("5.00×");
    expect(text).toContain("PASS hybrid search p95 at 10,000 chunks: 6.0 (budget < 50 ms)");
    expect(text).toContain("MISS ingest throughput at 10,000 chunks: 1500.0 (budget ≥ 2000 chunks/s)");
  });
});
