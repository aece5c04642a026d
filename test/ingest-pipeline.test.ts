import { mkdir, mkdtemp, readdir, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { readGeneration } from "../src/index/index-store.js";
import { ingestCorpus } from "../src/ingest/pipeline/ingest-corpus.js";
import { segmentDir } from "../src/index/segment.js";
import { loadIndex } from "../src/retrieval/loaded-index.js";
import { openLiveSearchEngine, openSearchEngine } from "../src/retrieval/search-engine.js";
import { fakeSource } from "./fakes/fake-corpus-source.js";

/** Counts the texts it is asked to embed. */
class CountingEmbeddings extends HashingEmbeddings {
  embedded = 0;
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.embedded += texts.length;
    return super.embedDocuments(texts);
  }
}

/** The live index as a search would see it, with the generation's manifest. */
async function readIndex(dir: string, e = new HashingEmbeddings({ dimensions: 64 })) {
  const idx = await loadIndex(dir, e);
  const gen = await readGeneration(dir);
  return { dir: idx.dir!, meta: idx.meta, docs: idx.docs, chunks: idx.chunks, manifest: gen.manifest };
}

const REG =
  "# 快递暂行条例\n\n第十八条 经营快递业务的企业可以开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。\n\n第二十二条 寄件人交寄快件，应当如实提供以下事项。\n";
const BULLETIN = "邮路安保工作会议\n\n会议要求做好寄递渠道安全保障工作。\n\n各单位要落实实名收寄制度。\n";

describe("ingestCorpus (incremental, over a temp corpus)", () => {
  let root: string;
  let corpus: string;
  let other: string;
  let indexDir: string;
  let logs: string[];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "ingest-pipeline-"));
    corpus = join(root, "corpus");
    other = join(root, "shared");
    indexDir = join(root, "data");
    await mkdir(join(corpus, "regulations"), { recursive: true });
    await mkdir(join(other, "bulletins"), { recursive: true });
    await writeFile(join(corpus, "regulations", "快递暂行条例.md"), REG);
    await writeFile(join(corpus, "2014-08-27 邮路安保.txt"), BULLETIN);
    // the same bulletin reached through a second root
    await writeFile(join(other, "bulletins", "2014-08-27 邮路安保.txt"), BULLETIN);
    logs = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const run = (
    embeddings = new CountingEmbeddings({ dimensions: 64 }),
    extra: { rebuild?: boolean; dirs?: string[] } = {},
  ) =>
    ingestCorpus({
      corpusDirs: extra.dirs ?? [corpus, other],
      indexDir,
      embeddings,
      source: fakeSource,
      rebuild: extra.rebuild,
      log: (l) => logs.push(l),
    });

  it("indexes new files, and the same content reached twice only once", async () => {
    const e = new CountingEmbeddings({ dimensions: 64 });
    const r = await run(e);
    expect(r.added).toHaveLength(2);
    expect(r.unchanged).toEqual([join(other, "bulletins", "2014-08-27 邮路安保.txt")]);
    expect(r.failed).toEqual([]);
    expect(r.written).toBe(true);
    expect(r.chunks).toBe(4);
    expect(e.embedded).toBe(4);
    expect(logs.join("\n")).toMatch(/same content as/);
    const idx = await readIndex(indexDir);
    expect(idx.docs).toHaveLength(2);
    expect(idx.manifest.find((m) => m.status === "duplicate")?.duplicateOf).toBe(
      join(corpus, "2014-08-27 邮路安保.txt"),
    );
  });

  it("leaves unchanged files alone and never re-embeds their chunks", async () => {
    await run();
    const e = new CountingEmbeddings({ dimensions: 64 });
    const r = await run(e);
    expect(r.added).toEqual([]);
    expect(r.updated).toEqual([]);
    expect(r.unchanged).toHaveLength(3);
    expect(r.written).toBe(true);
    expect(e.embedded).toBe(0);
  });

  it("re-embeds only the edited chunk of an updated file", async () => {
    await run();
    await writeFile(join(corpus, "regulations", "快递暂行条例.md"), REG.replace("20日内", "30日内"));
    const e = new CountingEmbeddings({ dimensions: 64 });
    const r = await run(e);
    expect(r.updated).toEqual([join(corpus, "regulations", "快递暂行条例.md")]);
    expect(e.embedded).toBe(1);
    const engine = await openSearchEngine({ indexDir, embeddings: e });
    const top = (await engine.search("末端网点备案", { k: 1 }))[0]!;
    expect(top.chunk.text).toContain("30日内");
  });

  it("drops the chunks of a deleted file", async () => {
    await run();
    await unlink(join(corpus, "regulations", "快递暂行条例.md"));
    const e = new CountingEmbeddings({ dimensions: 64 });
    const r = await run(e);
    expect(r.removed).toEqual([join(corpus, "regulations", "快递暂行条例.md")]);
    const idx = await readIndex(indexDir);
    expect(idx.chunks.some((c) => c.text.includes("末端网点"))).toBe(false);
    const engine = await openSearchEngine({ indexDir, embeddings: e });
    for (const mode of ["keyword", "vector", "hybrid"] as const)
      expect((await engine.search("快递末端网点", { mode })).every((h) => h.doc.kind !== "regulation")).toBe(true);
  });

  it("reports a bad file with its reason and indexes everything else", async () => {
    await writeFile(join(corpus, "broken.txt"), "BAD bytes");
    const r = await run();
    expect(r.failed).toEqual([
      { path: join(corpus, "broken.txt"), reason: expect.stringMatching(/not a readable document/) },
    ]);
    expect(r.added).toHaveLength(2);
    expect(r.written).toBe(true);
  });

  it("reports a missing corpus folder and writes nothing when there is nothing to index", async () => {
    const r = await run(undefined, { dirs: [join(root, "nope")] });
    expect(r.failed[0]!.reason).toMatch(/not a folder/);
    expect(r.written).toBe(false);
    await expect(readGeneration(indexDir)).rejects.toThrow(/No index/);
  });

  it("keeps files of roots not listed this time, as long as they exist", async () => {
    await run();
    const r = await run(undefined, { dirs: [other] });
    expect(r.removed).toEqual([]);
    expect((await readIndex(indexDir)).docs).toHaveLength(2);
    expect(logs.join("\n")).toMatch(/Keeping 2 file/);
  });

  it("re-embeds everything when the embedder changes, and on --rebuild", async () => {
    await run();
    const other64 = new CountingEmbeddings({ dimensions: 128 });
    await run(other64);
    expect(other64.embedded).toBe(4);
    expect(logs.join("\n")).toMatch(/re-embedding every chunk/);
    const again = new CountingEmbeddings({ dimensions: 128 });
    const r = await run(again, { rebuild: true });
    expect(r.added).toHaveLength(2);
    expect(again.embedded).toBe(4);
  });

  it("a live engine picks up the generation a later ingest writes", async () => {
    const e = new CountingEmbeddings({ dimensions: 64 });
    await run(e);
    const live = openLiveSearchEngine({ indexDir, embeddings: e });
    expect((await live.search("第二十二条 寄件人交寄快件", { k: 1 }))[0]!.chunk.text).toContain("如实提供");
    const before = await live.current();
    expect(await live.current()).toBe(before);
    await writeFile(join(corpus, "regulations", "快递暂行条例.md"), REG.replace("如实提供", "如实填写"));
    await run(e);
    expect((await live.search("第二十二条 寄件人交寄快件", { k: 1 }))[0]!.chunk.text).toContain("如实填写");
    expect(await live.current()).not.toBe(before);
  });

  it("keeps document ids unique when two roots hold different files with the same relative path", async () => {
    await writeFile(join(other, "2014-08-27 邮路安保.txt"), "另一份通报\n\n内容完全不同的一段话。\n");
    await mkdir(join(other, "regulations"), { recursive: true });
    await writeFile(
      join(other, "regulations", "快递暂行条例.md"),
      "# 快递暂行条例（修订稿）\n\n第一条 修订稿的第一条。\n",
    );
    const r = await run();
    expect(r.added).toHaveLength(4);
    const idx = await readIndex(indexDir);
    const ids = idx.docs.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("regulations/快递暂行条例~2");
    expect(
      idx.chunks
        .filter((c) => c.docId === "regulations/快递暂行条例~2")
        .every((c) => c.id.startsWith("regulations/快递暂行条例~2#")),
    ).toBe(true);
  });

  it("VECTOR_INDEX=hnsw forces an HNSW graph for the sparse hashing vectors, and switching back rebuilds the flat index", async () => {
    const withKind = (vectorIndex: "auto" | "hnsw" | "flat") =>
      ingestCorpus({
        corpusDirs: [corpus, other],
        indexDir,
        embeddings: new HashingEmbeddings(),
        source: fakeSource,
        vectorIndex,
        log: (l) => logs.push(l),
      });
    const files = async () => {
      const gen = await readGeneration(indexDir);
      expect(gen.meta.segments).toHaveLength(1);
      return readdir(segmentDir(indexDir, gen.meta.segments[0]!.name));
    };
    await withKind("auto");
    expect(await files()).toContain("flat");
    await withKind("hnsw");
    expect((await readGeneration(indexDir)).meta.vectorIndex).toBe("hnsw");
    expect(await files()).toContain("hnsw");
    expect(await files()).not.toContain("flat");
    const engine = await openSearchEngine({ indexDir, embeddings: new HashingEmbeddings() });
    const hits = await engine.search("快递末端网点备案", { mode: "vector", k: 2 });
    expect(hits[0]?.chunk.docId).toMatch(/快递暂行条例/);
    await withKind("auto"); // nothing changed in the corpus, but the form did
    expect((await readGeneration(indexDir)).meta.vectorIndex).toBeUndefined();
    expect(await files()).toContain("flat");
  });
});
