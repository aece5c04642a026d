import { describe, expect, it } from "vitest";
import { cleanNotes, houseFigures } from "./clean-notes.js";

describe("cleanNotes: notes of any form → one plain form", () => {
  it("resolves shorthand the notes define, and bare shorthand of the one person with that surname", () => {
    const t = cleanNotes(
      "- 主持：陈副（陈海燕）\n- 林局（林国栋）讲话\n👉 林局要求：\n- 陈副补充：下周上会\n王晓燕副局长主持，王局要求各企业报送。",
    ).text;
    expect(t).toContain("主持：陈海燕");
    expect(t).toContain("林国栋讲话");
    expect(t).toContain("林国栋要求：");
    expect(t).toContain("陈海燕补充");
    expect(t).toContain("王晓燕要求各企业报送");
    expect(t).not.toMatch(/林局|陈副|王局|👉/);
  });

  it("expands a unit's short name to the full name the notes give", () => {
    const t = cleanNotes("温州市局 周例会 12/3 下午\n（温州市邮政管理局局务会用，供写通稿）").text;
    expect(t).toContain("主办：温州市邮政管理局");
    expect(t).toContain("会议：周例会");
    expect(t).toContain("时间：12月3日下午");
    expect(t).not.toMatch(/供写|局务会用/); // the internal remark goes
  });

  it("drops fillers and meta talk, says a repeated clause once, and writes spoken figures in house form", () => {
    const t = cleanNotes(
      "冯德宽：嗯，各位，那个，去年日均投递量是大概……1260万件，对，1260万件，比前年多了百分之十一点五。\n呃，第一个事儿，就是，网点不能关。\n第二个，要发补贴。\n好，我就讲这些。",
    ).text;
    expect(t).toContain("冯德宽指出：去年日均投递量约1260万件，比前年增长11.5%。");
    expect(t).toContain("冯德宽强调：\n一是网点不能关。\n二是要发补贴。");
    expect(t).not.toMatch(/嗯|呃|那个|我就讲这些|……/);
  });

  it("puts +/- figures, table rows and dashes in house form", () => {
    expect(houseFigures("同比+15.2%，环比 -8%")).toBe("同比增长15.2%，环比下降8%");
    const t = cleanNotes(
      "| 项目 | 本季度 | 同比 |\n|---|---|---|\n| 快递业务量 | 3.82亿件 | +21.4% |\n| 执法检查 | 436家次 | — |\n末端网点 —— 本周内清一遍",
    ).text;
    expect(t).toContain("快递业务量3.82亿件，同比增长21.4%");
    expect(t).toContain("执法检查436家次");
    expect(t).toContain("末端网点，本周内清一遍");
    expect(t).not.toMatch(/\||—/);
  });

  it("leaves labelled notes and small counts alone", () => {
    const notes = "会议：全省座谈会\n主持：副局长孙晓明\n强调：\n1. 要做好三个方面工作。";
    expect(cleanNotes(notes).text).toBe(notes);
  });

  it("reads a line 'X讲话：' ending in a colon as the start of X's points, and drops '我讲几点' as meta talk", () => {
    const t = cleanNotes("主持：钱丽萍\n汪局（汪建国）讲话：\n1、超范围经营的，下周约谈").text;
    expect(t).toContain("汪建国强调：");
    expect(cleanNotes("曾庆华：好，我讲几点吧。一季度投诉较多。").text).not.toContain("我讲几点");
  });

  it("reads a chat-group relay: sender lines, acknowledgements and the 转发 header go, the date and the group's bureau stay", () => {
    const t = cleanNotes(
      "【转发】丽水市局工作群\n叶晓敏 11-18 09:12\n@所有人 今天上午 市局召开调度会\n蓝海涛 11-18 09:16\n收到👌\n叶晓敏 11-18 09:17\n余局（余建平）补充：下周起开展督导",
    ).text;
    expect(t).toContain("主办：丽水市局");
    expect(t).toContain("时间：11月18日");
    expect(t).not.toMatch(/09:1|收到|转发|@/);
    expect(t).toContain("余建平补充：下周起开展督导");
    // senders on the message's own line, a reply that acknowledges and promises
    const u = cleanNotes(
      "叶晓敏 11-18 09:12 今天上午市局召开调度会\n蓝海涛 11-18 09:16 收到，马上落实\n[09:20] 周佳：收到",
    ).text;
    expect(u).toBe("时间：11月18日\n今天上午市局召开调度会");
    // one timestamped line is not a relay
    expect(cleanNotes("叶晓敏 11-18 09:12\n会议：周例会").text).toContain("叶晓敏");
  });

  it("reads a host's running order: the host's talk goes, each item and the host's request stay", () => {
    const t = cleanNotes(
      "某市邮政管理局安全部署会主持词（姜红副局长用）\n同志们：\n今天我们召开安全部署会。出席今天会议的有局长范志诚。\n会议有两项议程。\n下面进行第一项，请市场监管科科长祁晓东同志通报检查情况。\n下面进行第二项，请范志诚局长讲话。\n同志们，刚才范局长作了重要讲话，希望大家认真抓好落实。会后请各单位于11月10日前报送方案。\n散会。",
    ).text;
    expect(t).toContain("主办：某市邮政管理局");
    expect(t).toContain("会议：安全部署会");
    expect(t).toContain("主持：副局长姜红");
    expect(t).toContain("出席：局长范志诚");
    expect(t).toContain("市场监管科科长祁晓东通报检查情况");
    expect(t).toContain("姜红要求：会后各单位于11月10日前报送方案");
    expect(t).not.toMatch(/同志们|议程|下面进行|刚才|散会|今天我们/);
  });

  it("reads a host's script that calls each item with 首先/接下来/最后，请…", () => {
    const t = cleanNotes(
      "主持：副局长姜红\n首先，请市场监管科科长祁晓东通报检查情况。\n接下来，请范志诚局长讲话，大家欢迎。\n最后，请各单位于11月10日前报送方案。",
    ).text;
    expect(t).toContain("市场监管科科长祁晓东通报检查情况");
    expect(t).toContain("姜红要求：各单位于11月10日前报送方案");
    expect(t).not.toMatch(/首先|接下来|欢迎/);
  });

  it("reads a paper's heading as its organiser and meeting", () => {
    const t = cleanNotes("南宁市邮政管理局2025年第三季度安全形势分析会会议纪要\n\n9月26日下午，召开分析会。").text;
    expect(t).toContain("主办：南宁市邮政管理局");
    expect(t).toContain("会议：2025年第三季度安全形势分析会");
  });

  it("drops talk about the talking, tag questions and a question the speaker answers", () => {
    const t = cleanNotes(
      "程国华：好，我讲几点。为什么要开这个会？因为末端是群众感受最直接的地方，对吧。\n最后说一下时间，4月30日前报上来。\n卞强：我简单说一下情况啊。一季度受理了九百一十五件。",
    ).text;
    expect(t).toContain("末端是群众感受最直接的地方");
    expect(t).not.toMatch(/为什么|因为|对吧|说一下/);
    expect(t).toContain("4月30日前报上来");
    expect(t).toContain("915件");
  });

  it("writes a count of tens with its unit in figures, and names one who reported with their post", () => {
    expect(cleanNotes("韩卫东：嗯，汛期二十四小时都得有人，三十多人值班。").text).toContain(
      "汛期24小时都得有人，30多人值班",
    );
    expect(cleanNotes("韩卫东：嗯，讲第十九次会议精神。").text).toContain("第十九次");
    const t = cleanNotes(
      "副局长邹丽主持，局长程国华讲话，市场监管科科长卞强通报情况。\n\n卞强：我简单说一下情况啊。一季度受理了九百一十五件。\n\n程国华：第一个，就是备案，要摸清底数。",
    ).text;
    expect(t).toContain("市场监管科科长卞强通报：一季度受理了915件");
  });
});
