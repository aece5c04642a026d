import { describe, expect, it } from "vitest";
import { CorpusStats, coverage, queryTerms } from "./query-terms.js";

const termsOf = (q: string, stats?: CorpusStats) => queryTerms(q, stats).map((t) => t.term);

describe("queryTerms", () => {
  it("keeps content words and drops question words, particles and the asked-for quantity", () => {
    const t = termsOf("快递企业停业要提前多久公告？");
    expect(t).toEqual(expect.arrayContaining(["快递企业", "停业", "提前", "公告"]));
    for (const w of ["多久", "要", "？"]) expect(t).not.toContain(w);
  });

  it("normalises traditional characters like the documents", () => {
    expect(termsOf("郵政企業對平常郵件的損失要賠償嗎？")).toEqual(expect.arrayContaining(["邮政企业", "赔偿"]));
  });

  it("does not glue the unit of an asked quantity to the next word (天内能 → 内能)", () => {
    expect(termsOf("用户申诉后，多少天内能得到答复？")).not.toContain("内能");
  });

  it("weighs terms by corpus IDF when statistics are given: rare beats common", () => {
    const stats = new CorpusStats([
      "快递企业应当公告",
      "快递企业应当登记",
      "快递企业停止经营的，应当提前10日向社会公告",
    ]);
    const t = queryTerms("快递企业停业要提前多久公告？", stats);
    const w = Object.fromEntries(t.map((x) => [x.term, x.weight]));
    expect(w["停业"]!).toBeGreaterThan(w["快递企业"]!);
    expect(w["提前"]!).toBeGreaterThan(w["快递企业"]!);
  });
});

describe("coverage", () => {
  const terms = queryTerms("快递企业停业要提前多久公告？");

  it("counts the thesaurus' wordings as the term (停业 ≈ 停止经营, 快递企业 ≈ 经营快递业务的企业)", () => {
    expect(coverage(terms, "经营快递业务的企业停止经营的，应当提前10日向社会公告")).toBeCloseTo(1, 5);
  });

  it("is lower for text that lacks the specific terms", () => {
    const full = coverage(terms, "经营快递业务的企业停止经营的，应当提前10日向社会公告");
    const part = coverage(terms, "快递企业应当将服务承诺提前向社会公告");
    expect(part).toBeLessThan(full);
    expect(part).toBeGreaterThan(0);
    expect(coverage(terms, "明天北京天气晴")).toBe(0);
  });

  it("gives partial credit for terms found only in the context (title)", () => {
    const t = queryTerms("上海快递企业分支机构备案");
    const without = coverage(t, "快递企业设立分支机构，应当备案。");
    const withTitle = coverage(t, "快递企业设立分支机构，应当备案。", { text: "上海市实施办法", factor: 0.5 });
    expect(withTitle).toBeGreaterThan(without);
    expect(withTitle).toBeLessThan(1);
  });
});
