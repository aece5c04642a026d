import { describe, expect, it } from "vitest";
import { cleanNotes, houseFigures } from "./clean-notes.js";

describe("cleanNotes: notes of any form → one plain form", () => {
  it("resolves shorthand the notes define, and bare shorthand of the one person with that surname", () => {
    const t = cleanNotes("- 主持：陈副（陈海燕）\n- 林局（林国栋）讲话\n👉 林局要求：\n- 陈副补充：下周上会\n王晓燕副局长主持，王局要求各企业报送。").text;
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
    const t = cleanNotes("冯德宽：嗯，各位，那个，去年日均投递量是大概……1260万件，对，1260万件，比前年多了百分之十一点五。\n呃，第一个事儿，就是，网点不能关。\n第二个，要发补贴。\n好，我就讲这些。").text;
    expect(t).toContain("冯德宽指出：去年日均投递量约1260万件，比前年增长11.5%。");
    expect(t).toContain("冯德宽强调：\n一是网点不能关。\n二是要发补贴。");
    expect(t).not.toMatch(/嗯|呃|那个|我就讲这些|……/);
  });

  it("puts +/- figures, table rows and dashes in house form", () => {
    expect(houseFigures("同比+15.2%，环比 -8%")).toBe("同比增长15.2%，环比下降8%");
    const t = cleanNotes("| 项目 | 本季度 | 同比 |\n|---|---|---|\n| 快递业务量 | 3.82亿件 | +21.4% |\n| 执法检查 | 436家次 | — |\n末端网点 —— 本周内清一遍").text;
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
});
