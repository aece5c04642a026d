/**
 * The binary form of the keyword index (bm25.meta.json + bm25.bin), introduced for the cold-start
 * budget measured by `npm run bench`: same scores as the JSON form, and indexes written before it
 * (bm25.json) are still read.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Bm25Index } from "../src/index/bm25-index.js";
import { readBm25 } from "../src/index/index-store.js";
import { indexTerms } from "../src/index/tokenize.js";

const docs: Record<string, string> = {
  a: "经营快递业务的企业可以开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。",
  b: "生产经营单位应当建立健全全员安全生产责任制和安全生产规章制度。",
  c: "邮政企业应当对信件、包裹、印刷品实行收寄验视制度。",
  d: "快递企业应当建立快递运单及电子数据管理制度。",
  e: "快递快递快递：重复的词语也要计数。",
};
const queries = ["快递末端网点备案", "安全生产", "管理制度", "收寄验视", "快递"];

function build(): Bm25Index {
  const idx = new Bm25Index({ k1: 1.5, b: 0.6 });
  for (const [id, text] of Object.entries(docs)) idx.add(id, indexTerms(text));
  idx.remove("c");
  idx.add("c", indexTerms(docs.c!));
  return idx;
}

describe("BM25 binary form", () => {
  it("round-trips with identical results, parameters and JSON", () => {
    const idx = build();
    const { meta, data } = idx.toBinary();
    const copy = Bm25Index.fromBinary(JSON.parse(JSON.stringify(meta)), Buffer.from(data));
    expect(copy.k1).toBe(1.5);
    expect(copy.b).toBe(0.6);
    expect(copy.size).toBe(idx.size);
    for (const q of queries) expect(copy.search(indexTerms(q))).toEqual(idx.search(indexTerms(q)));
    expect(copy.toJSON()).toEqual(idx.toJSON());
    // still editable after a binary load
    copy.remove("a");
    expect(copy.has("a")).toBe(false);
    expect(copy.search(indexTerms("快递末端网点")).map((h) => h.id)).not.toContain("a");
  });

  it("reads an unaligned buffer and rejects a truncated one", () => {
    const { meta, data } = build().toBinary();
    const shifted = Buffer.alloc(data.length + 3);
    data.copy(shifted, 3);
    const copy = Bm25Index.fromBinary(meta, shifted.subarray(3));
    expect(copy.search(indexTerms("快递"))).toEqual(build().search(indexTerms("快递")));
    expect(() => Bm25Index.fromBinary(meta, data.subarray(0, data.length - 2))).toThrow(/bytes/);
  });

  it("readBm25 reads the binary files and an older bm25.json", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bm25-bin-"));
    try {
      const idx = build();
      await writeFile(join(dir, "bm25.json"), JSON.stringify(idx.toJSON()));
      expect((await readBm25(dir)).search(indexTerms("快递"))).toEqual(idx.search(indexTerms("快递")));
      const { meta, data } = idx.toBinary();
      await writeFile(join(dir, "bm25.meta.json"), JSON.stringify(meta));
      await writeFile(join(dir, "bm25.bin"), data.subarray(0, 10));
      await expect(readBm25(dir)).rejects.toThrow(/npm run ingest -- --rebuild/);
      await writeFile(join(dir, "bm25.bin"), data);
      expect((await readBm25(dir)).search(indexTerms("安全生产"))).toEqual(idx.search(indexTerms("安全生产")));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
