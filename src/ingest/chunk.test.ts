import { describe, expect, it } from "vitest";
import { chunkDocument, MAX_CHUNK_CHARS, splitSentences, toChineseNumeral } from "./chunk.js";
import { normalizeText } from "./normalize.js";
import type { DocKind, ParsedDocument } from "./types.js";

function doc(original: string, kind: DocKind, title = "标题"): ParsedDocument {
  return {
    meta: { id: "t/doc", title, date: null, kind, path: "t/doc.txt" },
    original,
    text: normalizeText(original),
  };
}

describe("splitSentences", () => {
  it("splits at 。！？；!? and keeps closing quotes with their sentence", () => {
    expect(splitSentences("他说：“好。”然后走了！真的吗？是的；好!ok?尾巴")).toEqual([
      "他说：“好。”",
      "然后走了！",
      "真的吗？",
      "是的；",
      "好!",
      "ok?",
      "尾巴",
    ]);
  });
  it("is lossless", () => {
    const s = "一是甲。二是乙；三是丙,没有句号";
    expect(splitSentences(s).join("")).toBe(s);
  });
});

describe("toChineseNumeral", () => {
  it("converts small numbers", () => {
    expect([1, 9, 10, 11, 20, 23].map(toChineseNumeral)).toEqual(["一", "九", "十", "十一", "二十", "二十三"]);
  });
});

describe("chunkDocument: notices and bulletins", () => {
  it("splits heading points, merges a heading-only line with its paragraph, handles (一) sub-points", () => {
    const text = [
      "关于做好春节期间寄递渠道安全工作的通知",
      "各省、自治区、直辖市邮政管理局：",
      "为做好春节期间寄递渠道安全工作，现就有关事项通知如下：",
      "一、总体要求",
      "坚持安全第一，确保寄递渠道安全畅通。",
      "二、重点任务",
      "(一)严格落实收寄验视制度。",
      "(二)加强安全检查。",
      "三、工作要求",
      "请于2025年1月10日前报送工作情况。",
      "国家邮政局办公室",
      "2024年12月20日",
    ].join("\n");
    const chunks = chunkDocument(doc(text, "notice", "关于做好春节期间寄递渠道安全工作的通知"));
    expect(chunks.map((c) => [c.section, c.lead, c.text])).toEqual([
      ["¶1", null, "各省、自治区、直辖市邮政管理局："],
      ["¶2", null, "为做好春节期间寄递渠道安全工作，现就有关事项通知如下："],
      [
        "一",
        "为做好春节期间寄递渠道安全工作，现就有关事项通知如下：",
        "一、总体要求\n坚持安全第一，确保寄递渠道安全畅通。",
      ],
      ["二", "为做好春节期间寄递渠道安全工作，现就有关事项通知如下：", "二、重点任务"],
      ["一", "二、重点任务", "(一)严格落实收寄验视制度。"],
      ["二", "二、重点任务", "(二)加强安全检查。"],
      [
        "三",
        "为做好春节期间寄递渠道安全工作，现就有关事项通知如下：",
        "三、工作要求\n请于2025年1月10日前报送工作情况。",
      ],
      ["¶10", null, "国家邮政局办公室"],
      ["¶11", null, "2024年12月20日"],
    ]);
    chunks.forEach((c, i) => {
      expect(c.id).toBe(`t/doc#${i + 1}`);
    });
  });

  it("splits inline 一是…；二是…；三是… points at sentence boundaries", () => {
    const text = "标题\n会议要求：一是压实责任；二是强化检查；三是做好应急。会议结束。";
    const chunks = chunkDocument(doc(text, "bulletin"));
    expect(chunks.map((c) => [c.section, c.lead, c.text])).toEqual([
      ["一", "会议要求：", "会议要求：一是压实责任；"],
      ["二", "会议要求：", "二是强化检查；"],
      ["三", "会议要求：", "三是做好应急。会议结束。"],
    ]);
  });

  it("handles arabic 1. / 2. points and converts their numerals", () => {
    const chunks = chunkDocument(doc("标题\n具体措施如下：\n1.加强培训。\n2.完善预案。", "notice"));
    expect(chunks.map((c) => [c.section, c.lead])).toEqual([
      ["¶1", null],
      ["一", "具体措施如下："],
      ["二", "具体措施如下："],
    ]);
  });

  it("does not start a list without its second point, nor continue one out of order", () => {
    const chunks = chunkDocument(doc("标题\n一是一，二不是二。\n三是重要的。", "bulletin"));
    expect(chunks.map((c) => c.section)).toEqual(["¶1", "¶2"]);
    const decimal = chunkDocument(doc("标题\n1.5亿件快件。\n2.3亿件邮件。", "bulletin"));
    expect(decimal.map((c) => c.section)).toEqual(["¶1", "¶2"]);
  });

  it("skips the title line only when it is the title, and skips source lines", () => {
    const chunks = chunkDocument(doc("标题\n正文。\n(本文来源:国家邮政局)", "bulletin"));
    expect(chunks.map((c) => c.text)).toEqual(["正文。"]);
    const untitled = chunkDocument(doc("第一段正文。\n第二段。", "bulletin", "别的标题"));
    expect(untitled.map((c) => c.text)).toEqual(["第一段正文。", "第二段。"]);
  });

  it("keeps the published original and normalises the text of every chunk", () => {
    const [c] = chunkDocument(doc("標題\n國家郵政局部署重大戰(zhàn)略。", "bulletin", "标题"));
    expect(c!.original).toBe("國家郵政局部署重大戰(zhàn)略。");
    expect(c!.text).toBe("国家邮政局部署重大战略。");
  });

  it("splits an over-long paragraph at sentence ends, all parts with the same section", () => {
    const sentence = "各级邮政管理部门要加强寄递渠道安全监管，切实落实收寄验视、实名收寄和过机安检制度。";
    const para = sentence.repeat(Math.ceil((MAX_CHUNK_CHARS * 2.5) / sentence.length));
    const chunks = chunkDocument(doc(`标题\n${para}`, "bulletin"));
    expect(chunks.length).toBe(3);
    for (const c of chunks) {
      expect(c.section).toBe("¶1");
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.text.endsWith("。")).toBe(true);
      expect(c.text.startsWith("各级")).toBe(true);
    }
    expect(chunks.map((c) => c.original).join("")).toBe(para);
  });
});

describe("chunkDocument: regulations", () => {
  const reg = [
    "某某条例",
    "2020年1月1日 某某人民代表大会通过",
    "第一章 总则",
    "第一条 为了规范管理，制定本条例。",
    "第二条 本条例适用于：",
    "(一)甲；",
    "(二)乙。",
    "第二章 管理",
    "第一节 一般规定",
    "第三条 第一条规定的事项由某部门负责。",
    "第三条之一 补充规定。",
  ].join("\n");

  it("one chunk per article with its chapter; header lines are the preamble", () => {
    const chunks = chunkDocument(doc(reg, "regulation", "某某条例"));
    expect(chunks.map((c) => [c.section, c.chapter, c.text])).toEqual([
      [null, null, "2020年1月1日 某某人民代表大会通过"],
      ["第一条", "第一章 总则", "第一条 为了规范管理，制定本条例。"],
      ["第二条", "第一章 总则", "第二条 本条例适用于：\n(一)甲；\n(二)乙。"],
      ["第三条", "第二章 管理 第一节 一般规定", "第三条 第一条规定的事项由某部门负责。"],
      ["第三条之一", "第二章 管理 第一节 一般规定", "第三条之一 补充规定。"],
    ]);
  });

  it("splits an over-long article into parts with the same section", () => {
    const sentence = "经营快递业务的企业应当按照规定建立健全安全管理制度，落实安全生产主体责任。";
    const body = sentence.repeat(Math.ceil((MAX_CHUNK_CHARS * 1.5) / sentence.length));
    const chunks = chunkDocument(doc(`某某条例\n第一章 总则\n第一条 ${body}\n第二条 短。`, "regulation", "某某条例"));
    const first = chunks.filter((c) => c.section === "第一条");
    expect(first.length).toBe(2);
    for (const c of first) {
      expect(c.chapter).toBe("第一章 总则");
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.text.endsWith("。")).toBe(true);
    }
    expect(chunks.at(-1)!.section).toBe("第二条");
  });

  it("falls back to paragraphs for a regulation-kind document without articles", () => {
    const chunks = chunkDocument(doc("某某规定\n这是第一段。\n这是第二段。", "regulation", "某某规定"));
    expect(chunks.map((c) => c.section)).toEqual(["¶1", "¶2"]);
  });
});

describe("hard maximum chunk length (issue 13, item 10)", () => {
  it("a 1 MB line without punctuation becomes chunks of at most MAX_CHUNK_CHARS, losing nothing", () => {
    const line = "快递末端网点备案管理工作".repeat(Math.ceil((1 << 20) / 36)); // ~1 MB of UTF-8
    for (const kind of ["bulletin", "regulation", "notice"] as const) {
      const chunks = chunkDocument(doc(`标题\n${line}`, kind));
      expect(chunks.length).toBeGreaterThan(100);
      expect(Math.max(...chunks.map((c) => c.text.length))).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(Math.max(...chunks.map((c) => c.original.length))).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(chunks.map((c) => c.original).join("")).toBe(line);
    }
  });

  it("an over-long sentence is cut at a clause end when one comes, inside an article too", () => {
    const clause = "快递企业应当建立健全安全管理制度，";
    const article = `第一条 ${clause.repeat(200)}并报告。`;
    const chunks = chunkDocument(doc(`标题\n${article}`, "regulation"));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.section).toBe("第一条");
    }
    for (const c of chunks.slice(0, -1)) expect(c.original).toMatch(/，$/);
  });

  it("never splits a surrogate pair", () => {
    const line = "𠀀".repeat(MAX_CHUNK_CHARS); // 2 UTF-16 units each
    const chunks = chunkDocument(doc(`标题\n${line}`, "bulletin"));
    for (const c of chunks) expect(c.original).toMatch(/^(?:𠀀)+$/u);
  });
});
