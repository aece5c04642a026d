import { describe, expect, it } from "vitest";
import { HashingEmbeddings } from "./embeddings/hashing-embeddings.js";
import { vectorIndexContract } from "./vector-index.common.case.js";
import { chooseVectorForm } from "./vector-index.js";

vectorIndexContract("flat");
vectorIndexContract("hnsw");

describe("chooseVectorForm", () => {
  it("picks the flat scan for sparse hashing vectors and HNSW for dense ones, unless forced", async () => {
    const vectors = await new HashingEmbeddings({ dimensions: 256 }).embedDocuments([
      "快递末端网点备案",
      "安全生产责任制",
    ]);
    expect(chooseVectorForm(vectors, 256)).toBe("flat");
    const dense = vectors.map((v) => v.map((x, j) => x + 0.01 * Math.sin(j + 1)));
    expect(chooseVectorForm(dense, 256)).toBe("hnsw");
    expect(chooseVectorForm(vectors, 256, "hnsw")).toBe("hnsw");
  });
});

describe("FlatVectorIndex compact (16-bit) columns", () => {
  it("finds the same neighbours as the exact Float32 scan, with scores within 1e-4 (hashing vectors of real text)", async () => {
    const { mkdtemp, rm, readFile, readdir } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { FlatVectorIndex } = await import("./vector-index.js");
    const emb = new HashingEmbeddings({ dimensions: 256 });
    const dir = new URL("../../../shared/corpus/regulations/", import.meta.url);
    const texts: string[] = [];
    for (const f of (await readdir(dir)).filter((n) => n.endsWith(".md")).slice(0, 6))
      texts.push(...(await readFile(new URL(f, dir), "utf8")).split(/\n\n+/).filter((t) => t.trim()));
    expect(texts.length).toBeGreaterThan(150);
    const vectors = await emb.embedDocuments(texts);
    const ids = texts.map((_, i) => `c${String(i).padStart(5, "0")}`);
    const tmp = await mkdtemp(join(tmpdir(), "flat-compact-"));
    try {
      await FlatVectorIndex.build(ids, vectors, 256).save(tmp);
      const exact = FlatVectorIndex.open(tmp, false);
      const compact = FlatVectorIndex.open(tmp, false);
      compact.useCompact();
      let same = 0;
      let total = 0;
      for (const q of ["快递末端网点备案", "安全生产责任制", "邮政企业收寄验视", "行政处罚的程序", "寄递渠道安全"]) {
        const v = await emb.embedQuery(q);
        const a = exact.search(v, 10);
        const b = compact.search(v, 10);
        const byPos = new Map(a.map((h) => [h.position, h.score]));
        for (const h of b) {
          total++;
          if (byPos.has(h.position)) {
            same++;
            expect(Math.abs(h.score - byPos.get(h.position)!)).toBeLessThan(1e-4);
          }
        }
      }
      expect(same / total).toBeGreaterThanOrEqual(0.96);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
