/**
 * The two forms of the vector index (src/index/vector-index.ts), introduced for the ingest budget
 * measured by `npm run bench`: the exact flat scan (sparse hashing vectors) must rank exactly like a
 * brute-force cosine, agree with the HNSW graph, filter before the cut and survive save/load.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { VectorIndex } from "../src/index/vector-index.js";

const embeddings = new HashingEmbeddings({ dimensions: 256 });
const texts = [
  "经营快递业务的企业可以开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。",
  "生产经营单位应当建立健全全员安全生产责任制和安全生产规章制度。",
  "邮政企业应当对信件、包裹、印刷品实行收寄验视制度。",
  "快递企业应当建立快递运单及电子数据管理制度，妥善保管用户信息等电子数据。",
  "智能快件箱的使用企业应当定期对智能快件箱进行维护。",
  "邮政管理部门依法履行监督管理职责，可以采取现场检查措施。",
  "寄递企业应当执行收寄验视制度，对禁止寄递的物品不得收寄。",
  "快递业务经营许可的申请、审批和撤销，依照本条例办理。",
];
const queries = ["快递末端网点备案", "收寄验视", "用户信息电子数据", "安全生产责任制", "监督检查"];

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
};

describe("vector index: flat scan and HNSW", () => {
  let vectors: number[][];
  const ids = texts.map((_, i) => `c${i}`);
  let dir: string;
  beforeAll(async () => {
    vectors = await embeddings.embedDocuments(texts);
    dir = await mkdtemp(join(tmpdir(), "vector-index-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("picks the flat scan for sparse hashing vectors and HNSW for dense ones", async () => {
    expect((await VectorIndex.build(embeddings, ids, vectors, 256)).kind).toBe("flat");
    const dense = vectors.map((v) => v.map((x, j) => x + 0.01 * Math.sin(j + 1)));
    expect((await VectorIndex.build(embeddings, ids, dense, 256)).kind).toBe("hnsw");
    expect((await VectorIndex.build(embeddings, [], [], 256)).kind).toBe("empty");
  });

  it("ranks exactly like brute-force cosine and agrees with HNSW", async () => {
    const flat = await VectorIndex.build(embeddings, ids, vectors, 256, "flat");
    const hnsw = await VectorIndex.build(embeddings, ids, vectors, 256, "hnsw");
    for (const q of queries) {
      const qv = await embeddings.embedQuery(q);
      const exact = ids.map((id, i) => ({ id, score: cosine(qv, vectors[i]!) })).sort((a, b) => b.score - a.score);
      const got = flat.search(qv, 3);
      expect(got.map((h) => h.id)).toEqual(exact.slice(0, 3).map((h) => h.id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(exact[i]!.score, 5));
      expect(hnsw.search(qv, 1)[0]!.id).toBe(got[0]!.id);
    }
  });

  it("applies the filter before the cut to k", async () => {
    const flat = await VectorIndex.build(embeddings, ids, vectors, 256, "flat");
    const qv = await embeddings.embedQuery("快递末端网点备案");
    expect(flat.search(qv, 1)[0]!.id).toBe("c0");
    const hits = flat.search(qv, 2, (id) => id !== "c0");
    expect(hits).toHaveLength(2);
    expect(hits.map((h) => h.id)).not.toContain("c0");
    expect(flat.search(qv, 0)).toEqual([]);
    expect(flat.search(qv, 100)).toHaveLength(ids.length);
  });

  it("saves and loads the flat form with identical results", async () => {
    const flat = await VectorIndex.build(embeddings, ids, vectors, 256, "flat");
    await flat.save(dir);
    const loaded = await VectorIndex.load(dir, embeddings, 256);
    expect(loaded.kind).toBe("flat");
    expect(loaded.size).toBe(ids.length);
    for (const q of queries) {
      const qv = await embeddings.embedQuery(q);
      expect(loaded.search(qv, 5)).toEqual(flat.search(qv, 5));
    }
  });

  it("refuses a query of another size", async () => {
    const flat = await VectorIndex.build(embeddings, ids, vectors, 256, "flat");
    expect(() => flat.search([1, 0, 0], 1)).toThrow(/dimensions/);
  });
});
