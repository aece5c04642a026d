/** The draft suite's own measures respond to bad drafts (so its perfect scores mean something). */
import { describe, expect, it } from "vitest";
import { copiedShare } from "../src/assistant/draft/overlap.js";
import { detectParts, numberingConsistent, structureScore } from "../evals/suites/draft.js";

const good = {
  title: "某局召开座谈会",
  text: ["9月29日，某局召开座谈会。刘君出席会议并讲话。", "刘君指出，形势严峻。", "刘君强调，要做好工作：", "一要抓安全。", "二要抓服务。", "会议还听取了某处汇报。", "各处负责人参会。", "（本文来源：某局）"].join("\n\n"),
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
});
