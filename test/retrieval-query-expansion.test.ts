import { describe, expect, it } from "vitest";
import { BIGRAM_PREFIX } from "../src/index/tokenize.js";
import { keywordQuery } from "../src/retrieval/keyword-retriever.js";
import { expandQuery } from "../src/retrieval/query-expansion.js";

describe("query expansion", () => {
  it("adds the statutory form of what a question word asks for", () => {
    expect(expandQuery("快递公司停业要提前几天公告").terms).toEqual(expect.arrayContaining(["日内", "停止"]));
    expect(expandQuery("私拆邮件罚多少").terms).toEqual(expect.arrayContaining(["罚款", "私自开拆"]));
  });

  it("maps colloquial words to the regulations' wording, never repeating the query's own words", () => {
    expect(expandQuery("快递小哥能不能把快件放进快递柜").terms).toEqual(expect.arrayContaining(["快递从业人员", "智能快件箱"]));
    expect(expandQuery("罚款").terms).not.toContain("罚款");
    expect(expandQuery("第十八条 末端网点").terms).toEqual([]);
  });

  it("weights expansion terms below the user's words, and can be switched off", () => {
    const q = keywordQuery("邮筒", { expansionWeight: 0.5, bigramWeight: 0.5 });
    expect(q.get("邮筒")).toBe(1);
    expect(q.get(`${BIGRAM_PREFIX}邮筒`)).toBe(0.5);
    expect(q.get("信筒")).toBe(0.5);
    expect(keywordQuery("邮筒", { expansionWeight: 0 }).has("信筒")).toBe(false);
  });
});
