/** The draft suite's own measures respond to bad drafts (so its perfect scores mean something). */
import { describe, expect, it } from "vitest";
import { copiedShare } from "../src/assistant/draft/overlap.js";
import {
  checkDraft,
  detectParts,
  doubledFound,
  numberingConsistent,
  registerFound,
  structureScore,
} from "../evals/suites/draft.js";

const good = {
  title: "某局召开座谈会",
  text: [
    "9月29日，某局召开座谈会。刘君出席会议并讲话。",
    "刘君指出，形势严峻。",
    "刘君强调，要做好工作：",
    "一要抓安全。",
    "二要抓服务。",
    "会议还听取了某处汇报。",
    "各处负责人参会。",
    "（本文来源：某局）",
  ].join("\n\n"),
};
const required = ["headline", "lead", "remarks", "requirements", "reports", "participation", "source"];
const lead = { date: "9月29日", organiser: "某局", form: "座谈会" };

describe("draft suite measures", () => {
  it("scores a complete bulletin 1", () => {
    expect(structureScore(detectParts(good, "bulletin", lead), required, "bulletin")).toBe(1);
  });

  it("drops for missing and out-of-order parts", () => {
    const noSource = { ...good, text: good.text.replace("\n\n（本文来源：某局）", "") };
    expect(structureScore(detectParts(noSource, "bulletin", lead), required, "bulletin")).toBeCloseTo(6 / 7);
    const ps = good.text.split("\n\n");
    const swapped = { ...good, text: [ps[0], ps[5], ps[1], ps[2], ps[3], ps[4], ps[6], ps[7]].join("\n\n") };
    expect(structureScore(detectParts(swapped, "bulletin", lead), required, "bulletin")).toBeCloseTo(6 / 7);
    const noDate = { ...good, text: good.text.replace("9月29日，", "") };
    expect(detectParts(noDate, "bulletin", lead).lead).toBeUndefined();
  });

  it("catches mixed and skipped ordinals", () => {
    expect(numberingConsistent(good.text)).toEqual({ has: true, ok: true });
    expect(numberingConsistent(good.text.replace("二要", "二是")).ok).toBe(false);
    expect(numberingConsistent(good.text.replace("二要", "三要")).ok).toBe(false);
  });

  it("measures copying, but not text taken from the notes", () => {
    const example = "国家邮政局局长马军胜出席会议并讲话，强调要扎紧寄递渠道安全防范的篱笆。";
    expect(copiedShare("要扎紧寄递渠道安全防范的篱笆。", example, "")).toBe(1);
    expect(copiedShare("要扎紧寄递渠道安全防范的篱笆。", example, "要扎紧寄递渠道安全防范的篱笆。")).toBe(0);
    expect(copiedShare("会议要求切实做好旺季服务保障。", example, "")).toBe(0);
  });

  it("finds words and characters said twice, but not reduplication or a word's own repeated character", () => {
    expect(doubledFound("各市局5月30日前报送送整治工作方案")).toEqual([
      expect.stringMatching(/doubled character: 报送送/),
    ]);
    expect(doubledFound("要研究研究")).toEqual([expect.stringMatching(/doubled word/)]);
    expect(doubledFound("派费不得层层克扣，安全监管科科长田宏伟，法规处处长，督导组组长，人人有责")).toEqual([]);
  });

  it("finds speech pasted into a bulletin, not the house forms", () => {
    const found = (text: string) => registerFound({ text }).map((x) => x.split(":")[0]);
    expect(found("去年我们接到投诉312件。")).toEqual(["pronoun of speech"]);
    expect(found("大家要重视。")).toEqual(["pronoun of speech"]);
    expect(found("要提前备好吧。")).toContain("spoken particle");
    expect(found("这个事情的话，再研究。")).toEqual(expect.arrayContaining(["的话 clause", "spoken demonstrative"]));
    expect(found("是不是要抓紧？")).toContain("question or exclamation");
    expect(found("请葛处长讲一下。")).toContain("V+一下");
    expect(found("一是派费，不得层层克扣。")).toEqual(["bare topic head"]);
    expect(found("各企业把权益保障方案报送。")).toEqual(["把 with no addressee"]);
    // the house forms: 我局 in a summary, a verb and its object heading a point, a transfer with its addressee, a quoted slogan
    expect(found("今年以来，我局共开展执法检查328家次。")).toEqual([]);
    expect(found("一是抓好安全，消防通道必须畅通。\n\n二是畅通申诉渠道，按时办结。")).toEqual([]);
    expect(found("各企业把方案报送市场科。")).toEqual([]);
    expect(found("要落实“谁的话谁负责吧”要求。")).toEqual([]);
  });

  it("calls a 'left out' warning false when the draft carries the item, even with a word put in", () => {
    const output = {
      title: "某局召开周例会",
      text: "三是春节值班表12月底前报送办公室。",
      warnings: ["未写入草稿：笔记中的单位“月底前报办公室”（笔记原句：…）"],
    };
    expect(checkDraft(output, "春节值班表12月底前报办公室", { id: "x" }, "bulletin").warningsTrue).toBe(false);
    const lost = { ...output, warnings: ["未写入草稿：笔记中的单位“临沂市邮政管理局”（笔记原句：…）"] };
    expect(checkDraft(lost, "临沂市邮政管理局交流发言", { id: "x" }, "bulletin").warningsTrue).toBe(true);
  });
});
