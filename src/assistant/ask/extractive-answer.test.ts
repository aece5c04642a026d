import { describe, expect, it } from "vitest";
import { ART29, ART30, BUL3, HENAN44, hit } from "../../../test/ask-fixtures.js";
import { composeAnswer, extractiveAnswer, pickSentences, scoreSentences, withMark } from "./extractive-answer.js";

const hits = [hit(ART30), hit(HENAN44), hit(ART29), hit(BUL3)];

describe("withMark", () => {
  it("puts the mark before the final punctuation", () => {
    expect(withMark("应当提前10日向社会公告。", 1)).toBe("应当提前10日向社会公告[1]。");
    expect(withMark("没有句号", 2)).toBe("没有句号[2]。");
    expect(withMark("（一）项目；", 3)).toBe("（一）项目[3]。");
  });
});

describe("scoreSentences", () => {
  it("prefers the sentence stating the asked period, whatever the retrieval rank", () => {
    const best = [...scoreSentences("快递企业停业要提前多久公告？", hits)].sort((a, b) => b.score - a.score)[0]!;
    expect(best.hit.chunk.id).toBe(ART29.id);
    expect(best.sentence.text).toContain("提前10日");
  });
  it("boosts the article the question names", () => {
    const scored = scoreSentences("快递暂行条例第三十条规定了什么？", hits);
    const best = [...scored].sort((a, b) => b.score - a.score)[0]!;
    expect(best.hit.chunk.section).toBe("第三十条");
  });
});

describe("extractiveAnswer", () => {
  it("every sentence carries [n]; citations are numbered by first use and quote the published sentence", () => {
    const r = extractiveAnswer("快递企业停业要提前多久公告？", hits);
    expect(r.citations[0]!.n).toBe(1);
    expect(r.citations.map((c) => c.n)).toEqual(r.citations.map((_c, i) => i + 1));
    for (const s of r.answer.split(/(?<=。)/).filter((x) => x.trim())) expect(s).toMatch(/\[\d+\]。$/);
    expect(r.citations[0]!.quote).toContain("提前10日向社会公告");
    expect(r.support).toBeGreaterThan(0.5);
  });
  it("names regulations with their article and strips the article number from the sentence", () => {
    const r = extractiveAnswer("快递企业停业要提前多久公告？", hits);
    expect(r.answer.startsWith("《快递暂行条例》第二十九条规定：经营快递业务的企业停止经营的")).toBe(true);
  });
  it("leaves out excluded chunks", () => {
    const r = extractiveAnswer("快递企业停业要提前多久公告？", hits, { excludeChunks: new Set([ART29.id]) });
    expect(r.citations.every((c) => c.chunkId !== ART29.id)).toBe(true);
  });
  it("support is low for an unrelated question and zero without hits", () => {
    expect(extractiveAnswer("明天北京天气怎么样？", hits).support).toBeLessThan(0.3);
    const none = extractiveAnswer("快递企业停业要提前多久公告？", []);
    expect(none).toMatchObject({ support: 0, citations: [], answer: "" });
  });
});

describe("pickSentences / composeAnswer", () => {
  it("keeps at most maxSentences, no duplicates, grouped by chunk in document order", () => {
    const scored = scoreSentences("快递企业停业要提前多久公告？", [...hits, hit(ART29)]);
    const picked = pickSentences(scored, 2);
    expect(picked.length).toBeLessThanOrEqual(2);
    expect(new Set(picked.map((p) => p.sentence.text)).size).toBe(picked.length);
    const { citations } = composeAnswer(picked);
    expect(new Set(citations.map((c) => c.chunkId)).size).toBe(citations.length);
  });
});

describe("source kind", () => {
  it("a question about a rule prefers the regulation's sentence to a bulletin's, a question about a meeting the bulletin's", () => {
    const hits = [hit(BUL3), hit(ART29)];
    const q1 = "快递企业停业要提前几天告诉大家";
    const top1 = [...scoreSentences(q1, hits)].sort((a, b) => b.score - a.score)[0]!;
    expect(top1.hit.doc.kind).toBe("regulation");
    const bulletin = scoreSentences("总结会上对快递企业停业提了什么要求", hits).filter(
      (s) => s.hit.doc.kind === "bulletin",
    );
    const plain = scoreSentences("对快递企业停业提了什么要求", hits).filter((s) => s.hit.doc.kind === "bulletin");
    expect(bulletin[0]!.cue - plain[0]!.cue).toBeCloseTo(0.2);
  });
});

describe("retrieval window and who-cue", () => {
  it("a sentence of the retrieval's top 5 outweighs the same sentence ranked lower", () => {
    const filler = [ART30, HENAN44, BUL3, ART30].map((c) => hit(c));
    const inTop = scoreSentences("快递企业停业", [hit(ART29), ...filler]).find((s) => s.hit.chunk.id === ART29.id)!;
    const below = scoreSentences("快递企业停业", [...filler, ...filler, hit(ART29)]).find(
      (s) => s.hit.chunk.id === ART29.id,
    )!;
    expect(inTop.score - below.score).toBeGreaterThan(0.1);
  });
  it("a question about who decides prefers the sentence that names one", () => {
    // "经营快递业务的企业应当建立健全安全保障制度"
    const [who] = scoreSentences("安全保障制度由谁来建", [hit(ART30)]);
    const [what] = scoreSentences("安全保障制度怎么建", [hit(ART30)]);
    expect(who!.cue).toBeGreaterThan(what!.cue);
  });
});

describe("agreed chunk", () => {
  it("quotes the chunk the rankings agree on too, without changing the scorer's own picks", () => {
    const q = "快递企业停业要提前多久公告？";
    const plain = extractiveAnswer(q, hits);
    expect(plain.citations.some((c) => c.chunkId === ART30.id)).toBe(false);
    const agreed = extractiveAnswer(q, hits, { agreedChunk: ART30.id });
    expect(agreed.citations.map((c) => c.chunkId)).toEqual([...plain.citations.map((c) => c.chunkId), ART30.id]);
    expect(agreed.picked).toEqual(plain.picked); // the evidence checks see the scorer's picks only
    expect(agreed.support).toBe(plain.support);
    // already cited: nothing added
    expect(extractiveAnswer(q, hits, { agreedChunk: ART29.id }).citations).toEqual(plain.citations);
  });
});
