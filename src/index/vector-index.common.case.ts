/**
 * The contract every VectorIndex form keeps (as hono's *.common.case.ts tests run one suite over
 * every runtime): exact neighbours on a small set, filtering before the cut to k, deletions,
 * stored vectors, save/open round trip, dimension check. Run by vector-index.test.ts for the flat
 * scan and the HNSW graph.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cosine } from "./embeddings/embeddings-contract.js";
import { HashingEmbeddings } from "./embeddings/hashing-embeddings.js";
import { buildVectorIndex, openVectorIndex, type VectorIndex } from "./vector-index.js";

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

export function vectorIndexContract(form: "flat" | "hnsw"): void {
  describe(`VectorIndex contract: ${form}`, () => {
    let vectors: number[][];
    const ids = texts.map((_, i) => `c${i}`);
    let dir: string;
    let index: VectorIndex;
    const exact = (qv: number[]) =>
      ids.map((_, i) => ({ position: i, score: cosine(qv, vectors[i]!) })).sort((a, b) => b.score - a.score);
    beforeAll(async () => {
      vectors = await embeddings.embedDocuments(texts);
      dir = await mkdtemp(join(tmpdir(), `vector-index-${form}-`));
      index = await buildVectorIndex(form, embeddings, ids, vectors, 256);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("is the form asked for, with every vector", () => {
      expect(index.kind).toBe(form);
      expect(index.size).toBe(ids.length);
      expect(index.dimensions).toBe(256);
    });

    it("ranks like brute-force cosine, similarities (higher is better)", async () => {
      for (const q of queries) {
        const qv = await embeddings.embedQuery(q);
        const want = exact(qv);
        const got = index.search(qv, 3);
        expect(got.map((h) => h.position)).toEqual(want.slice(0, 3).map((h) => h.position));
        got.forEach((h, i) => {
          expect(h.score).toBeCloseTo(want[i]!.score, 5);
        });
      }
    });

    it("applies `accept` before the cut to k", async () => {
      const qv = await embeddings.embedQuery("快递末端网点备案");
      expect(index.search(qv, 1)[0]!.position).toBe(0);
      const hits = index.search(qv, 2, (p) => p !== 0);
      expect(hits).toHaveLength(2);
      expect(hits.map((h) => h.position)).not.toContain(0);
      expect(index.search(qv, 0)).toEqual([]);
      expect(index.search(qv, 100)).toHaveLength(ids.length);
    });

    it("returns the stored vectors (unit length, same direction)", () => {
      const got = index.vectorsAt([2, 5]);
      expect(got).toHaveLength(2);
      expect(cosine(got[0]!, vectors[2]!)).toBeCloseTo(1, 5);
      expect(cosine(got[1]!, vectors[5]!)).toBeCloseTo(1, 5);
      expect(cosine(got[0]!, got[0]!)).toBeCloseTo(1, 5);
    });

    it("saves into its own folder and opens with identical results; deleted positions never come back", async () => {
      await index.save(dir);
      expect(await readdir(dir)).toEqual([form]);
      const opened = (await openVectorIndex(dir, embeddings, 256, { prefetch: false }))!;
      expect(opened.kind).toBe(form);
      expect(opened.size).toBe(ids.length);
      for (const q of queries) {
        const qv = await embeddings.embedQuery(q);
        expect(opened.search(qv, 5).map((h) => h.position)).toEqual(index.search(qv, 5).map((h) => h.position));
      }
      const qv = await embeddings.embedQuery("快递末端网点备案");
      opened.markDeleted(0);
      expect(opened.search(qv, 3).map((h) => h.position)).not.toContain(0);
      expect(opened.search(qv, 100)).toHaveLength(ids.length - 1);
    });

    it("refuses a query of another size", () => {
      expect(() => index.search([1, 0, 0], 1)).toThrow(/dimensions/);
    });
  });
}
