import { describe, expect, it } from "vitest";
import { ART29, BUL3, hit } from "../../../test/ask-fixtures.js";
import {
  askedQuantity,
  askedUnit,
  domainAnchors,
  periodUnit,
  editionsNamed,
  evidenceGap,
  operatorsNamed,
  quantityNoun,
  statesQuantity,
  unknownShare,
  yearsNamed,
} from "./evidence.js";
import { abstainOnSupport } from "./abstain.js";
import { scoreSentences } from "./extractive-answer.js";
import { CorpusStats, queryTerms } from "./query-terms.js";

const gap = (question: string, hits = [hit(ART29)]) => {
  const terms = queryTerms(question);
  const scored = scoreSentences(question, hits, terms);
  return evidenceGap({ question, terms, hits, scored });
};

describe("what a question is about", () => {
  it("reads years (4-digit, and 2-digit ones that are not durations), editions and operators", () => {
    expect(yearsNamed("2017年的总结会")).toEqual(["2017"]);
    expect(yearsNamed("14年亚欧博览会那次")).toEqual(["2014"]);
    expect(yearsNamed("吊销后10年内不得申请")).toEqual([]);
    expect(editionsNamed("第五届亚欧博览会")).toEqual(["第五届"]);
    expect(operatorsNamed("中通在青岛被罚过多少")).toEqual(["中通"]);
  });

  it("knows the kind of quantity asked and the noun it is of", () => {
    expect(askedQuantity("快递企业停业要提前几天公告")?.name).toBe("period");
    expect(askedQuantity("私拆包裹罚多少")?.name).toBe("fine");
    expect(askedQuantity("博览会那几天每天都要报吗")).toBeNull();
    expect(askedQuantity("保价费率一般是多少")?.name).toBe("rate");
    expect(quantityNoun("申请快递业务经营许可证要交多少手续费")).toBe("手续费");
    expect(quantityNoun("有效申诉率是多少")).toBe("申诉率");
    expect(quantityNoun("快递企业停业要提前几天公告")).toBeNull();
    // the thing a count counts
    expect(quantityNoun("博览会期间一共安检了多少件快件")).toBe("快件");
    expect(quantityNoun("公司一共有多少名职工")).toBe("职工");
    expect(quantityNoun("一年检查几次内容")).toBeNull();
    expect(quantityNoun("国家会不会几个部门一起处理它")).toBeNull();
    expect(quantityNoun("顺丰在乌鲁木齐的分拣中心有几台安检机")).toBe("安检机");
    expect(quantityNoun("邮政在乌鲁木齐有几个分拣中心")).toBe("分拣中心");
  });
  it("an article number states no count; a phone number is asked as contact details", () => {
    const count = askedQuantity("请推荐几部最近好看的电影")!;
    expect(count.name).toBe("count");
    expect(statesQuantity(count, "第七十七条 新闻、出版、广播、电影等单位有进行安全生产公益宣传教育的义务")).toBe(
      false,
    );
    expect(statesQuantity(count, "出动安保人员三百名")).toBe(true);
    const contact = askedQuantity("国家邮政局局长的办公电话是多少")!;
    expect(contact.name).toBe("contact");
    expect(statesQuantity(contact, "国家邮政局局长马军胜出席会议并讲话")).toBe(false);
    expect(statesQuantity(contact, "消费者可拨打12305申诉")).toBe(true);
  });
  it("a number of a unit no kind covers (几张, 几米, 多少平方米); not which ones, not units of time", () => {
    expect(askedUnit("国际回信券能换几张邮票")).toBe("张");
    expect(askedUnit("三轮车整车最长不能超过几米")).toBe("米");
    expect(askedUnit("灭火器每多少平方米得配一个")).toBe("平方米");
    expect(askedUnit("那天下午去看了哪几家快递的分拣中心")).toBeNull();
    expect(askedUnit("末端网点开办后几天内要去备案")).toBeNull();
  });
  it("立即/及时 answer a deadline (几天内, 提前几天), not a length (多少天年假)", () => {
    expect(periodUnit("快递企业要在几天内报告")!.test("应当立即报告")).toBe(true);
    expect(periodUnit("员工每年有多少天年假")!.test("应当及时提出意见")).toBe(false);
    expect(periodUnit("员工每年有多少天年假")!.test("每年享受五天")).toBe(true);
  });
  it("a calendar date states no period", () => {
    const period = askedQuantity("那次会议一共开了多长时间")!;
    expect(period.name).toBe("period");
    expect(statesQuantity(period, "9月29日，国家邮政局召开总结电视电话会议")).toBe(false);
    expect(statesQuantity(period, "抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结会议")).toBe(false);
    expect(statesQuantity(period, "应当自开办之日起20日内备案")).toBe(true);
  });
  it("有几个X asks a count unless the question is yes/no", () => {
    expect(askedQuantity("单位自己印明信片能印上中国人民邮政几个字吗")).toBeNull();
    expect(askedQuantity("邮政在乌鲁木齐有几个分拣中心")?.name).toBe("count");
    expect(askedQuantity("有几家企业被罚了吗")).toBeNull();
  });
});

describe("evidence gaps", () => {
  it("a question without content terms has nothing to answer", () => {
    expect(gap("7")).toBe("no-content");
    expect(gap("？？")).toBe("no-content");
  });

  it("the asked quantity must be stated by the passage quoted", () => {
    expect(gap("快递企业停业要提前几天公告")).toBeNull();
    expect(gap("快递企业停业要交多少手续费")).toBe("quantity");
  });

  it("a year or edition the bulletin does not give", () => {
    expect(gap("2019年纪念活动期间进京邮件落实了什么措施", [hit(BUL3)])).toBe("year");
    expect(gap("第五届纪念活动进京邮件落实了什么措施", [hit(BUL3)])).toBe("edition");
    expect(gap("纪念活动期间进京邮件落实了什么措施", [hit(BUL3)])).toBeNull();
  });

  it("a multiple of a fee is no price, only a sum paid back or fined", () => {
    const text = "挂号信件丢失、损毁的，按照所收取资费的三倍予以赔偿。";
    const HIT = { ...hit(ART29), chunk: { ...ART29, text, original: text } };
    expect(gap("平信的资费是多少钱", [HIT])).toBe("quantity");
    expect(gap("挂号信丢了赔多少钱", [HIT])).toBeNull();
  });

  it("a quantity asked about a fee must be stated by a sentence that speaks of a fee", () => {
    const text = "包裹，是指独立封装的物品，其重量不超过五十千克。";
    const HIT = { ...hit(ART29), chunk: { ...ART29, text, original: text } };
    expect(gap("包裹超过多少公斤要加收超重费", [HIT])).toBe("quantity");
    expect(gap("包裹最重不能超过多少公斤", [HIT])).toBeNull();
  });

  it("a number of a unit the quoted passage does not state", () => {
    expect(gap("快递企业停业的公告要贴几张")).toBe("quantity");
  });

  it("an operator the evidence never names", () => {
    expect(gap("顺丰停止经营要提前几天公告")).toBe("company");
  });

  it("a specific thing found only in another province's rule", () => {
    const question = "北京快递员不戴头盔怎么办";
    const terms = queryTerms(question);
    const hits = [hit(ART29)];
    const scored = scoreSentences(question, hits, terms);
    const holders = (t: string) => (t === "头盔" ? [{ outOfScope: true }] : []);
    expect(evidenceGap({ question, terms, hits, scored, holders })).toBe("other-province:头盔");
    expect(evidenceGap({ question, terms, hits, scored, holders: () => [{ outOfScope: false }] })).toBeNull();
  });

  it("domain anchors: terms rare in general Chinese and common in the corpus", () => {
    const stats = new CorpusStats([
      "快递企业停止经营的，应当提前10日向社会公告",
      "快递企业应当建立安全制度",
      "邮政企业应当提供普遍服务",
    ]);
    expect(domainAnchors(queryTerms("快递停业要公告吗", stats), stats)).toContain("快递");
    expect(domainAnchors(queryTerms("明天下雪吗", stats), stats)).toEqual([]);
  });

  it("an anchored question is refused on its own threshold; any other when support does not outweigh its unknown words", () => {
    const c = { threshold: 0.12, lambda: 0.3, anchoredThreshold: 0.09 };
    expect(abstainOnSupport({ support: 0.2, unknownShare: 0.8, anchored: true }, c)).toBe(false);
    expect(abstainOnSupport({ support: 0.2, unknownShare: 0.8, anchored: false }, c)).toBe(true);
    expect(abstainOnSupport({ support: 0.05, unknownShare: 0, anchored: true }, c)).toBe(true);
    expect(abstainOnSupport({ support: 0.2, unknownShare: 0, anchored: false }, c)).toBe(false);
  });

  it("weighs the share of a question's terms the corpus never uses", () => {
    const stats = new CorpusStats(["快递企业停止经营的，应当提前10日向社会公告"]);
    expect(unknownShare(queryTerms("快递企业停业公告", stats), stats)).toBe(0);
    expect(unknownShare(queryTerms("明天下雪吗", stats), stats)).toBe(1);
  });
});
