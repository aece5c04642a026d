import { describe, expect, it } from "vitest";
import { rewriteQuestion, topicOf } from "./rewrite-question.js";
import type { Citation } from "./types.js";

const cite = (over: Partial<Citation> = {}): Citation => ({
  n: 1,
  docId: "regulations/快递暂行条例",
  title: "快递暂行条例",
  date: "2018-03-02",
  section: "第二十九条",
  path: "x.md",
  quote: "…",
  chunkId: "regulations/快递暂行条例#29",
  ...over,
});

describe("rewriteQuestion (rule-based)", () => {
  it("leaves a question without history alone", () => {
    expect(rewriteQuestion("快递企业停业要提前多久公告？")).toEqual({
      query: "快递企业停业要提前多久公告？",
      excludeChunks: [],
      rule: "none",
    });
  });

  it("leaves a standalone question alone even with history", () => {
    const r = rewriteQuestion("邮政汇款的收款人应当在多少天内去兑领？", [{ question: "快递企业停业要提前多久公告？" }]);
    expect(r.rule).toBe("none");
  });

  it("ordinal ellipsis: 那第二条呢？ → previous topic + 第二条", () => {
    expect(rewriteQuestion("那第二条呢？", [{ question: "快递暂行条例第一条是什么？" }]).query).toBe(
      "快递暂行条例第二条",
    );
    expect(rewriteQuestion("第三十条呢", [{ question: "邮政法第二十九条规定了什么？" }]).query).toBe("邮政法第三十条");
  });

  it("uses the previous standalone question, not the raw follow-up", () => {
    const history = [{ question: "那第二条呢？", standaloneQuestion: "快递暂行条例第二条" }];
    expect(rewriteQuestion("第三条呢？", history).query).toBe("快递暂行条例第三条");
  });

  it("还有别的要求吗？ → previous question, excluding the chunks already cited", () => {
    const history = [
      {
        question: "快递企业停业要提前多久公告？",
        citations: [cite(), cite({ n: 2, chunkId: "regulations/河南省邮政条例#44" })],
      },
    ];
    const r = rewriteQuestion("还有别的要求吗？", history);
    expect(r.rule).toBe("more");
    expect(r.query).toBe("快递企业停业要提前多久公告？");
    expect(r.excludeChunks).toEqual(["regulations/快递暂行条例#29", "regulations/河南省邮政条例#44"]);
    expect(rewriteQuestion("还有呢？", history).rule).toBe("more");
    expect(rewriteQuestion("其他的呢？", history).rule).toBe("more");
  });

  it("pronouns refer to the previous answer's first citation", () => {
    const r = rewriteQuestion("违反该条怎么罚？", [{ question: "快递企业停业要提前多久公告？", citations: [cite()] }]);
    expect(r).toMatchObject({ rule: "pronoun", query: "违反快递暂行条例第二十九条怎么罚？" });
  });

  it("pronouns fall back to the previous topic without citations", () => {
    const r = rewriteQuestion("它适用于哪些企业？", [{ question: "快递暂行条例是什么时候施行的？" }]);
    expect(r.query.startsWith("快递暂行条例")).toBe(true);
  });

  it("other short 呢-questions: previous topic + the new words", () => {
    const r = rewriteQuestion("那河南呢？", [{ question: "快递企业停业要提前多久公告？" }]);
    expect(r.rule).toBe("ellipsis");
    expect(r.query).toContain("河南");
    expect(r.query).toContain("快递企业停业");
  });
});

describe("topicOf", () => {
  it("drops question words and the article number", () => {
    expect(topicOf({ question: "快递暂行条例第一条是什么？" })).toBe("快递暂行条例");
    expect(topicOf({ question: "快递企业停业要提前多久公告？" })).toBe("快递企业停业要提前公告");
  });
});
