import { describe, expect, it } from "vitest";
import { checkFidelity, numberValues, organisationMentions } from "./fidelity.js";

const notes = [
  "会议：抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议",
  "时间：2015年9月29日",
  "主办：国家邮政局",
  "讲话：国家邮政局局长马军胜",
  "出席：局领导王梅、赵晓光、邢小江",
  "主持：刘君",
  "指出：",
  "- 在收寄进京邮（快）件高达2828万件的情况下，全行业未发生一起重大生产安全事故。",
  "- 体现了五个突出特点。",
  "听取：北京市邮政管理局汇报工作情况",
].join("\n");

const faithful =
  "9月29日，国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议。国家邮政局局长马军胜出席会议并讲话。局领导王梅、赵晓光、邢小江出席会议。会议由刘君主持。" +
  "马军胜指出，在收寄进京邮（快）件高达2828万件的情况下，全行业未发生一起重大生产安全事故。体现了五个突出特点。会议还听取了北京市邮政管理局汇报工作情况。";

describe("checkFidelity", () => {
  it("accepts a draft whose facts all come from the notes", () => {
    expect(checkFidelity(faithful, notes)).toEqual([]);
  });

  it("catches an invented date", () => {
    const v = checkFidelity(faithful.replace("9月29日", "9月30日"), notes);
    expect(v).toEqual([expect.objectContaining({ kind: "date", text: "9月30日" })]);
    expect(v[0]!.sentence).toContain("国家邮政局召开");
    expect(checkFidelity(`2016年9月29日，${faithful}`, notes).map((x) => x.kind)).toContain("date");
  });

  it("catches an invented person", () => {
    const v = checkFidelity(`${faithful}张伟强调，要做好工作。`, notes);
    expect(v).toEqual([expect.objectContaining({ kind: "person", text: "张伟" })]);
    expect(checkFidelity(faithful.replace("会议由刘君主持", "会议由李明主持"), notes).map((x) => x.text)).toEqual([
      "李明",
    ]);
  });

  it("catches an invented number, in Arabic or Chinese numerals", () => {
    expect(checkFidelity(faithful.replace("2828万件", "3000万件"), notes)).toEqual([
      expect.objectContaining({ kind: "number", text: "3000" }),
    ]);
    expect(checkFidelity(faithful.replace("五个突出特点", "六个突出特点"), notes)).toEqual([
      expect.objectContaining({ kind: "number", text: "六个" }),
    ]);
    // the same value in the other script is the same fact
    expect(checkFidelity(faithful.replace("70周年", "七十周年"), notes)).toEqual([]);
  });

  it("catches an invented organisation", () => {
    const v = checkFidelity(`${faithful}会议还听取了上海市邮政管理局的汇报。`, notes);
    expect(v).toEqual([expect.objectContaining({ kind: "organisation", text: "上海市邮政管理局" })]);
    expect(checkFidelity(`${faithful}公安部有关负责人出席。`, notes).map((x) => x.text)).toContain("公安部");
  });

  it("does not count ordinals or 一个/一次 as quantities", () => {
    expect(numberValues("一要抓安全。二要抓服务。这是一次考验。").map((n) => n.text)).toEqual([]);
    expect(numberValues("落实“三个100%”措施，第四届").map((n) => n.value)).toEqual([100, 3, 4]);
  });

  it("cuts organisation names at the verb before them", () => {
    expect(organisationMentions("会议还听取了北京市邮政管理局汇报").map((o) => o.text)).toEqual(["北京市邮政管理局"]);
    expect(organisationMentions("国家邮政局召开会议").map((o) => o.text)).toEqual(["国家邮政局"]);
    // a deadline and a transfer before the office, a time word before the bureau
    expect(organisationMentions("年终考核材料12月20日前报办公室").map((o) => o.text)).toEqual(["办公室"]);
    expect(organisationMentions("去年天津市邮政管理局接到投诉").map((o) => o.text)).toEqual(["天津市邮政管理局"]);
  });
});

describe("lostFacts (nothing lost)", () => {
  const notes =
    "11月20日，洛阳市邮政管理局召开推进会，周建华局长讲话。市场科科长李鹏通报，双11当天揽收快件386万件，同比+18%。\n（局务会用，供写通稿）";
  const full =
    "11月20日，洛阳市邮政管理局召开推进会。局长周建华出席会议并讲话。市场科科长李鹏通报，揽收快件386万件，同比增长18%。";
  it("finds nothing lost in a draft that carries every fact", async () => {
    const { lostFacts } = await import("./fidelity.js");
    expect(lostFacts(full, notes)).toEqual([]);
  });
  it("names each person, figure, date and unit left out, with the notes' sentence", async () => {
    const { lostFacts } = await import("./fidelity.js");
    const lost = lostFacts("洛阳市邮政管理局召开推进会。", notes).map((f) => `${f.kind}:${f.text}`);
    expect(lost).toEqual(
      expect.arrayContaining(["date:11月20日", "person:周建华", "person:李鹏", "number:386万件", "number:18%"]),
    );
    expect(lostFacts("洛阳市邮政管理局召开推进会。", notes).find((f) => f.text === "386万件")!.sentence).toContain(
      "揽收快件386万件",
    );
  });
  it("does not count the count of a list as a figure left out", async () => {
    const { lostFacts } = await import("./fidelity.js");
    const list = "主要做了三项工作：一是开展春节寄递保障；二是完成网点核查；三是查处案件12起。";
    expect(lostFacts("一是开展春节寄递保障。二是完成网点核查。三是查处案件12起。", list)).toEqual([]);
    expect(lostFacts("一是开展春节寄递保障。", list).map((f) => f.text)).toEqual(["12起"]);
  });
});
