import { describe, expect, it } from "vitest";
import { ART29, BUL3, HENAN44, hit } from "../../../test/ask-fixtures.js";
import { formatSources, normaliseMarks, renumber, validateAndRepair } from "./llm-answer.js";

const sources = [hit(HENAN44), hit(ART29), hit(BUL3)];

describe("normaliseMarks", () => {
  it("turns full-width, list and comma marks into [n][m]", () => {
    expect(normaliseMarks("甲［1］乙【2】丙[1, 3]丁[2、3]")).toBe("甲[1]乙[2]丙[1][3]丁[2][3]");
  });
});

describe("formatSources", () => {
  it("numbers the sources from 1 with title and article", () => {
    const s = formatSources(sources);
    expect(s.startsWith('<资料 编号="1">\n[1] 《河南省邮政条例》第四十四条')).toBe(true);
    expect(s.match(/\n<\/资料>/g)).toHaveLength(3); // each source fenced as data
    expect(s).toContain("[2] 《快递暂行条例》第二十九条（2018-03-02）");
    expect(s).toContain("[3] 《");
  });
});

describe("validateAndRepair", () => {
  it("keeps valid citations", () => {
    expect(validateAndRepair("应当提前10日向社会公告[2]。", sources)).toEqual({
      answer: "应当提前10日向社会公告[2]。",
      warnings: [],
    });
  });
  it("removes a citation to a source not given and re-attributes the sentence", () => {
    const r = validateAndRepair("经营快递业务的企业停止经营的，应当提前10日向社会公告[7]。", sources)!;
    expect(r.answer).toBe("经营快递业务的企业停止经营的，应当提前10日向社会公告[2]。");
    expect(r.warnings.join(" ")).toMatch(/\[7\]/);
  });
  it("rejects a sentence no source supports", () => {
    expect(validateAndRepair("快递企业停业需提前三十天报国务院批准[9]。", sources)).toBeNull();
    expect(validateAndRepair("这个要看具体情况。", sources)).toBeNull();
  });
  it("rejects an empty answer", () => {
    expect(validateAndRepair("   ", sources)).toBeNull();
  });
});

describe("renumber", () => {
  it("numbers citations by first use and quotes the closest sentence as published", () => {
    const { answer, citations } = renumber("进京邮件落实了“三个100%”措施[3]。停止经营的应当提前10日公告[2]。", sources);
    expect(answer).toBe("进京邮件落实了“三个100%”措施[1]。停止经营的应当提前10日公告[2]。");
    expect(citations.map((c) => [c.n, c.title])).toEqual([
      [1, BUL3 && "国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议"],
      [2, "快递暂行条例"],
    ]);
    expect(citations[0]!.quote).toContain("三個100%");
    expect(citations[1]!.quote).toContain("提前10日向社会公告");
  });
});
