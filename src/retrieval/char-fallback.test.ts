import { describe, expect, it } from "vitest";
import { BIGRAM_PREFIX, cjkNgrams } from "../index/tokenize.js";
import { applyCharFallback, unknownWords } from "./char-fallback.js";

/** A corpus view over plain texts: bigram postings and chunk texts, as the loaded index gives them. */
function corpus(texts: Record<string, string>) {
  const ids = Object.keys(texts);
  const bigrams = new Map<string, number[]>();
  ids.forEach((id, i) => {
    for (const b of new Set(cjkNgrams(texts[id]!, 2)))
      bigrams.set(BIGRAM_PREFIX + b, [...(bigrams.get(BIGRAM_PREFIX + b) ?? []), i]);
  });
  const chunks = ids.map((id) => ({ id, text: texts[id]! }));
  return {
    bm25: { postings: (term: string) => Int32Array.from(bigrams.get(term) ?? []) },
    chunks,
    chunkById: new Map(chunks.map((c) => [c.id, c])),
  } as unknown as Parameters<typeof applyCharFallback>[2];
}

const TEXTS = {
  lend: "出卖、出借、出租、伪造或者涂改经营资格批准文件的，由邮政管理部门责令改正。",
  fine: "快递企业未按照规定备案的，由邮政管理部门责令改正，可以处一万元以下的罚款。",
  other1: "邮政企业应当加强服务质量管理，完善安全保障措施。",
  other2: "快递企业应当建立健全安全保障制度，确保快件安全。",
  other3: "邮政管理部门依法履行监督管理职责。",
  other4: "国家鼓励快递企业采用先进技术。",
  other5: "邮政企业应当在营业场所公布服务种类。",
  other6: "快递企业应当妥善处理尚未投递的快件。",
  other7: "邮政管理部门应当公开监督检查结果。",
  other8: "快递企业和邮政企业应当依法经营。",
};

describe("character fallback for words no chunk contains", () => {
  it("finds the question's content words the corpus never uses, not its known words, places or question words", () => {
    const words = unknownWords(corpus(TEXTS), "快递企业把批文借给别人用，罚多少");
    expect(words).toContain("批文");
    expect(words).not.toContain("快递企业");
    expect(words).not.toContain("多少");
  });

  it("raises the passage holding the unknown words' rare characters (批文 ~ 批准文件)", () => {
    const ranked = [
      { id: "fine", score: 10 },
      { id: "lend", score: 9.5 },
    ];
    const out = applyCharFallback(ranked, "快递企业把批文借给别人，罚多少", corpus(TEXTS), 0.2);
    expect(out.map((h) => h.id)).toEqual(["lend", "fine"]);
    expect(out[1]!.score).toBe(10);
  });

  it("changes nothing when every word is known, or with weight 0", () => {
    const ranked = [
      { id: "fine", score: 10 },
      { id: "lend", score: 8 },
    ];
    expect(applyCharFallback(ranked, "快递企业备案", corpus(TEXTS), 0.2)).toEqual(ranked);
    expect(applyCharFallback(ranked, "快递企业把批文借给别人", corpus(TEXTS), 0)).toEqual(ranked);
  });
});
