import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexNotFoundError, IndexUnreadableError } from "../src/errors.js";
import { Bm25Index } from "../src/index/bm25-index.js";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import {
  commitGeneration,
  currentGenerationDir,
  FORMAT_VERSION,
  readGeneration,
  withIndexLock,
  type NewGeneration,
} from "../src/index/index-store.js";
import { SEGMENTS_DIR, writeSegment } from "../src/index/segment.js";
import { buildVectorIndex } from "../src/index/vector-index.js";
import type { Chunk, DocumentMeta } from "../src/ingest/types.js";
import { loadIndex } from "../src/retrieval/loaded-index.js";

const embeddings = new HashingEmbeddings({ dimensions: 64 });

/** Writes one segment holding `texts` and returns a generation listing it. */
async function generation(dir: string, texts: string[]): Promise<NewGeneration> {
  const doc: DocumentMeta = { id: "d", title: "测试", date: "2020-01-01", kind: "notice", path: "d.txt" };
  const chunks: Chunk[] = texts.map((text, i) => ({
    id: `d#${i}`,
    docId: "d",
    ordinal: i,
    section: null,
    chapter: null,
    lead: null,
    text,
    original: text,
  }));
  const bm25 = new Bm25Index();
  const vecs = await embeddings.embedDocuments(texts);
  chunks.forEach((c) => {
    bm25.add(c.id, [c.text]);
  });
  const seg = await writeSegment(dir, {
    docs: [doc],
    chunks,
    keys: texts.map((_, i) => `k${i}`),
    bm25,
    vectors: await buildVectorIndex(
      "flat",
      embeddings,
      chunks.map((c) => c.id),
      vecs,
      64,
    ),
    dimensions: 64,
  });
  return {
    meta: {
      formatVersion: FORMAT_VERSION,
      embedder: { id: embeddings.id, dimensions: 64 },
      tokenizer: "t",
      createdAt: "2020-01-01T00:00:00Z",
      docs: 1,
      chunks: chunks.length,
      segments: [{ name: seg.name, chunks: chunks.length, deleted: 0 }],
    },
    manifest: [
      {
        path: "d.txt",
        root: ".",
        sha256: "x",
        docId: "d",
        segment: seg.name,
        first: 0,
        chunks: chunks.length,
        status: "indexed",
      },
    ],
    tombstones: new Map(),
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
    await expect(readGeneration(dir)).rejects.toBeInstanceOf(IndexNotFoundError);
    await expect(readGeneration(join(dir, "missing"))).rejects.toThrow(/npm run ingest/);
    expect(await currentGenerationDir(dir)).toBeNull();
  });

  it("commits a generation over a segment and reads it back, vectors included", async () => {
    await commitGeneration(dir, await generation(dir, ["快递末端网点", "安全生产"]));
    const idx = await loadIndex(dir, embeddings);
    expect(idx.chunks.map((c) => c.text)).toEqual(["快递末端网点", "安全生产"]);
    expect((await readGeneration(dir)).manifest[0]!.segment).toBe(idx.meta.segments[0]!.name);
    const hits = idx.vectors.search(await embeddings.embedQuery("快递末端网点"), 2);
    expect(hits[0]!.id).toBe("d#0");
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  for (const step of ["generation", "renamed"]) {
    it(`leaves the previous index readable when the commit fails at "${step}", and the next commit removes the leftovers`, async () => {
      await commitGeneration(dir, await generation(dir, ["旧内容"]));
      await expect(
        commitGeneration(dir, await generation(dir, ["新内容"]), {
          step: (s) => {
            if (s === step) throw new Error("simulated crash");
          },
        }),
      ).rejects.toThrow("simulated crash");
      expect((await loadIndex(dir, embeddings)).chunks.map((c) => c.text)).toEqual(["旧内容"]);
      expect((await readdir(dir)).some((e) => e.startsWith(".tmp-"))).toBe(false);
      await commitGeneration(dir, await generation(dir, ["第三版"]));
      // the segment of the failed commit is listed by no generation: removed
      expect(await readdir(join(dir, SEGMENTS_DIR))).toHaveLength(2);
    });
  }

  it("switches to the new generation and keeps at most one previous one (and its segments)", async () => {
    for (const t of ["一", "二", "三", "四"]) await commitGeneration(dir, await generation(dir, [`第${t}版`]));
    expect((await loadIndex(dir, embeddings)).chunks[0]!.text).toBe("第四版");
    expect((await readdir(dir)).filter((e) => e.startsWith("gen-")).length).toBe(2);
    expect(await readdir(join(dir, SEGMENTS_DIR))).toHaveLength(2);
  });

  it("reports an unreadable index as IndexUnreadableError naming the file, with the rebuild command", async () => {
    await commitGeneration(dir, await generation(dir, ["内容"]));
    const gen = (await currentGenerationDir(dir))!;
    await writeFile(join(gen, "manifest.json"), "{not json");
    const err = await readGeneration(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexUnreadableError);
    expect((err as IndexUnreadableError).file).toBe(join(gen, "manifest.json"));
    expect((err as Error).message).toMatch(/--rebuild/);
  });

  it("an index of another format version is unreadable (rebuilt by ingest), never misread", async () => {
    const g = await generation(dir, ["内容"]);
    await commitGeneration(dir, { ...g, meta: { ...g.meta, formatVersion: 1 } });
    await expect(readGeneration(dir)).rejects.toThrow(/index format 1/);
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
