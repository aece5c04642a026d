/** Notice-level conventions (src/assistant/extract/timex/CONVENTIONS.md, "In notices"), on notices written for these tests. */
import { describe, expect, it } from "vitest";
import { extractFromText } from "./extract.js";

const notice = (body: string, date = "2024年5月10日") =>
  `某省邮政管理局关于做好有关工作的通知\n\n各市邮政管理局，各寄递企业：\n\n${body}\n\n某省邮政管理局\n${date}\n`;
const deadlines = (text: string, ref?: string) =>
  extractFromText(text, { today: "2000-01-01", ...(ref ? { ref } : {}) }).deadlines.map((d) => ({
    end: d.end?.slice(0, 10) ?? null,
    owner: d.owner,
    item: d.item,
  }));

describe("deadlines in notices", () => {
  it("two deadlines in one sentence, each with its own action", () => {
    const d = deadlines(notice("一、各市局于5月20日前完成辖区排查，5月31日前将排查报告报省局。"));
    expect(d.map((x) => x.end)).toEqual(["2024-05-20", "2024-05-31"]);
    expect(d[1]!.item).toContain("排查报告");
    expect(d.every((x) => x.owner === "各市局")).toBe(true);
  });

  it("the owner changes between clauses", () => {
    const d = deadlines(notice("一、各市局要于5月24日前完成方案备案，各寄递企业要于6月5日前完成人员培训。"));
    expect(d).toEqual([
      expect.objectContaining({ end: "2024-05-24", owner: "各市局" }),
      expect.objectContaining({ end: "2024-06-05", owner: "各寄递企业" }),
    ]);
  });

  it("并 + a deadline of its own is a second item", () => {
    const d = deadlines(
      notice("一、假期（6月8日至6月10日）期间，各寄递企业要保障网点正常营业，并于节后3个工作日内报送营业情况。"),
    );
    expect(d.map((x) => x.end)).toEqual(["2024-06-10", "2024-06-13"]);
  });

  it("headings, the holiday arrangement and last year's event are no deadlines", () => {
    const d = deadlines(
      notice(
        "端午节放假时间为6月8日至10日。2023年活动于6月30日结束后，部分单位报送不及时。省局决定于2024年5月20日至6月20日开展寄递服务提升活动。\n三、实行每日报告\n活动期间，各市局每日17时前报送进展。\n四、各市局于活动结束后5个工作日内报送总结。",
      ),
    );
    expect(d.map((x) => x.end)).toEqual(["2024-06-20", "2024-05-20", "2024-06-27"]);
  });

  it("a bare 每周 is a frequency, 每周五前 a deadline from the period's start", () => {
    const d = deadlines(notice("一、各寄递企业每周开展一次安全巡查。\n二、自5月20日起，各市局每周五前报送检查进展。"));
    expect(d).toEqual([expect.objectContaining({ end: "2024-05-24", owner: "各市局" })]);
  });

  it("a December notice's January dates are next year's", () => {
    const d = deadlines(notice("一、各市局于1月15日前报送年度总结。", "2024年12月18日"));
    expect(d.map((x) => x.end)).toEqual(["2025-01-15"]);
  });

  it("an undated notice takes its period from the title", () => {
    const r = extractFromText(
      "关于报送2024年第四季度安全检查情况的通知\n\n各市邮政管理局：\n\n一、各市局于10月15日前报送检查计划。\n二、各市局于季度末前完成全部检查。\n\n某省邮政管理局办公室\n",
      { today: "2000-01-01" },
    );
    expect(r.ref).toBe("2024-10-01");
    expect(r.deadlines.map((x) => x.end)).toEqual(["2024-10-15", "2024-12-31"]);
    expect(r.warnings?.[0]).toMatch(/period its title names/);
  });
});
