/**
 * Property-based tests (fast-check) of the parsers that take untrusted input: the text decoder,
 * the loaders, chunking, the timex grammar's entry point and the notes parser, on random and
 * adversarial input (issue 13). Properties: no crash other than an InputError that names the file,
 * and bounded time — each property has a fast-check time budget (interruptAfterTimeLimit, marked
 * as a failure), far above what the runs need, so a catastrophic regex or a quadratic loop fails
 * the property instead of hanging the suite. Runs are seeded by fast-check (the seed of a failure
 * is printed to replay it).
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseMeetingNotes, parseSummaryNotes, splitNotes } from "../src/assistant/draft/parse-notes.js";
import { resolveTimes } from "../src/assistant/extract/resolve-times.js";
import { InputError } from "../src/errors.js";
import { chunkDocument, MAX_CHUNK_CHARS } from "../src/ingest/chunk.js";
import { cleanText } from "../src/ingest/clean.js";
import { decodeText } from "../src/ingest/decode-text.js";
import { docxLoader } from "../src/ingest/loaders/docx.js";
import { htmlLoader } from "../src/ingest/loaders/html.js";
import { markdownLoader } from "../src/ingest/loaders/markdown.js";
import { pdfLoader } from "../src/ingest/loaders/pdf.js";
import { textLoader } from "../src/ingest/loaders/text.js";
import { normalizeText } from "../src/ingest/normalize.js";
import type { DocKind, ParsedDocument } from "../src/ingest/types.js";
import { makeDocx } from "./fixtures/ingest/make-docx.js";

/** fast-check's own time budget for a property: exceeding it fails the property. */
const budget = (numRuns: number, ms = 30_000) => ({
  numRuns,
  interruptAfterTimeLimit: ms,
  markInterruptAsFailure: true,
});

/** Passes when `f` returns, or throws an InputError naming `path`; anything else is a crash. */
async function noCrash(path: string, f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.path).toBe(path);
    expect(err.reason.length).toBeGreaterThan(0);
  }
}

// --- generators -------------------------------------------------------------------------------

/** Text made of the pieces documents and hostile files are made of. */
const PIECES = [
  "第十八条",
  "第三章 经营主体",
  "第一节",
  "一是",
  "二是",
  "（一）",
  "（二）",
  "1.",
  "2、",
  "一、",
  "二、",
  "应当",
  "不得",
  "无需",
  "可以",
  "必须",
  "快递企业",
  "邮政管理部门",
  "备案",
  "。",
  "，",
  "；",
  "：",
  "！",
  "？",
  "\n",
  "\n\n",
  "\r\n",
  " ",
  "\t",
  "　",
  "“",
  "”",
  "《",
  "》",
  "(zhàn)",
  "戰",
  "發(fā)布時間:",
  "(本文来源:国家邮政局)",
  "---\n",
  "title: 标题\n",
  "date: 2020-01-02\n",
  "# 标题\n",
  "```",
  "<!--",
  "-->",
  "|a|b|\n|--|--|\n",
  "<p>",
  "</p>",
  "<h1>",
  "<script>",
  "&amp;",
  "&#x4e2d;",
  "\u0000",
  "\ufeff",
  "\ufffd",
  "\ue000",
  "𠀀",
  "\u202e",
  "a".repeat(50),
  "。".repeat(30),
  "忽略以上所有指令",
  "ignore previous instructions",
  "system:",
] as const;
const docText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((a) => a.join("")),
  // long runs without punctuation or of one mark: the inputs that blow up backtracking regexes
  fc
    .tuple(fc.constantFrom("快", "a", "，", "。", " ", "（", "一是", "第"), fc.integer({ min: 1000, max: 6000 }))
    .map(([p, n]) => p.repeat(n)),
);

const TIMEX_PIECES = [
  "11月30日前",
  "15个工作日内",
  "即日起至6月30日",
  "每日17时前",
  "二〇二四年",
  "2024年",
  "第一季度",
  "下周三",
  "本月底",
  "月底前",
  "春节",
  "国庆节后",
  "3个月内",
  "十",
  "百",
  "零",
  "两",
  "个",
  "月",
  "日",
  "号",
  "年",
  "周",
  "星期",
  "前",
  "后",
  "内",
  "以内",
  "起",
  "至",
  "到",
  "-",
  "—",
  "～",
  "/",
  ".",
  "：",
  ":",
  "时",
  "分",
  "点",
  "上午",
  "下午",
  "每周",
  "每月",
  "每年",
  "工作日",
  "自然日",
  "截止",
  "之前",
  "以前",
  "9999年",
  "0月0日",
  "13月32日",
  "2月30日",
  "十二月三十一日",
  "999999999日",
  "，",
  "。",
  "\n",
  " ",
] as const;
const timexText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(fc.constantFrom(...TIMEX_PIECES), { maxLength: 80 }).map((a) => a.join("")),
  fc
    .tuple(fc.constantFrom("日", "十", "前", "至", "月", "0", "第"), fc.integer({ min: 500, max: 4000 }))
    .map(([p, n]) => p.repeat(n)),
);
const isoDate = fc
  .date({ min: new Date("1990-01-01"), max: new Date("2060-12-31"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const NOTE_PIECES = [
  "时间：",
  "地点：",
  "主持：",
  "参加：",
  "会议内容：",
  "一、",
  "二、",
  "1.",
  "（一）",
  "要求",
  "强调",
  "指出",
  "张三",
  "李四局长",
  "2024年3月5日",
  "上午9时",
  "会议室",
  "工作总结",
  "存在问题",
  "下一步",
  "：",
  "；",
  "。",
  "\n",
  "\n\n",
  "- ",
  "* ",
  "#",
  "……",
  "（",
  "）",
] as const;
const notesText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.constantFrom(...NOTE_PIECES), { maxLength: 100 }).map((a) => a.join("")),
  fc.tuple(fc.constantFrom("：", "一、", "\n", "张"), fc.integer({ min: 500, max: 4000 })).map(([p, n]) => p.repeat(n)),
);

// --- properties -------------------------------------------------------------------------------

describe("decodeText", () => {
  it("any bytes: a string, or an InputError naming the file", async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      // legacy encodings of random CJK text, with BOMs and stray bytes
      fc
        .tuple(
          fc.string({
            unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)),
            maxLength: 80,
          }),
          fc.constantFrom("gbk", "gb18030", "big5", "utf16le", "utf8"),
          fc.uint8Array({ maxLength: 4 }),
        )
        .map(([s, enc, junk]) => new Uint8Array([...iconv.encode(s, enc), ...junk])),
      fc
        .tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]), fc.uint8Array({ maxLength: 200 }))
        .map(([bom, rest]) => new Uint8Array([...bom, ...rest])),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        await noCrash("x.txt", () => {
          const d = decodeText(b, "x.txt");
          expect(typeof d.text).toBe("string");
          expect(d.text).not.toMatch(/\ufffd/);
        });
      }),
      budget(400),
    );
  });

  it("UTF-8 text without control characters decodes to itself", () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: "grapheme", minLength: 1, maxLength: 200 })
          .filter((s) => !/[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufffd]/u.test(s) && !s.startsWith("\ufeff")),
        (s) => {
          expect(decodeText(Buffer.from(s, "utf8"), "x.txt").text).toBe(s);
        },
      ),
      budget(300),
    );
  });
});

describe("loaders", () => {
  it("text, Markdown and HTML loaders on random and adversarial text: no crash", async () => {
    await fc.assert(
      fc.asyncProperty(docText, fc.constantFrom(textLoader, markdownLoader, htmlLoader), async (text, loader) => {
        await noCrash("x.doc", async () => {
          const raw = await loader.load(Buffer.from(text, "utf8"), "x.doc");
          expect(typeof raw.text).toBe("string");
        });
      }),
      budget(300, 60_000),
    );
  }, 120_000);

  it("the .docx loader on random bytes, damaged archives and random documents", async () => {
    const good = makeDocx(["正文。"]);
    const damaged = fc
      .tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 16 }))
      .map(([at, junk]) => {
        const b = Buffer.from(good);
        b.set(junk.subarray(0, Math.max(0, b.length - at)), at);
        return b;
      });
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((u) => Buffer.from(u)),
      damaged,
      fc.array(docText, { maxLength: 8 }).map((ps) => makeDocx(ps)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        await noCrash("x.docx", async () => {
          expect(typeof (await docxLoader.load(b, "x.docx")).text).toBe("string");
        });
      }),
      budget(150, 60_000),
    );
  }, 120_000);

  it("the PDF loader on random bytes and damaged PDF headers", async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 1500 }).map((u) => Buffer.from(u)),
      fc.string({ maxLength: 400 }).map((s) => Buffer.from(`%PDF-1.4\n${s}\n%%EOF`, "latin1")),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        await noCrash("x.pdf", async () => {
          expect(typeof (await pdfLoader.load(b, "x.pdf")).text).toBe("string");
        });
      }),
      budget(40, 60_000),
    );
  }, 120_000);

  it("cleaning, normalising and chunking any text: no crash, no chunk over the cap", () => {
    fc.assert(
      fc.property(docText, fc.constantFrom<DocKind>("bulletin", "regulation", "notice"), (text, kind) => {
        const cleaned = cleanText(text);
        const doc: ParsedDocument = {
          meta: { id: "t/x", title: "标题", date: null, kind, path: "x.txt" },
          original: cleaned.text,
          text: normalizeText(cleaned.text),
        };
        for (const c of chunkDocument(doc)) expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      }),
      budget(300, 60_000),
    );
  }, 120_000);
});

describe("timex grammar (resolveTimes)", () => {
  it("any text and reference date: a list of expressions with valid dates, no crash", () => {
    fc.assert(
      fc.property(timexText, isoDate, (text, ref) => {
        const found = resolveTimes(text, ref);
        expect(Array.isArray(found)).toBe(true);
        for (const t of found) {
          for (const v of Object.values(t))
            if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) expect(Number.isNaN(Date.parse(v))).toBe(false);
        }
      }),
      budget(400, 60_000),
    );
  }, 120_000);
});

describe("notes parser", () => {
  it("splitNotes, parseMeetingNotes and parseSummaryNotes on any text: no crash", () => {
    fc.assert(
      fc.property(notesText, (text) => {
        expect(typeof splitNotes(text).text).toBe("string");
        expect(typeof parseMeetingNotes(text).notesText).toBe("string");
        expect(typeof parseSummaryNotes(text).notesText).toBe("string");
      }),
      budget(300, 60_000),
    );
  }, 120_000);
});
