/** Metadata and chunking on the real corpus: corpus/ (bulletins) and ../shared/corpus (regulations). */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { chunkDocument } from "../src/ingest/chunk.js";
import { discoverFiles } from "../src/ingest/discover.js";
import { loadDocument } from "../src/ingest/load-document.js";
import type { Chunk, ParsedDocument } from "../src/ingest/types.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MAIN_CORPUS = join(repo, "corpus");
const SHARED_CORPUS = resolve(repo, "../shared/corpus");
const B2014 = "2014-08-27 劉君副局長督導檢查亞歐博覽會郵路安保工作";
const B2015 = "2015-09-30 國家郵政局召開抗戰勝利70周年紀念活動寄遞渠道安全服務保障工作總結電視電話會議";

const docs = new Map<string, { doc: ParsedDocument; chunks: Chunk[] }>();

beforeAll(async () => {
  for (const root of [MAIN_CORPUS, SHARED_CORPUS]) {
    for (const f of await discoverFiles(root)) {
      const doc = await loadDocument(f, { root });
      docs.set(`${root === MAIN_CORPUS ? "main" : "shared"}:${doc.meta.id}`, { doc, chunks: chunkDocument(doc) });
    }
  }
});

const get = (key: string) => {
  const d = docs.get(key);
  if (!d) throw new Error(`corpus document ${key} not loaded; have: ${[...docs.keys()].join(", ")}`);
  return d;
};

describe("the real corpus", () => {
  it("is where the tests expect it", () => {
    expect(existsSync(join(MAIN_CORPUS, `${B2014}.txt`))).toBe(true);
    expect(existsSync(join(SHARED_CORPUS, "regulations", "快递暂行条例.md"))).toBe(true);
    // 2 bulletins in corpus/, 2 bulletins + 11 regulations in shared/corpus (SOURCES.tsv is not a document).
    expect(docs.size).toBe(15);
  });

  it("bulletins: date from 發布時間, kind bulletin, simplified title without the ? artefact", () => {
    for (const prefix of ["main:", "shared:bulletins/"]) {
      const a = get(prefix + B2014).doc.meta;
      expect(a).toMatchObject({
        title: "刘君副局长督导检查亚欧博览会邮路安保工作",
        date: "2014-08-27",
        kind: "bulletin",
        source: "国家邮政局",
      });
      const b = get(prefix + B2015).doc.meta;
      expect(b.date).toBe("2015-09-30");
      expect(b.kind).toBe("bulletin");
      expect(b.title.startsWith("国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议")).toBe(
        true,
      );
      expect(b.title).not.toMatch(/[?(]|diào/);
    }
  });

  it("bulletin text is normalised: no pinyin, no chrome, simplified", () => {
    for (const key of [`main:${B2014}`, `main:${B2015}`]) {
      const { doc, chunks } = get(key);
      expect(doc.text).not.toMatch(/\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]+\)/);
      expect(doc.text).not.toMatch(/点击数|发布时间|图为/);
      for (const c of chunks) {
        expect(c.text).not.toMatch(/[郵發時間點擊]/);
        expect(c.text).not.toContain("本文来源");
      }
    }
    // The original keeps what was published.
    expect(get(`main:${B2014}`).doc.original).toContain("戰(zhàn)略");
  });

  it("regulations: kind regulation, title from the # heading, date from the header", () => {
    const expected: Record<string, string | null> = {
      快递暂行条例: "2018-03-02",
      中华人民共和国邮政法: "2015-04-24",
      中华人民共和国邮政法实施细则: "1990-11-12",
      北京市邮政通信条例: "1994-07-22",
    };
    for (const [name, date] of Object.entries(expected)) {
      const m = get(`shared:regulations/${name}`).doc.meta;
      expect(m).toMatchObject({ id: `regulations/${name}`, title: name, kind: "regulation", date });
    }
    for (const [key, { doc }] of docs)
      if (key.startsWith("shared:regulations/")) expect(doc.meta.kind).toBe("regulation");
  });

  it("快递暂行条例 第十八条 is one chunk, with its chapter", () => {
    const { chunks } = get("shared:regulations/快递暂行条例");
    const art = chunks.filter((c) => c.section === "第十八条");
    expect(art).toHaveLength(1);
    expect(art[0]).toMatchObject({
      id: `regulations/快递暂行条例#${art[0]!.ordinal}`,
      chapter: "第三章 经营主体",
      lead: null,
    });
    expect(art[0]!.text).toMatch(/^第十八条 经营快递业务的企业及其分支机构可以根据业务需要开办快递末端网点/);
    expect(art[0]!.text).toContain("快递末端网点无需办理营业执照。");
    // Every article is one chunk, in order, none missing.
    const sections = chunks.filter((c) => c.section !== null).map((c) => c.section);
    expect(sections).toHaveLength(48);
    expect(new Set(sections).size).toBe(48);
    expect(sections[0]).toBe("第一条");
    expect(sections.at(-1)).toBe("第四十八条");
    // The promulgation header is the one preamble chunk.
    expect(chunks[0]).toMatchObject({
      section: null,
      chapter: null,
      text: "2018年3月2日 中华人民共和国国务院令第697号公布",
    });
  });

  it("articles keep their enumerated items: 第二十二条 (一)(二)(三) stay inside the article", () => {
    const { chunks } = get("shared:regulations/快递暂行条例");
    const items = chunks.filter((c) => /^[(（][一二三][)）]/.test(c.text));
    expect(items).toHaveLength(0);
    expect(
      chunks.some((c) => c.section?.endsWith("条") && c.text.includes("(二)收件人姓名(名称)、地址、联系电话")),
    ).toBe(true);
  });

  it("2014 bulletin: 一是…四是 are separate chunks with their lead; the inline 一要…三要 too", () => {
    const { chunks } = get(`main:${B2014}`);
    const shi = chunks.filter((c) => /^[一二三四]是/.test(c.text));
    expect(shi.map((c) => c.section)).toEqual(["一", "二", "三", "四"]);
    for (const c of shi) expect(c.lead).toBe("刘君强调下一步要做好四个方面的工作:");
    expect(shi[0]!.text).toMatch(/^一是提高思想认识/);
    expect(shi[3]!.text).toMatch(/每日“零报告”制度。$/);

    const yao = chunks.filter((c) => c.lead === "针对下一步的工作,他强调指出,");
    expect(yao.map((c) => c.section)).toEqual(["一", "二", "三"]);
    expect(yao[0]!.text).toMatch(/^针对下一步的工作,他强调指出,一要从全局和战略的高度/);
    expect(yao[1]!.text).toMatch(/^二要因地制宜尽职履责/);
    expect(yao[2]!.text).toMatch(/^三要加强干部队伍建设.*作出应有的贡献。$/);
    // The sentences before the inline list are their own paragraph chunk.
    const before = chunks[chunks.indexOf(yao[0]!) - 1]!;
    expect(before.section).toMatch(/^¶\d+$/);
    expect(before.text).toMatch(/^在此之前,8月23日.*取得的工作成绩。$/);
    // Headline is not a body chunk; ids are docId#ordinal, 1-based.
    expect(chunks[0]!.text).toMatch(/^8月25日/);
    chunks.forEach((c, i) => {
      expect(c.id).toBe(`${B2014}#${i + 1}`);
    });
  });

  it("2015 bulletin: 一要/二要/三要 are points led by 马军胜要求…", () => {
    const { chunks } = get(`main:${B2015}`);
    const points = chunks.filter((c) => c.section !== null && !c.section.startsWith("¶"));
    expect(points.map((c) => c.section)).toEqual(["一", "二", "三"]);
    for (const p of points) expect(p.lead).toMatch(/^马军胜要求,各级邮政管理部门要坚决落实/);
  });

  it("no chunk anywhere ends mid-sentence or exceeds the size limit by much", () => {
    for (const [key, { chunks }] of docs) {
      expect(chunks.length, key).toBeGreaterThan(0);
      for (const c of chunks) {
        const header = c.section === null && /^\d{4}年/.test(c.text);
        if (!header) expect(c.text, `${c.id}`).toMatch(/[。！？；!?：:”」）)]$/);
        expect(c.text.length, c.id).toBeLessThanOrEqual(3000);
        expect(c.original.length).toBeGreaterThan(0);
      }
    }
  });
});
