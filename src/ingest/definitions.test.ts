import { describe, expect, it } from "vitest";
import { definedTerms, markDefinitions } from "./definitions.js";

describe("definitions at ingest", () => {
  it("reads the terms an article defines: 是指 sentences, enumerated items, 本法所称, 以下统称", () => {
    expect(
      definedTerms(
        "第八十四条 本法下列用语的含义：\n快件，是指快递企业递送的信件、包裹、印刷品等。\n给据邮件，是指邮政企业在收寄时向寄件人出具收据",
      ),
    ).toEqual(["快件", "给据邮件"]);
    expect(definedTerms("第三条 本法所称恐怖主义，是指通过暴力、破坏、恐吓等手段")).toEqual(["恐怖主义"]);
    expect(definedTerms("（五）给据邮件是指邮政企业收寄时向寄件人出具收据")).toEqual(["给据邮件"]);
    expect(definedTerms("从事生产经营活动的单位（以下统称生产经营单位）的安全生产")).toEqual(["生产经营单位"]);
    expect(definedTerms("经营快递业务的企业应当提前10日向社会公告")).toEqual([]);
  });

  it("marks only the chunks that define something", () => {
    const base = { docId: "d", chapter: null, lead: null, original: "" };
    const [a, b] = markDefinitions([
      { ...base, id: "d#1", ordinal: 1, section: "第二条", text: "本法所称邮政普遍服务，是指按照国家规定的业务范围" },
      { ...base, id: "d#2", ordinal: 2, section: "第三条", text: "邮政企业应当加强服务质量管理" },
    ]);
    expect(a!.defines).toEqual(["邮政普遍服务"]);
    expect(b!.defines).toBeUndefined();
  });
});
