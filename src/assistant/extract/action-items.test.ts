/** Action items, owners, issue-date detection and the done-when notice (test/fixtures/extract/all-forms.txt). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractFromText } from "./extract.js";
import { findIssueDate, parseNotice } from "./notice.js";
import { findSubject } from "./action-items.js";
import { InputError } from "../../errors.js";

const today = "2030-01-01";
const notice = (body: string, date = "2024年10月12日") =>
  `关于做好某项工作的通知\n\n各市邮政管理局，各寄递企业：\n\n${body}\n\n联系人：张三，电话：010-12345678，邮箱：a@example.cn\n\n某省邮政管理局\n${date}\n`;

describe("issue date (ref)", () => {
  it("takes the signature date", () =>
    expect(extractFromText(notice("一、各企业要于11月30日前报送。"), { today }).ref).toBe("2024-10-12"));
  it("reads a signature date in Chinese numerals", () =>
    expect(findIssueDate("通知\n\n某局\n二〇二三年十二月二十日")).toBe("2023-12-20"));
  it("reads 发布时间", () => expect(findIssueDate("标题\n发布时间:2014-08-27\n正文")).toBe("2014-08-27"));
  it("prefers --ref", () =>
    expect(extractFromText(notice("一、各企业要于1月5日前报送。"), { today, ref: "2023-12-20" }).times[0]!.end).toBe(
      "2024-01-05",
    ));
  it("falls back to today and says so", () => {
    const r = extractFromText("请各单位于11月30日前报送。", { today: "2024-10-01" });
    expect(r.ref).toBe("2024-10-01");
    expect(r.warnings?.[0]).toMatch(/--ref/);
  });
  it("rejects a malformed --ref with a clear error", () => {
    expect(() => extractFromText("x", { today, ref: "2024-13-40" })).toThrow(InputError);
    expect(() => extractFromText("x", { today, ref: "2024/10/12" })).toThrow(/YYYY-MM-DD/);
  });
});

describe("notice structure", () => {
  it("finds the title and the addressees", () => {
    const p = parseNotice(notice("一、各企业要于11月30日前报送。"));
    expect(p.title).toBe("关于做好某项工作的通知");
    expect(p.addressees).toBe("各市邮政管理局、各寄递企业");
  });
  it("leaves contact lines and the signature out of the body", () => {
    const p = parseNotice(notice("一、各企业要于11月30日前报送。"));
    expect(p.body.map((l) => l.text)).toEqual(["一、各企业要于11月30日前报送。"]);
  });
});

describe("owners", () => {
  it.each([
    ["各寄递企业要于11月30日前报送总结。", "各寄递企业"],
    ["市局将于11月5日组织检查。", "市局"],
    ["请各单位于下周五前报送名单。", "各单位"],
    ["11月30日前，各市邮政管理局要完成检查。", "各市邮政管理局"],
    ["各市（州）邮政管理局要在节后报送总结。", "各市（州）邮政管理局"],
    ["假期期间各寄递企业要保持网络正常运行。", "各寄递企业"],
    ["安全监督科须于二季度末前完成评估。", "安全监督科"],
    ["要高度重视安全生产工作。", null],
  ])("%s → %s", (text, owner) => expect(findSubject(text)).toBe(owner));

  it("defaults to the header addressees and lets an item's own subject override them", () => {
    const r = extractFromText(notice("一、要于11月30日前报送工作总结。\n二、市局将于12月5日开展督导检查。"), { today });
    expect(r.actions.map((a) => [a.owner, a.action])).toEqual([
      ["各市邮政管理局、各寄递企业", "报送工作总结"],
      ["市局", "开展督导检查"],
    ]);
  });

  it("keeps the point's owner for the following sentences of that point", () => {
    const r = extractFromText(notice("一、各寄递企业要于11月15日前完成自查。同时须于11月30日前报送自查报告。"), {
      today,
    });
    expect(r.actions.map((a) => a.owner)).toEqual(["各寄递企业", "各寄递企业"]);
  });
});

describe("what is and is not an action item", () => {
  it("ignores background, lead-in, contact and signature lines", () => {
    const r = extractFromText(
      notice(
        "2023年，全省快递业务量增长20%，部分企业存在报送不及时的问题。为做好相关工作，现将有关事项通知如下：\n一、各企业要于11月30日前报送总结。",
      ),
      { today },
    );
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]!.action).toBe("报送总结");
    expect(r.actions.some((a) => /联系人|邮政管理局$/.test(a.text))).toBe(false);
  });
  it("splits one sentence with two deadlines into two items", () => {
    const r = extractFromText(notice("一、各寄递企业要于10月25日前完成准备，11月30日前将总结报送市局。"), { today });
    expect(r.deadlines.map((d) => [d.end, d.item])).toEqual([
      ["2024-10-25", "完成准备"],
      ["2024-11-30", "将总结报送市局"],
    ]);
  });
  it("does not take a cut-off (截至) or a document title year as a deadline", () => {
    const r = extractFromText(
      notice("现将《2025年工作要点》印发给你们，请认真贯彻落实。\n一、各企业要在10日内报送情况，数据截至9月30日。"),
      { today },
    );
    expect(r.deadlines.map((d) => d.end)).toEqual(["2024-10-22"]);
  });
  it("bounds a daily report by the period it belongs to", () => {
    const r = extractFromText(notice("一、春节假期期间，各寄递企业须每日17时前报送值班情况。", "2023年12月20日"), {
      today,
    });
    expect(r.deadlines[0]).toMatchObject({ end: "2024-02-10T17:00", kind: "recurring" });
    expect(r.deadlines[0]!.recurrence).toMatch(/^FREQ=DAILY;UNTIL=20240217$/);
  });
  it("gives items without their own deadline the period stated in their point", () => {
    const r = extractFromText(notice("二、集中整治阶段（11月中旬至12月中旬）。各寄递企业要全面开展隐患排查。"), {
      today,
    });
    expect(r.actions[0]!.deadline).toEqual({ start: "2024-11-11", end: "2024-12-20" });
  });
});

describe("the done-when notice (every listed form)", () => {
  const text = readFileSync(new URL("../../../test/fixtures/extract/all-forms.txt", import.meta.url), "utf8");
  const r = extractFromText(text, { today });
  it("finds the issue date in the signature", () => expect(r.ref).toBe("2024-10-12"));
  it("extracts every deadline, correctly resolved", () => {
    expect(r.deadlines.map((d) => [d.owner, d.item, d.kind, d.start, d.end])).toEqual([
      ["各寄递企业", "报送前一日业务量数据", "recurring", "2024-10-12T17:00", "2024-10-12T17:00"],
      ["各寄递企业", "完成旺季运力和人员准备", "before", null, "2024-10-25"],
      ["各寄递企业", "将旺季工作总结报送市局", "before", null, "2024-11-30"],
      ["各市邮政管理局", "完成辖区内分拨中心安全检查", "within", "2024-10-12", "2024-11-01"],
      ["市局", "召开旺季工作推进会", "point", "2024-11-09", "2024-11-09"],
      ["各市局", "报送落实情况", "within", "2024-11-09", "2024-11-15"],
      ["各寄递企业", "报送上月投诉处理情况", "recurring", "2024-11-05", "2024-11-05"],
      ["各单位", "将联络员名单报市局办公室", "before", null, "2024-10-18T15:00"],
      ["各寄递企业", "完成安检机升级改造", "within", "2024-10-12", "2024-12-11"],
      ["各寄递企业", "全面落实实名收寄制度", "before", null, "2024-12-31"],
      ["各企业", "整改到位", "before", null, "2025-06-30"],
    ]);
  });
  it("keeps the other times (background, ranges) in `times`", () => {
    const other = r.times.map((t) => [t.text, t.start, t.end, t.kind]);
    expect(other).toContainEqual(["自11月1日至11月20日", "2024-11-01", "2024-11-20", "span"]);
    expect(other).toContainEqual(["即日起至12月31日", "2024-10-12", "2024-12-31", "span"]);
    expect(other).toContainEqual(["2019年4月12-19日", "2019-04-12", "2019-04-19", "span"]);
    expect(other).toContainEqual(["2018年1-9月份", "2018-01-01", "2018-09-30", "span"]);
  });
  it("makes no action of the contact line or the signature", () => {
    expect(r.actions.map((a) => a.text).join("\n")).not.toMatch(/联系人|电话|某某市邮政管理局$/);
    expect(r.actions).toHaveLength(11);
  });
});
