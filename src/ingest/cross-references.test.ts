import { describe, expect, it } from "vitest";
import type { Chunk } from "./types.js";
import { linkCrossReferences, referencedSections } from "./cross-references.js";

const art = (ordinal: number, section: string, text: string): Chunk => ({
  id: `d#${ordinal}`,
  docId: "d",
  ordinal,
  section,
  chapter: null,
  lead: null,
  text,
  original: text,
});

describe("cross-references", () => {
  it("finds the articles of the same regulation a text refers to", () => {
    expect(referencedSections("违反本条例第三十四条规定的，由邮政管理部门责令改正")).toEqual(["第三十四条"]);
    expect(referencedSections("违反本条例第十条、第十二条、第十三条规定，未按照规定设置")).toEqual([
      "第十条",
      "第十二条",
      "第十三条",
    ]);
    expect(referencedSections("违反本条例第二十九条第一、二、五、六项规定的")).toEqual(["第二十九条"]);
    expect(referencedSections("违反本法第五十一条第二款的规定")).toEqual(["第五十一条"]);
    expect(referencedSections("依照第三十条的规定处理")).toEqual(["第三十条"]);
  });

  it("ignores other laws, the article itself and bare numbers that are no reference", () => {
    expect(referencedSections("依照《中华人民共和国邮政法》第七十二条的规定处罚")).toEqual([]);
    expect(referencedSections("本条例第五条所称", "第五条")).toEqual([]);
    expect(referencedSections("第三条 本法所称恐怖主义")).toEqual([]);
  });

  it("gives a penalty article its duty's text and the duty article its penalty's section", () => {
    const duty = art(1, "第三十四条", "经营快递业务的企业应当建立快递运单及电子数据管理制度");
    const penalty = art(2, "第四十四条", "违反本条例第三十四条规定的，处1万元以下的罚款");
    const other = art(3, "第四十五条", "本条例自公布之日起施行");
    const [d, p, o] = linkCrossReferences([duty, penalty, other]);
    expect(p!.related).toContain("快递运单及电子数据管理制度");
    expect(p!.refs).toEqual({ cites: ["第三十四条"], citedBy: [] });
    expect(d!.refs).toEqual({ cites: [], citedBy: ["第四十四条"] });
    expect(d!.related).toBeUndefined();
    expect(o).toBe(other);
  });
});
