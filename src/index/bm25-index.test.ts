import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25-index.js";
import { indexTerms } from "./tokenize.js";

const docs: Record<string, string> = {
  a: "经营快递业务的企业可以开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。",
  b: "生产经营单位应当建立健全全员安全生产责任制和安全生产规章制度。",
  c: "邮政企业应当对信件、包裹、印刷品实行收寄验视制度。",
  d: "快递企业应当建立快递运单及电子数据管理制度。",
};

function build() {
  const idx = new Bm25Index();
  for (const [id, text] of Object.entries(docs)) idx.add(id, indexTerms(text));
  return idx;
}

describe("Bm25Index", () => {
  it("ranks the document with the query terms first", () => {
    const hits = build().search(indexTerms("快递末端网点备案"));
    expect(hits[0]!.id).toBe("a");
    expect(build().search(indexTerms("安全生产责任制"))[0]!.id).toBe("b");
  });

  it("gives finite positive scores, including for Chinese-only and unknown terms", () => {
    const idx = build();
    for (const q of ["快递", "收寄验视", "不存在的词语", "", "a"]) {
      for (const h of idx.search(indexTerms(q))) {
        expect(Number.isFinite(h.score)).toBe(true);
        expect(h.score).toBeGreaterThan(0);
      }
    }
    expect(idx.search(indexTerms("不存在"))).toEqual([]);
    expect(new Bm25Index().search(["x"])).toEqual([]);
  });

  it("applies the filter before the limit", () => {
    const hits = build().search(indexTerms("快递企业"), { limit: 1, filter: (id) => id !== "a" && id !== "d" });
    expect(hits.map((h) => h.id)).not.toContain("a");
    expect(hits).toHaveLength(1);
  });

  it("removes and replaces documents", () => {
    const idx = build();
    expect(idx.remove("a")).toBe(true);
    expect(idx.remove("a")).toBe(false);
    expect(idx.search(indexTerms("快递末端网点")).map((h) => h.id)).not.toContain("a");
    idx.add("b", indexTerms("快递末端网点"));
    expect(idx.size).toBe(3);
    expect(idx.search(indexTerms("快递末端网点"))[0]!.id).toBe("b");
  });

  it("round-trips through JSON with identical scores", () => {
    const idx = build();
    idx.remove("c");
    const copy = Bm25Index.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())));
    for (const q of ["快递末端网点备案", "安全生产", "管理制度"])
      expect(copy.search(indexTerms(q))).toEqual(idx.search(indexTerms(q)));
    copy.remove("a");
    expect(copy.size).toBe(2);
  });
});
