import { describe, expect, it } from "vitest";
import { inferForm, parseMeetingNotes, parseSummaryNotes } from "./parse-notes.js";

describe("parseMeetingNotes: labelled notes", () => {
  const notes = [
    "会议：全省快递业务旺季服务保障工作座谈会",
    "时间：2023年11月6日",
    "地点：南京",
    "主办：江苏省邮政管理局",
    "讲话：江苏省邮政管理局局长周建华",
    "出席：省局领导吴敏、陈立新",
    "主持：副局长孙晓明",
    "指出：",
    "- 今年以来全省快递业务量保持较快增长。",
    "- 旺季期间业务量将迎来高峰。",
    "强调：各级邮政管理部门要全力以赴做好旺季服务保障工作。",
    "一是加强运行监测，做好应急预案。",
    "二是保障从业人员合法权益。",
    "听取：",
    "- 南京市邮政管理局汇报旺季准备情况",
    "参会：各设区市邮政管理局负责人参加会议",
    "来源：江苏省邮政管理局",
  ].join("\n");
  const n = parseMeetingNotes(notes);

  it("reads every labelled field", () => {
    expect(n.meeting).toBe("全省快递业务旺季服务保障工作座谈会");
    expect(n.date).toMatchObject({ year: 2023, month: 11, day: 6 });
    expect(n.place).toBe("南京");
    expect(n.organiser).toBe("江苏省邮政管理局");
    expect(n.form).toBe("座谈会");
    expect(n.speaker).toEqual({ name: "周建华", title: "江苏省邮政管理局局长" });
    // 省局 is resolved to the one provincial bureau the notes name in full
    expect(n.attendees).toBe("江苏省邮政管理局领导吴敏、陈立新");
    expect(n.chair).toEqual({ name: "孙晓明", title: "副局长" });
    expect(n.source).toBe("江苏省邮政管理局");
  });

  it("keeps the speaker's wording in points and strips only the ordinals", () => {
    expect(n.remarks).toEqual(["今年以来全省快递业务量保持较快增长。", "旺季期间业务量将迎来高峰。"]);
    expect(n.requirementsLead).toBe("各级邮政管理部门要全力以赴做好旺季服务保障工作。");
    expect(n.requirements).toEqual(["加强运行监测，做好应急预案。", "保障从业人员合法权益。"]);
    expect(n.ordinalStyle).toBe("是");
    expect(n.reports).toEqual(["南京市邮政管理局汇报旺季准备情况"]);
    expect(n.participation).toEqual(["各设区市邮政管理局负责人参加会议"]);
  });

  it("leaves fields the notes do not give undefined (never guessed)", () => {
    const m = parseMeetingNotes(
      "会议：农村寄递物流体系建设推进会\n强调：\n1. 要补齐农村末端短板。\n2. 要服务乡村振兴。",
    );
    expect(m.date).toBeUndefined();
    expect(m.chair).toBeUndefined();
    expect(m.speaker).toBeUndefined();
    expect(m.organiser).toBeUndefined();
    expect(m.source).toBeUndefined();
    expect(m.requirements).toEqual(["要补齐农村末端短板。", "要服务乡村振兴。"]);
  });

  it("reads traditional-character notes as simplified", () => {
    const m = parseMeetingNotes(
      "會議：寄遞渠道安全管理領導小組聯席會議\n講話：廣東省郵政管理局局長林志強\n時間：2022年6月15日",
    );
    expect(m.meeting).toBe("寄递渠道安全管理领导小组联席会议");
    expect(m.speaker).toEqual({ name: "林志强", title: "广东省邮政管理局局长" });
    expect(m.form).toBe("联席会议");
  });

  it("accepts 9.29-style dates on a 时间 line", () => {
    expect(parseMeetingNotes("时间：9.29\n会议：座谈会").date).toMatchObject({ month: 9, day: 29 });
    expect(parseMeetingNotes("时间：2015-09-29").date).toMatchObject({ year: 2015, month: 9, day: 29 });
    expect(parseMeetingNotes("时间：2015年9月28日至29日").date).toMatchObject({
      month: 9,
      day: 28,
      end: { month: 9, day: 29 },
    });
  });
});

describe("parseMeetingNotes: free text", () => {
  const notes = [
    "2024年3月12日上午，国家邮政局召开全国邮政行业安全生产工作视频会议，总结行业安全生产工作，部署重点任务。国家邮政局副局长赵民出席会议并讲话。会议由市场监管司司长郑立平主持。",
    "",
    "赵民指出，行业安全形势总体平稳，全年未发生重大安全生产事故。",
    "",
    "赵民强调，要统筹发展和安全。一要压实企业安全生产主体责任。二要深入开展安全隐患排查整治。三要加强寄递渠道安全监管。",
    "",
    "会议还听取了北京市、浙江省邮政管理局的工作汇报。",
    "",
    "各省（区、市）邮政管理局负责人在分会场参会。",
    "",
    "来源：国家邮政局",
  ].join("\n");
  const n = parseMeetingNotes(notes);

  it("finds the lead facts by pattern", () => {
    expect(n.date).toMatchObject({ year: 2024, month: 3, day: 12 });
    expect(n.organiser).toBe("国家邮政局");
    expect(n.meeting).toBe("全国邮政行业安全生产工作视频会议");
    expect(n.form).toBe("视频会议");
    expect(n.purpose).toBe("总结行业安全生产工作，部署重点任务");
    expect(n.speaker).toEqual({ name: "赵民", title: "国家邮政局副局长" });
    expect(n.chair).toEqual({ name: "郑立平", title: "市场监管司司长" });
    expect(n.source).toBe("国家邮政局");
  });

  it("classifies remarks, requirements (inline 一要…二要…), reports and participation", () => {
    expect(n.remarks).toEqual(["行业安全形势总体平稳，全年未发生重大安全生产事故。"]);
    expect(n.requirementsLead).toBe("要统筹发展和安全。");
    expect(n.requirements).toEqual([
      "压实企业安全生产主体责任。",
      "深入开展安全隐患排查整治。",
      "加强寄递渠道安全监管。",
    ]);
    expect(n.ordinalStyle).toBe("要");
    expect(n.reports).toEqual(["北京市、浙江省邮政管理局的工作汇报"]);
    expect(n.participation).toEqual(["各省（区、市）邮政管理局负责人在分会场参会"]);
  });

  it("reads 会同 and 在 out of the lead", () => {
    const m = parseMeetingNotes(
      "8月25日，国家邮政局会同国家安全部、国家反恐办在乌鲁木齐市召开寄递渠道安全保障工作座谈会，刘君副局长出席会议并讲话。",
    );
    expect(m.organiser).toBe("国家邮政局");
    expect(m.coOrganisers).toBe("国家安全部、国家反恐办");
    expect(m.place).toBe("乌鲁木齐市");
    expect(m.speaker).toEqual({ name: "刘君", title: "副局长" });
    expect(m.form).toBe("座谈会");
  });
});

describe("summary notes and form inference", () => {
  it("reads achievements, problems and next steps", () => {
    const n = parseSummaryNotes(
      "单位：南京市邮政管理局\n期间：2024年\n成绩：\n- 开展寄递安全检查1260次\n- 查处案件85起\n问题：\n- 部分网点管理不规范\n下一步：\n1. 持续开展隐患排查\n2. 加强培训",
    );
    expect(n.unit).toBe("南京市邮政管理局");
    expect(n.period).toBe("2024年");
    expect(n.achievements).toEqual(["开展寄递安全检查1260次", "查处案件85起"]);
    expect(n.problems).toEqual(["部分网点管理不规范"]);
    expect(n.nextSteps).toEqual(["持续开展隐患排查", "加强培训"]);
  });

  it("reads a free-text summary with a title line", () => {
    const n = parseSummaryNotes(
      "四川省邮政管理局 2023年农村寄递物流体系建设工作总结\n今年以来，进展积极。\n一是新建配送中心35个。\n二是通达率提升至95%。\n下一步\n一是继续推进体系建设。",
    );
    expect(n).toMatchObject({
      unit: "四川省邮政管理局",
      period: "2023年",
      subject: "农村寄递物流体系建设工作",
      overview: "今年以来，进展积极。",
    });
    expect(n.achievements).toEqual(["新建配送中心35个。", "通达率提升至95%。"]);
    expect(n.nextSteps).toEqual(["继续推进体系建设。"]);
    expect(n.ordinalStyle).toBe("是");
  });

  it("infers the form from the labels or the wording", () => {
    expect(inferForm("成绩：\n- 完成检查\n下一步：\n- 加强培训")).toBe("summary");
    expect(inferForm("会议：座谈会\n主持：刘君\n强调：要做好工作")).toBe("bulletin");
    expect(inferForm("某局2023年工作总结\n一是完成检查。\n下一步\n一是加强培训。")).toBe("summary");
    expect(inferForm("9月29日，国家邮政局召开电视电话会议。")).toBe("bulletin");
  });
});
