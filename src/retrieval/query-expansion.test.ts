import { describe, expect, it } from "vitest";
import { BIGRAM_PREFIX } from "../index/tokenize.js";
import { keywordQuery } from "./keyword-retriever.js";
import { alternativesOf, expandQuery, parseThesaurus, thesaurus } from "./query-expansion.js";

describe("query expansion (thesaurus.tsv)", () => {
  it("reads the project's thesaurus: both kinds, every row with statute terms", () => {
    const rows = thesaurus();
    expect(rows.some((r) => r.kind === "form")).toBe(true);
    expect(rows.some((r) => r.kind === "term")).toBe(true);
    expect(rows.every((r) => r.everyday.length > 0 && r.statute.length > 0 && r.weight >= 0)).toBe(true);
  });

  it("rejects a malformed row, naming the line", () => {
    expect(() => parseThesaurus("# c\nterm\t快递柜\n", "t.tsv")).toThrow(/t\.tsv:2/);
    expect(() => parseThesaurus("word\ta\tb\n")).toThrow(/:1:/);
    expect(parseThesaurus("form\t几天|多久\t日内\t0.5\n")).toEqual([
      { kind: "form", everyday: ["几天", "多久"], statute: ["日内"], weight: 0.5 },
    ]);
  });

  it("adds the statutory form of what a question word asks for", () => {
    expect(expandQuery("快递公司停业要提前几天公告").terms).toEqual(expect.arrayContaining(["日内", "停止经营"]));
    expect(expandQuery("私拆邮件罚多少").terms).toEqual(expect.arrayContaining(["罚款", "私自开拆"]));
    expect(expandQuery("什么叫给据邮件").terms).toEqual(expect.arrayContaining(["是指"]));
  });

  it("maps colloquial words to the regulations' wording, never repeating the query's own words", () => {
    expect(expandQuery("快递小哥能不能把快件放进快递柜").terms).toEqual(
      expect.arrayContaining(["快递从业人员", "智能快件箱"]),
    );
    expect(expandQuery("罚款").terms).not.toContain("罚款");
    expect(expandQuery("第十八条 邮政普遍服务").terms).toEqual([]);
  });

  it("limits expansion to the kinds asked for and keeps each term's highest weight", () => {
    const rows = parseThesaurus("term\t柜子\t智能快件箱\t0.5\nterm\t快递柜\t智能快件箱\t0.8\nform\t几天\t日内\n");
    expect(expandQuery("快递柜子放几天", { rows }).weighted).toEqual([
      { term: "智能快件箱", weight: 0.8 },
      { term: "日内", weight: 1 },
    ]);
    expect(expandQuery("快递柜子放几天", { rows, kinds: ["form"] }).terms).toEqual(["日内"]);
  });

  it("gives ask's term coverage the statute wordings of a term (alone or inside an everyday phrase of the question)", () => {
    const rows = parseThesaurus("term\t快递小哥|快递员\t快递从业人员\nform\t几天\t日内\n");
    expect(alternativesOf("快递员", "", rows)).toEqual(["快递从业人员"]);
    expect(alternativesOf("小哥", "快递小哥撞了人", rows)).toEqual(["快递从业人员"]);
    expect(alternativesOf("小哥", "隔壁小哥", rows)).toEqual([]);
    expect(alternativesOf("几天", "几天", rows)).toEqual([]);
  });

  it("weights expansion terms below the user's words, and can be switched off", () => {
    const q = keywordQuery("邮筒", { expansionWeight: 0.5, bigramWeight: 0.5 });
    expect(q.get("邮筒")).toBe(1);
    expect(q.get(`${BIGRAM_PREFIX}邮筒`)).toBe(0.5);
    expect(q.get("信筒")).toBe(0.5);
    expect(keywordQuery("邮筒", { expansionWeight: 0 }).has("信筒")).toBe(false);
  });

  it("applies a row only in the sense its context column names (required strings, !excluded ones)", () => {
    const rows = parseThesaurus("term\t拆了|拆开\t私自开拆\t\t!邮筒|!信报箱\nterm\t拆了\t擅自拆除\t0.8\t邮筒|信报箱\n");
    expect(rows[0]).toMatchObject({ weight: 1, excludes: ["邮筒", "信报箱"] });
    expect(rows[1]).toMatchObject({ weight: 0.8, requires: ["邮筒", "信报箱"] });
    expect(expandQuery("快递被人拆了", { rows }).terms).toEqual(["私自开拆"]);
    expect(expandQuery("修路把邮筒给拆了", { rows }).terms).toEqual(["擅自拆除"]);
    expect(alternativesOf("拆了", "修路把邮筒给拆了", rows)).toEqual(["擅自拆除"]);
    expect(alternativesOf("拆了", "包裹被拆了", rows)).toEqual(["私自开拆"]);
    expect(() => parseThesaurus("term\t拆了\t拆除\t\t!\n")).toThrow(/:1:/);
  });

  it("the project's thesaurus reads 拆了 of a post box as removal, of a parcel as opening", () => {
    expect(expandQuery("信阳修路把邮筒给拆了").terms).toContain("擅自拆除");
    expect(expandQuery("信阳修路把邮筒给拆了").terms).not.toContain("私自开拆");
    expect(expandQuery("我的包裹被人拆了").terms).toContain("私自开拆");
  });
});
