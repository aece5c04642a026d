import { describe, expect, it } from "vitest";
import { BIGRAM_PREFIX, cjkNgrams, indexTerms, tokenize, words, WORDS_MEMO } from "./tokenize.js";
import { POSTAL_TERMS } from "./postal-dict.js";

describe("tokenize", () => {
  it("keeps postal dictionary terms whole", () => {
    const w = words("经营快递业务的企业开办快递末端网点，应当实名收寄并过机安检，确保寄递渠道安全");
    for (const term of ["快递末端网点", "实名收寄", "过机安检", "寄递渠道", "经营快递业务"]) expect(w).toContain(term);
  });

  it("has at least 40 postal terms, none duplicated", () => {
    expect(POSTAL_TERMS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(POSTAL_TERMS).size).toBe(POSTAL_TERMS.length);
  });

  it("adds character bigrams of CJK runs, not across punctuation", () => {
    const { bigrams } = tokenize("末端网点，备案");
    expect(bigrams).toEqual(["末端", "端网", "网点", "备案"]);
    expect(cjkNgrams("邮政法", 3)).toEqual(["邮政法"]);
  });

  it("drops punctuation and stopwords, folds width and case", () => {
    const w = words("快递的ＡＢＣ，“邮政”！");
    expect(w).toContain("abc");
    expect(w).not.toContain("的");
    expect(w.some((t) => /[，“”！]/.test(t))).toBe(false);
  });

  it("prefixes bigram index terms so they never collide with words", () => {
    const terms = indexTerms("快递服务");
    expect(terms).toContain("快递服务");
    expect(terms).toContain(`${BIGRAM_PREFIX}快递`);
  });

  it("segments a text once while it is among the last WORDS_MEMO texts, with the same words as a fresh segmentation", () => {
    const text = "快递企业应当建立快递运单及电子数据管理制度，妥善保管用户信息等电子数据。";
    const first = words(text);
    expect(words(text)).toBe(first); // the embedder's pass and the index-terms pass share one jieba run
    const copy = [...first];
    for (let i = 0; i <= WORDS_MEMO; i++) words(`第${i}条 快递`); // evicts `text`
    const again = words(text);
    expect(again).not.toBe(first);
    expect(again).toEqual(copy);
  });
});
