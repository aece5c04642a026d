/**
 * The segmented index over a temp corpus: changes go into new segments with tombstones, rankings
 * equal those of an index rebuilt from scratch, merges keep the segment count bounded, the stat
 * cache, failed-file memory, an empty corpus, an unreadable subfolder, and a crash at each step.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import type { CorpusSource } from "../src/ingest/pipeline/corpus-source.js";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { readGeneration } from "../src/index/index-store.js";
import { ingestCorpus, type IngestOptions } from "../src/ingest/pipeline/ingest-corpus.js";
import { discoverFiles } from "../src/ingest/discover.js";
import { openLiveSearchEngine, openSearchEngine } from "../src/retrieval/search-engine.js";
import { fakeSource } from "./fakes/fake-corpus-source.js";

const QUERIES = ["快递末端网点备案", "寄递渠道安全", "实名收寄", "邮政管理部门", "第七条 规定", "会议要求"];

function doc(n: number): string {
  const topics = ["快递末端网点", "寄递渠道安全", "实名收寄制度", "邮政管理部门", "安全生产", "邮路安保"];
  const t = topics[n % topics.length]!;
  return `第${n}号通知\n\n会议要求各单位做好${t}工作，第${n}项任务限期完成。\n\n第七条 ${t}的规定适用于第${n}批企业。\n\n${"补充说明。".repeat(1 + (n % 4))}\n`;
}

describe("segmented index", () => {
  let root: string;
  let corpus: string;
  let indexDir: string;
  let logs: string[];
  const embeddings = new HashingEmbeddings({ dimensions: 64 });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "ingest-segments-"));
    corpus = join(root, "corpus");
    indexDir = join(root, "data");
    await mkdir(join(corpus, "notices"), { recursive: true });
    for (let i = 0; i < 6; i++) await writeFile(join(corpus, "notices", `2020-01-0${i + 1} n${i}.txt`), doc(i));
    logs = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  // the exact flat scan: rankings must equal a rebuild's to the last bit (the HNSW test below allows float noise)
  let form: "flat" | "hnsw" = "flat";
  const run = (extra: Partial<IngestOptions> = {}) =>
    ingestCorpus({
      corpusDirs: [corpus],
      indexDir,
      embeddings,
      source: fakeSource,
      vectorIndex: form,
      log: (l) => logs.push(l),
      ...extra,
    });

  /** Every query's keyword / vector / hybrid ranking (ids and scores) over an index. */
  async function rankings(dir: string) {
    const engine = await openSearchEngine({ indexDir: dir, embeddings });
    const out: Record<string, [string, number][]> = {};
    for (const q of QUERIES)
      for (const mode of ["keyword", "vector", "hybrid"] as const)
        out[`${mode}:${q}`] = (await engine.search(q, { mode, k: 20, maxPerDoc: 20 })).map((h) => [
          h.chunk.id,
          h.score,
        ]);
    return out;
  }
  async function expectSameAsRebuild(digits = 9) {
    const fresh = join(root, "fresh");
    await ingestCorpus({
      corpusDirs: [corpus],
      indexDir: fresh,
      embeddings,
      source: fakeSource,
      rebuild: true,
      vectorIndex: form,
    });
    const [a, b] = [await rankings(indexDir), await rankings(fresh)];
    // same ids in the same order; scores equal to `digits` decimals (a tolerance, not rounding, which flips at .5)
    for (const k of Object.keys(b)) {
      expect([k, a[k]!.map(([id]) => id)]).toEqual([k, b[k]!.map(([id]) => id)]);
      a[k]!.forEach(([, score], i) => {
        expect(Math.abs(score - b[k]![i]![1]), `${k} #${i}`).toBeLessThan(10 ** -digits);
      });
    }
    await rm(fresh, { recursive: true, force: true });
  }

  it("adds, updates and removes documents as new segments and tombstones; rankings equal a rebuilt index", async () => {
    await run();
    expect((await readGeneration(indexDir)).meta.segments).toHaveLength(1);
    await writeFile(join(corpus, "notices", "2020-02-01 added.txt"), doc(40));
    let r = await run();
    expect(r.added).toEqual([join(corpus, "notices", "2020-02-01 added.txt")]);
    let gen = await readGeneration(indexDir);
    expect(gen.meta.segments).toHaveLength(2);
    expect(gen.meta.segments[1]!.chunks).toBe(3);
    await expectSameAsRebuild();
    await writeFile(join(corpus, "notices", "2020-01-01 n0.txt"), doc(0).replace("限期完成", "本月完成"));
    await unlink(join(corpus, "notices", "2020-01-02 n1.txt"));
    r = await run();
    expect(r.updated).toHaveLength(1);
    expect(r.removed).toHaveLength(1);
    gen = await readGeneration(indexDir);
    expect(gen.meta.segments[0]!.deleted).toBe(6); // n0's and n1's three chunks each
    expect(gen.meta.chunks).toBe(6 * 3 + 3 - 3);
    await expectSameAsRebuild();
  });

  it("a build streams through segments of at most segmentChunks new chunks, with the same rankings", async () => {
    for (let i = 0; i < 6; i++) await writeFile(join(corpus, "notices", `2022-01-01 s${i}.txt`), doc(200 + i));
    let written = 0;
    const r = await run({ segmentChunks: 7, writeHooks: { step: (s) => void (s === "segment" && written++) } });
    expect(r.added).toHaveLength(12);
    expect(written).toBe(Math.ceil(36 / 9)); // 3 documents of 3 chunks fill a segment past 7
    expect(logs.join("\n")).toMatch(/Merging 4 segment/); // and the four fill a tier
    await expectSameAsRebuild();
  });

  it("keeps the number of segments bounded by merging (log-structured), with the same rankings", async () => {
    await run();
    for (let i = 0; i < 20; i++) {
      await writeFile(join(corpus, "notices", `2021-01-01 m${i}.txt`), doc(100 + i));
      await run();
      if (i % 3 === 2) await unlink(join(corpus, "notices", `2021-01-01 m${i - 1}.txt`));
    }
    const gen = await readGeneration(indexDir);
    expect(gen.meta.segments.length).toBeLessThanOrEqual(8);
    expect(logs.join("\n")).toMatch(/Merging \d+ segment/);
    await expectSameAsRebuild();
  });

  it("HNSW segments: tombstones are markDelete'd, merges extend the biggest graph (addPoint), same results as a rebuild", async () => {
    form = "hnsw";
    await run();
    for (let i = 0; i < 9; i++) {
      await writeFile(join(corpus, "notices", `2021-01-01 m${i}.txt`), doc(100 + i));
      await run();
      if (i % 3 === 2) await unlink(join(corpus, "notices", `2021-01-01 m${i - 1}.txt`));
    }
    await run();
    const gen = await readGeneration(indexDir);
    expect(gen.meta.vectorForm).toBe("hnsw");
    expect(logs.join("\n")).toMatch(/Merging \d+ segment/);
    await expectSameAsRebuild(5); // a copied vector is re-normalised by hnswlib: the last float bit may differ
    form = "flat";
  });

  it("keeps fields of chunk and document records it does not know (another module's metadata), through merges too", async () => {
    const source: CorpusSource = {
      ...fakeSource,
      async load(path, r) {
        const d = await fakeSource.load(path, r);
        return { ...d, meta: { ...d.meta, issuer: "国家邮政局" } as typeof d.meta };
      },
      chunk: (d) =>
        fakeSource
          .chunk(d)
          .map((c) => ({ ...c, crossRefs: [{ law: "快递暂行条例", article: c.ordinal }] }) as typeof c),
    };
    await run({ source });
    for (let i = 0; i < 4; i++) {
      await writeFile(join(corpus, "notices", `2021-01-01 m${i}.txt`), doc(100 + i));
      await run({ source });
    }
    expect(logs.join("\n")).toMatch(/Merging/);
    const engine = await openSearchEngine({ indexDir, embeddings });
    const hit = (await engine.search("第101项任务", { k: 1 }))[0]!;
    expect((hit.chunk as unknown as { crossRefs: unknown }).crossRefs).toEqual([
      { law: "快递暂行条例", article: hit.chunk.ordinal },
    ]);
    expect((hit.doc as unknown as { issuer: string }).issuer).toBe("国家邮政局");
    expect(engine.index.chunks.every((c) => Array.isArray((c as unknown as { crossRefs: unknown }).crossRefs))).toBe(
      true,
    );
  });

  it("the live engine applies a new segment without reopening the others, and sees the change at once", async () => {
    await run();
    const live = openLiveSearchEngine({ indexDir, embeddings });
    const before = (await live.current()).index;
    expect((await live.search("第40项任务", { k: 1, mode: "keyword" }))[0]?.chunk.text ?? "").not.toContain("第40项");
    await writeFile(join(corpus, "notices", "2020-02-01 added.txt"), doc(40));
    await run();
    const after = (await live.current()).index;
    expect(after).not.toBe(before);
    for (const [name, seg] of before.segments) expect(after.segments.get(name)).toBe(seg);
    expect((await live.search("第40项任务", { k: 1, mode: "keyword" }))[0]!.chunk.text).toContain("第40项");
  });

  it("hashes only files whose size, mtime or inode changed (stat cache)", async () => {
    await run();
    const file = join(corpus, "notices", "2020-01-01 n0.txt");
    const s = await stat(file);
    // same length, same mtime: a stat-clean file is not read again (git's assumption)
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("限期", "本期"));
    await utimes(file, s.atimeMs / 1000, s.mtimeMs / 1000);
    let r = await run();
    expect(r.unchanged).toContain(file);
    expect(logs.join("\n")).toMatch(/Nothing changed/);
    // a new mtime makes it hashed (and, its bytes having changed, re-indexed)
    await utimes(file, new Date(), new Date(Date.now() + 5_000));
    r = await run();
    expect(r.updated).toEqual([file]);
  });

  it("a touched file with the same bytes is hashed once, then trusted by its new stat", async () => {
    await run();
    const file = join(corpus, "notices", "2020-01-01 n0.txt");
    await utimes(file, new Date(), new Date(Date.now() - 60_000));
    const r = await run();
    expect(r.unchanged).toContain(file);
    const entry = (await readGeneration(indexDir)).manifest.find((e) => e.path === file)!;
    expect(entry.stat!.mtimeMs).toBe(Math.floor((await stat(file)).mtimeMs));
  });

  it("remembers a failed file by content hash and does not load it again until it changes", async () => {
    let loads = 0;
    const counting: CorpusSource = {
      ...fakeSource,
      load: (path, r) => {
        if (path.endsWith("bad.txt")) loads++;
        return fakeSource.load(path, r);
      },
    };
    await writeFile(join(corpus, "bad.txt"), "BAD bytes\n\nx\n");
    let r = await run({ source: counting });
    expect(loads).toBe(1);
    expect(r.failed.map((f) => f.path)).toEqual([join(corpus, "bad.txt")]);
    r = await run({ source: counting });
    expect(loads).toBe(1);
    expect(r.failed[0]!.reason).toMatch(/not a readable document.*not retried until the file changes/);
    await writeFile(join(corpus, "bad.txt"), "通知\n\n现在可以读了。\n");
    r = await run({ source: counting });
    expect(loads).toBe(2);
    expect(r.failed).toEqual([]);
    expect(r.added).toEqual([join(corpus, "bad.txt")]);
  });

  it("deleting every file empties the index (an empty corpus is a valid state)", async () => {
    await run();
    await rm(join(corpus, "notices"), { recursive: true });
    const r = await run();
    expect(r.removed).toHaveLength(6);
    expect(r.written).toBe(true);
    expect(r.chunks).toBe(0);
    const engine = await openSearchEngine({ indexDir, embeddings });
    for (const mode of ["keyword", "vector", "hybrid"] as const)
      expect(await engine.search("快递末端网点", { mode })).toEqual([]);
    // and documents can come back
    await mkdir(join(corpus, "notices"));
    await writeFile(join(corpus, "notices", "2020-03-01 back.txt"), doc(7));
    expect((await run()).added).toHaveLength(1);
    expect((await engine.search("第7号通知")).length).toBe(0); // an engine without live reload keeps what it loaded
    expect((await (await openSearchEngine({ indexDir, embeddings })).search("第7项任务"))[0]!.chunk.docId).toMatch(
      /back/,
    );
  });

  it("a missing corpus folder never empties the index", async () => {
    await run();
    const r = await run({ corpusDirs: [join(root, "gone")] });
    expect(r.written).toBe(false);
    expect(logs.join("\n")).toMatch(/previous index is left as it was/);
    expect((await readGeneration(indexDir)).meta.chunks).toBe(18);
  });

  it("an unreadable subfolder fails alone, named; the rest of its root is indexed and its own files are kept", async () => {
    await mkdir(join(corpus, "locked"));
    await writeFile(join(corpus, "locked", "2020-05-01 secret.txt"), doc(9));
    await run();
    const locked = join(corpus, "locked");
    const source: CorpusSource = {
      ...fakeSource,
      async discover(dir, options) {
        const all = await fakeSource.discover(dir);
        options?.onUnreadable?.(new InputError(locked, "cannot be listed (EACCES)"));
        return all.filter((p) => !p.startsWith(locked));
      },
    };
    await writeFile(join(corpus, "notices", "2020-02-01 added.txt"), doc(40));
    const r = await run({ source });
    expect(r.failed).toEqual([
      { path: locked, reason: expect.stringMatching(/cannot be listed \(EACCES\).*rest of .* is indexed/) },
    ]);
    expect(r.added).toEqual([join(corpus, "notices", "2020-02-01 added.txt")]);
    expect(r.removed).toEqual([]);
    const engine = await openSearchEngine({ indexDir, embeddings });
    expect(engine.index.docs.map((d) => d.id)).toContain("locked/2020-05-01 secret");
    expect(engine.index.docs).toHaveLength(8);
  });

  it.skipIf(process.getuid?.() === 0)(
    "discoverFiles reports an unreadable subfolder and lists the rest (needs a non-root user)",
    async () => {
      await mkdir(join(corpus, "locked"));
      await writeFile(join(corpus, "locked", "a.txt"), "x");
      await chmod(join(corpus, "locked"), 0o000);
      try {
        const errors: InputError[] = [];
        const files = await discoverFiles(corpus, { onUnreadable: (e) => errors.push(e) });
        expect(files).toHaveLength(6);
        expect(errors.map((e) => e.path)).toEqual([join(corpus, "locked")]);
      } finally {
        await chmod(join(corpus, "locked"), 0o755);
      }
    },
  );

  for (const step of ["loaded", "embedded", "segment", "merged", "generation", "renamed"]) {
    it(`a crash at "${step}" leaves the last committed index, and the next ingest completes`, async () => {
      await run();
      for (let i = 0; i < 3; i++) {
        await writeFile(join(corpus, "notices", `2021-01-01 m${i}.txt`), doc(100 + i));
        await run();
      }
      const committed = await rankings(indexDir);
      const gen = await readGeneration(indexDir);
      await writeFile(join(corpus, "notices", "2021-01-01 m9.txt"), doc(109)); // the 4th small segment: a merge
      await unlink(join(corpus, "notices", "2020-01-03 n2.txt"));
      let hit = false;
      await expect(
        run({
          writeHooks: {
            step: (s) => {
              if (s === step) {
                hit = true;
                throw new Error("simulated crash");
              }
            },
          },
        }),
      ).rejects.toThrow("simulated crash");
      expect(hit).toBe(true);
      expect((await readGeneration(indexDir)).dir).toBe(gen.dir);
      expect(await rankings(indexDir)).toEqual(committed);
      const r = await run();
      expect(r.added).toEqual([join(corpus, "notices", "2021-01-01 m9.txt")]);
      expect(r.removed).toEqual([join(corpus, "notices", "2020-01-03 n2.txt")]);
      await expectSameAsRebuild();
    });
  }
});

describe("folder listing cache (real discoverFiles)", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "ingest-folders-"));
    await mkdir(join(root, "corpus", "a", "empty"), { recursive: true });
    await writeFile(join(root, "corpus", "a", "2020-01-01 x.txt"), doc(1));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  it("lists again only when a folder changed, and then finds a file added to a folder that held none", async () => {
    const embeddings = new HashingEmbeddings({ dimensions: 64 });
    let listings = 0;
    const source: CorpusSource = {
      ...fakeSource,
      async discover(dir, options) {
        listings++;
        return discoverFiles(dir, options);
      },
    };
    const run = () =>
      ingestCorpus({
        corpusDirs: [join(root, "corpus")],
        indexDir: join(root, "data"),
        embeddings,
        source,
        workers: 0,
      });
    expect((await run()).added).toHaveLength(1);
    const old = new Date(Date.now() - 120_000);
    for (const d of ["corpus", "corpus/a", "corpus/a/empty"]) await utimes(join(root, d), old, old);
    await run(); // folder mtimes recorded as they are now
    const before = listings;
    expect((await run()).unchanged).toHaveLength(1);
    expect(listings).toBe(before); // nothing changed: no listing
    await writeFile(join(root, "corpus", "a", "empty", "2020-02-02 y.txt"), doc(2));
    const r = await run();
    expect(listings).toBe(before + 1);
    expect(r.added).toEqual([join(root, "corpus", "a", "empty", "2020-02-02 y.txt")]);
  });
});
