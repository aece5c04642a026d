import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadRegister, parseRegister, writtenRegister } from "./register.js";

const register = loadRegister(join(process.cwd(), "prompts"));

describe("writtenRegister (prompts/draft-register.tsv)", () => {
  it("loads the shipped lexicon", () => {
    expect(register).toBeDefined();
    expect(register!.rules.length).toBeGreaterThan(20);
    expect(register!.heads.get("安全")).toBe("抓好");
  });

  it("rewrites spoken words of each class: pronouns, verbs, time words, particles, hedges", () => {
    // (我们 of an exhortation needs no subject)
    expect(writtenRegister("咱们要把台账搞好吧", register)).toBe("要把台账做好");
    expect(writtenRegister("旺季期间每天报数", register)).toBe("旺季期间每日报送数据");
    expect(writtenRegister("大概下礼拜搞一次检查", register)).toBe("下周开展一次检查");
    expect(writtenRegister("方案会后发群里，按时报", register)).toBe("方案会后发至工作群，按时报送");
    expect(writtenRegister("不能拖", register)).toBe("不得拖欠");
    // a negated condition keeps its 的
    expect(writtenRegister("没备案的话，一律不准经营", register)).toBe("未备案的，一律不得经营");
  });

  it("gives a terse requirement whose topic is a 的-phrase its object marker and verb", () => {
    expect(writtenRegister("停业未备案的，下周约谈", register, { point: true })).toBe("对停业未备案的，下周开展约谈");
    // not a point: the shape rules for points do not apply
    expect(writtenRegister("停业未备案的，下周约谈", register)).toBe("停业未备案的，下周开展约谈");
    // already marked, or 有的 (some of them): left alone
    expect(writtenRegister("对超范围经营的，依法查处", register, { point: true })).toBe("对超范围经营的，依法查处");
    expect(writtenRegister("有的网点乱收费", register, { point: true })).toBe("有的网点乱收费");
  });

  it("gives a bare noun-phrase point the verb its head noun takes, never a clause that has one", () => {
    expect(writtenRegister("安全。安全是底线", register, { point: true })).toBe("抓好安全。安全是底线");
    expect(writtenRegister("快递员的权益，补贴要发", register, { point: true })).toBe(
      "保障快递员的权益，补贴要按时发放",
    );
    expect(writtenRegister("守住安全底线", register, { point: true })).toBe("守住安全底线");
    expect(writtenRegister("安全要放在首位", register, { point: true })).toBe("安全要放在首位");
  });

  it("never touches names, figures, dates or quoted titles", () => {
    // 没 in a name, 每天 inside a quoted title, a figure with 报
    expect(writtenRegister("何没然说新增分拣工120人", register, { keep: ["何没然"] })).toBe(
      "何没然表示，新增分拣工120人",
    );
    expect(writtenRegister("落实《每天报数制度》", register)).toBe("落实《每天报数制度》");
    expect(writtenRegister("罚没款392.6万元，12月5日前报市场科", register)).toBe(
      "罚没款392.6万元，12月5日前报送市场科",
    );
  });

  it("never doubles a verb already written (报送…, 通报…)", () => {
    expect(writtenRegister("各市局5月30日前报送整治工作方案", register)).toBe("各市局5月30日前报送整治工作方案");
    expect(writtenRegister("夏静通报一季度秩序情况", register, { keep: ["夏静通"] })).toBe("夏静通报一季度秩序情况");
  });

  it("leaves written wording as it is", () => {
    const s = "各企业要立即开展自查，3月15日前把自查报告报送市局。";
    expect(writtenRegister(s, register)).toBe(s);
  });

  it("reports speech: the speaker's 我们 is the bureau they speak for, those spoken to are 各单位", () => {
    const us = "天津市邮政管理局";
    expect(writtenRegister("去年我们接到快递员的投诉312件", register, { us })).toBe(
      "去年天津市邮政管理局接到快递员的投诉312件",
    );
    expect(writtenRegister("各企业3月10日前把权益保障方案报上来", register, { us })).toBe(
      "各企业3月10日前把权益保障方案报送天津市邮政管理局",
    );
    expect(writtenRegister("我们要抓紧抓实，大家要重视", register, { us })).toBe("要抓紧抓实，各单位要重视");
    // 我们 of the whole city or trade is no one in particular
    expect(writtenRegister("去年我们全市快递业务量增长12%", register, { us })).toBe("去年全市快递业务量增长12%");
    // not known whom 我们 means (another body's speaker): kept; 报上来 still written
    expect(writtenRegister("去年我们查获9起", register)).toBe("去年我们查获9起");
    expect(writtenRegister("方案报上来", register)).toBe("方案报送");
  });

  it("joins a topic cut off from the clause it is the subject of, and names a point's bare topic", () => {
    expect(writtenRegister("派费，不得层层克扣", register, { point: true })).toBe("派费不得层层克扣");
    expect(writtenRegister("年终考核材料，12月20日前报办公室", register, { point: true })).toBe(
      "年终考核材料于12月20日前报送办公室",
    );
    expect(writtenRegister("督导工作，下周启动", register)).toBe("督导工作下周启动");
    expect(writtenRegister("社保，企业要给交，不能拖", register, { point: true })).toBe(
      "社保方面，企业要缴纳，不得拖欠",
    );
    expect(writtenRegister("休息，每个月至少休息四天", register, { point: true })).toBe("休息方面，每月至少休息四天");
    expect(writtenRegister("末端服务：新建智能快件箱1.2万组", register, { point: true })).toBe(
      "末端服务方面，新建智能快件箱1.2万组",
    );
    expect(writtenRegister("高温天气，做好快递员防暑降温", register, { point: true })).toBe(
      "高温天气期间，做好快递员防暑降温",
    );
    expect(writtenRegister("节前，做好快递员防暑降温", register, { point: true })).toBe("节前，做好快递员防暑降温");
    // a verb and its object, a time word, a clause with its own subject: left as they are
    for (const kept of [
      "强化主体责任，确保各项安全防范工作落到实处",
      "加强运行监测，及时掌握全网运行情况",
      "发现可疑快件第一时间报告，不得私自处理",
      "去年，全市快递员4.3万多人",
      "杜绝形式主义，检查要务实",
    ]) {
      expect(writtenRegister(kept, register, { point: true })).toBe(kept);
    }
    // not a point: only the cut-off subject is joined
    expect(writtenRegister("社保，企业要缴纳", register)).toBe("社保，企业要缴纳");
  });

  it("writes a 把-clause with a bare transfer as the verb before its object", () => {
    expect(writtenRegister("各企业3月10日前把权益保障方案报送", register)).toBe("各企业3月10日前报送权益保障方案");
    expect(writtenRegister("3月15日前把自查报告报送市局", register)).toBe("3月15日前把自查报告报送市局");
  });

  it("without a lexicon the words are kept", () => {
    expect(writtenRegister("咱们搞好", undefined)).toBe("咱们搞好");
  });

  it("names a bad lexicon line and the fix", () => {
    expect(() => parseRegister("verb\t(\t未", "r.tsv")).toThrow(/r\.tsv:1: .*fix the pattern/);
    expect(() => parseRegister("verb", "r.tsv")).toThrow(/r\.tsv:1: a rule is CLASS/);
  });
});
