/** The answer eval's measures and the abstention calibration's sweep. */
import { describe, expect, it } from "vitest";
import { pick, sweep } from "../evals/calibrate-abstention.js";
import { abstentionFigures, citationMatches, scoreItem, type AnswerItem } from "../evals/suites/answer.js";
import type { AskResponse } from "../src/assistant/ask/types.js";

const item: AnswerItem = {
  id: "a01",
  question: "快递企业停业要提前多久公告？",
  gold: [{ title: "快递暂行条例", text: "应当提前10日向社会公告" }],
  facts: ["10日", "十日"],
};
const cited = (over: Partial<AskResponse> = {}): AskResponse => ({
  question: item.question,
  answer: "经营快递业务的企业停止经营的，应当提前10日向社会公告[1]。",
  abstained: false,
  citations: [
    {
      n: 1,
      docId: "d",
      title: "快递暂行条例",
      date: null,
      section: "第二十九条",
      path: "p",
      quote: "第二十九条 經營快遞業務的企業停止經營的，應當提前10日向社會公告，書面告知。",
      chunkText: "第二十九条 经营快递业务的企业停止经营的，应当提前10日向社会公告，书面告知邮政管理部门。",
    },
  ],
  ...over,
});

describe("citationMatches", () => {
  it("title contains gold.title and the cited chunk contains gold.text (simplified, no white space)", () => {
    expect(
      citationMatches({ title: "快递暂行条例", quote: "", chunkText: "应当 提前10日\n向社会公告" }, item.gold![0]!),
    ).toBe(true);
    expect(
      citationMatches({ title: "河南省邮政条例", quote: "", chunkText: "应当提前10日向社会公告" }, item.gold![0]!),
    ).toBe(false);
  });
  it("uses the quote (converted to simplified) when there is no chunk text", () => {
    expect(citationMatches({ title: "快递暂行条例", quote: "應當提前10日向社會公告" }, item.gold![0]!)).toBe(true);
  });
});

describe("scoreItem", () => {
  it("hits when a citation matches and the answer holds a fact", () => {
    expect(scoreItem(item, cited())).toEqual({ answerable: true, abstained: false, citationHit: true, factHit: true });
  });
  it("an abstention on an answerable item scores nothing", () => {
    expect(scoreItem(item, cited({ abstained: true, citations: [] }))).toMatchObject({
      citationHit: false,
      factHit: false,
      abstained: true,
    });
  });
  it("a wrong source and a wrong number miss", () => {
    const r = cited({ answer: "提前七日[1]。" });
    r.citations[0]!.title = "河南省邮政条例";
    expect(scoreItem(item, r)).toMatchObject({ citationHit: false, factHit: false });
  });
});

describe("abstentionFigures (positive class = abstained)", () => {
  it("computes precision, recall and F1", () => {
    const f = abstentionFigures([
      { answerable: false, abstained: true },
      { answerable: false, abstained: false },
      { answerable: true, abstained: true },
      { answerable: true, abstained: false },
    ]);
    expect(f).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      abstainedUnanswerable: 1,
      abstainedAnswerable: 1,
      unanswerable: 2,
      answerable: 2,
    });
    expect(f.f1).toBeCloseTo(0.5);
  });
});

describe("threshold sweep", () => {
  it("picks the midpoint that best separates unanswerable from answerable supports", () => {
    const samples = [
      { support: 0.1, answerable: false },
      { support: 0.3, answerable: false },
      { support: 0.6, answerable: true },
      { support: 0.9, answerable: true },
    ];
    const best = pick(sweep(samples));
    expect(best.threshold).toBeCloseTo(0.45);
    expect(best).toMatchObject({ precision: 1, recall: 1, answerableAbstained: 0, unanswerableAnswered: 0 });
  });
  it("breaks ties toward the lower threshold", () => {
    const samples = [
      { support: 0.2, answerable: false },
      { support: 0.5, answerable: true },
      { support: 0.7, answerable: false },
      { support: 0.8, answerable: true },
    ];
    const points = sweep(samples);
    const best = pick(points);
    const same = points.filter((p) => Math.abs(p.youden - best.youden) < 1e-12);
    expect(best.threshold).toBe(Math.min(...same.map((p) => p.threshold)));
  });
  it("refuses gap samples whatever the threshold", () => {
    const samples = [
      { support: 0.9, answerable: false, refused: true },
      { support: 0.2, answerable: false },
      { support: 0.6, answerable: true },
    ];
    const best = pick(sweep(samples));
    expect(best).toMatchObject({ recall: 1, answerableAbstained: 0 });
  });
});
