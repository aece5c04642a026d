import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexNotFoundError } from "../src/errors.js";
import { Bm25Index } from "../src/index/bm25-index.js";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { currentGenerationDir, readIndex, readVectorCache, withIndexLock, writeIndex, type IndexGeneration } from "../src/index/index-store.js";
import { VectorCache } from "../src/index/vector-cache.js";
import { VectorIndex } from "../src/index/vector-index.js";
import type { Chunk, DocumentMeta } from "../src/ingest/types.js";

const embeddings = new HashingEmbeddings({ dimensions: 64 });

async function generation(texts: string[]): Promise<IndexGeneration> {
  const doc: DocumentMeta = { id: "d", title: "测试", date: "2020-01-01", kind: "notice", path: "d.txt" };
  const chunks: Chunk[] = texts.map((text, i) => ({ id: `d#${i}`, docId: "d", ordinal: i, section: null, chapter: null, lead: null, text, original: text }));
  const bm25 = new Bm25Index();
  const vectors = new VectorCache();
  const vecs = await embeddings.embedDocuments(texts);
  chunks.forEach((c, i) => {
    bm25.add(c.id, [c.text]);
    vectors.set(`k${i}`, vecs[i]!);
  });
  return {
    meta: { formatVersion: 1, embedder: { id: embeddings.id, dimensions: 64 }, tokenizer: "t", createdAt: "2020-01-01T00:00:00Z", docs: 1, chunks: chunks.length },
    manifest: [{ path: "d.txt", root: ".", sha256: "x", docId: "d", chunkIds: chunks.map((c) => c.id), status: "indexed" }],
    docs: [doc],
    chunks,
    bm25: bm25.toJSON(),
    vectors,
    hnsw: await VectorIndex.build(embeddings, chunks.map((c) => c.id), vecs, 64),
  };
}

describe("index store", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "index-store-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("throws IndexNotFoundError (with what to run) when there is no index", async () => {
    await expect(readIndex(dir)).rejects.toBeInstanceOf(IndexNotFoundError);
    await expect(readIndex(join(dir, "missing"))).rejects.toThrow(/npm run ingest/);
    expect(await currentGenerationDir(dir)).toBeNull();
  });

  it("writes a generation and reads it back, vectors and graph included", async () => {
    await writeIndex(dir, await generation(["快递末端网点", "安全生产"]));
    const idx = await readIndex(dir);
    expect(idx.chunks.map((c) => c.text)).toEqual(["快递末端网点", "安全生产"]);
    expect(idx.manifest[0]!.chunkIds).toEqual(["d#0", "d#1"]);
    const cache = await readVectorCache(idx.dir);
    expect(cache.vectors.size).toBe(2);
    const graph = await VectorIndex.load(join(idx.dir, "hnsw"), embeddings, 64);
    const hits = graph.search(await embeddings.embedQuery("快递末端网点"), 2);
    expect(hits[0]!.id).toBe("d#0");
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  for (const step of ["files", "hnsw", "renamed"]) {
    it(`leaves the previous index readable when the write fails at "${step}"`, async () => {
      await writeIndex(dir, await generation(["旧内容"]));
      await expect(
        writeIndex(dir, await generation(["新内容"]), {
          step: (s) => {
            if (s === step) throw new Error("simulated crash");
          },
        }),
      ).rejects.toThrow("simulated crash");
      const idx = await readIndex(dir);
      expect(idx.chunks.map((c) => c.text)).toEqual(["旧内容"]);
      expect((await readdir(dir)).some((e) => e.startsWith(".tmp-"))).toBe(false);
    });
  }

  it("switches to the new generation and keeps at most one previous one", async () => {
    for (const t of ["一", "二", "三", "四"]) await writeIndex(dir, await generation([`第${t}版`]));
    expect((await readIndex(dir)).chunks[0]!.text).toBe("第四版");
    expect((await readdir(dir)).filter((e) => e.startsWith("gen-")).length).toBe(2);
  });

  it("reports an unreadable index as such, with the rebuild command", async () => {
    await writeIndex(dir, await generation(["内容"]));
    const gen = (await currentGenerationDir(dir))!;
    await writeFile(join(gen, "chunks.jsonl"), "{not json");
    await expect(readIndex(dir)).rejects.toThrow(/--rebuild/);
  });

  it("serialises writers with a lock, and tells a waiting writer what to do", async () => {
    const order: string[] = [];
    let release!: () => void;
    const first = withIndexLock(dir, async () => {
      order.push("first start");
      await new Promise<void>((r) => (release = r));
      order.push("first end");
    });
    await new Promise((r) => setTimeout(r, 50));
    await expect(withIndexLock(dir, async () => "never", { waitMs: 100 })).rejects.toThrow(/Another ingest/);
    const second = withIndexLock(dir, async () => void order.push("second"));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first start", "first end", "second"]);
    expect(await withIndexLock(dir, async () => 42)).toBe(42);
  });
});
