/**
 * The binary form of the keyword index (bm25.meta.json + bm25.bin), introduced for the cold-start
 * budget measured by `npm run bench`: same scores as the JSON form; merged segments and segments
 * searched with global statistics score like one index.
 */
import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25-index.js";
import { indexTerms } from "./tokenize.js";

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

  it("merge keeps the live documents' postings (nothing re-tokenised) and scores like one index built from them", () => {
    const [x, y] = [new Bm25Index(), new Bm25Index()];
    const ids = Object.keys(docs);
    ids.slice(0, 3).forEach((id) => {
      x.add(id, indexTerms(docs[id]!));
    });
    ids.slice(3).forEach((id) => {
      y.add(id, indexTerms(docs[id]!));
    });
    const deleted = new Uint8Array(1);
    deleted[0] = 0b010; // "b" (position 1 of x)
    const merged = Bm25Index.merge([
      { index: x, deleted },
      { index: y, deleted: null },
    ]);
    const whole = new Bm25Index();
    ids
      .filter((id) => id !== "b")
      .forEach((id) => {
        whole.add(id, indexTerms(docs[id]!));
      });
    expect(merged.ids()).toEqual(whole.ids());
    for (const q of queries) expect(merged.search(indexTerms(q))).toEqual(whole.search(indexTerms(q)));
    // and searching the two parts with global statistics gives the same scores
    const stats = {
      n: 4,
      avgdl: (x.liveTotals(deleted).totalLength + y.liveTotals(null).totalLength) / 4,
      df: (t: string) => x.liveDf(t, deleted) + y.liveDf(t, null),
    };
    for (const q of queries) {
      const parts = [...x.searchWith(indexTerms(q), stats, { deleted }), ...y.searchWith(indexTerms(q), stats)].sort(
        (a, b) => b.score - a.score || (a.id < b.id ? -1 : 1),
      );
      expect(parts.map((h) => h.id)).toEqual(whole.search(indexTerms(q)).map((h) => h.id));
      parts.forEach((h, i) => {
        expect(h.score).toBeCloseTo(whole.search(indexTerms(q))[i]!.score, 10);
      });
    }
  });
});
