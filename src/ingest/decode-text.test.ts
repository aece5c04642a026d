import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { decodeText } from "./decode-text.js";

const SAMPLE = "快递暂行条例\n第十八条 经营快递业务的企业应当遵守“实名收寄”规定。㐀䶵𠀀";
const GBK_SAMPLE = "发布时间：2014-08-27\n国家邮政局召开电视电话会议，部署寄递渠道安全工作。";

describe("decodeText", () => {
  it("decodes plain UTF-8", () => {
    expect(decodeText(Buffer.from(SAMPLE, "utf8"), "a.txt")).toEqual({ text: SAMPLE, encoding: "utf-8" });
  });

  it("keeps valid UTF-8 as UTF-8 even with stray control characters (no legacy-codec mojibake)", () => {
    const bytes = Buffer.from("快递\u0085条例\u001b。", "utf8");
    expect(decodeText(bytes, "a.txt")).toEqual({ text: "快递条例。", encoding: "utf-8" });
  });

  it("honours a UTF-8 BOM and strips it", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, "utf8")]);
    expect(decodeText(bytes, "a.txt").text).toBe(SAMPLE);
  });

  it("honours UTF-16 LE and BE BOMs", () => {
    const le = iconv.encode(SAMPLE, "utf-16le", { addBOM: true });
    expect(decodeText(le, "a.txt")).toEqual({ text: SAMPLE, encoding: "utf-16le" });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(SAMPLE, "utf-16be")]);
    expect(decodeText(be, "a.txt")).toEqual({ text: SAMPLE, encoding: "utf-16be" });
  });

  it("decodes GBK text without mojibake", () => {
    const bytes = iconv.encode(GBK_SAMPLE, "gbk");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const out = decodeText(bytes, "gbk.txt");
    expect(out.text).toBe(GBK_SAMPLE);
    expect(out.encoding).toBe("gb18030");
  });

  it("decodes GB18030 text including four-byte sequences", () => {
    const text = `${GBK_SAMPLE}\n扩展字符：㐀䶵𠀀€`;
    const bytes = iconv.encode(text, "gb18030");
    expect(decodeText(bytes, "gb18030.txt").text).toBe(text);
  });

  it("decodes traditional-character Big5 text", () => {
    const text = "國家郵政局召開電視電話會議，部署寄遞渠道安全服務保障工作。劉君副局長出席會議並講話。";
    const bytes = iconv.encode(text, "big5");
    expect(decodeText(bytes, "big5.txt").text).toBe(text);
  });

  it("rejects empty input", () => {
    expect(() => decodeText(new Uint8Array(0), "e.txt")).toThrow(/empty file/);
  });

  it("rejects binary input with NUL bytes", () => {
    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const err = (() => {
      try {
        decodeText(bytes, "img.txt");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe("img.txt");
    expect((err as Error).message).toMatch(/binary/);
  });

  it("rejects undecodable bytes instead of producing mojibake", () => {
    // 0x80 alone is invalid in UTF-8, GB18030 and Big5; control bytes make it non-text in any case.
    const bytes = Uint8Array.from([0x80, 0x01, 0x02, 0xff, 0x80, 0x7f, 0x03]);
    expect(() => decodeText(bytes, "junk.txt")).toThrow(/cannot be decoded/);
  });
});

describe("short GBK / Big5 strings (issue 13, item 10)", () => {
  const simplified = [
    "快递企业应当备案",
    "邮政管理部门",
    "关于开展快递包装治理的通知",
    "末端网点",
    "国家邮政局召开会议",
    "各省邮政管理局",
    "停业公告",
    "快件安全",
    "寄递渠道安全",
    "工作总结",
    "包装",
    "邮件",
    "投递",
    "快递员",
    "安全检查",
    "责令改正",
  ];
  const traditional = [
    "快遞企業應當備案",
    "郵政管理部門",
    "關於開展快遞包裝治理的通知",
    "末端網點",
    "國家郵政局召開會議",
    "各省郵政管理局",
    "停業公告",
    "快件安全",
    "寄遞渠道安全",
    "工作總結",
    "包裝",
    "郵件",
    "投遞",
    "快遞員",
    "安全檢查",
    "責令改正",
  ];
  const samples = [...simplified.map((s) => [s, "gbk"] as const), ...traditional.map((s) => [s, "big5"] as const)];

  it("are never mis-decoded silently: right, or decoded with a warning that names both readings", () => {
    let warned = 0;
    for (const [s, enc] of samples) {
      const d = decodeText(iconv.encode(s, enc), "x.txt");
      if (d.text !== s) expect(d.warning, `${enc} ${s} → ${d.text}`).toBeDefined();
      if (d.warning) {
        warned++;
        expect(d.warning).toMatch(/guessed as (GB18030\/GBK|Big5) \(it also reads as (GB18030\/GBK|Big5)\)/);
      }
    }
    expect(warned).toBeLessThan(samples.length / 2); // a clear case is not warned about
  });

  it("a document-length text decodes without a warning", () => {
    const long = `${traditional.join("，")}。${traditional.join("；")}`;
    const d = decodeText(iconv.encode(long, "big5"), "x.txt");
    expect(d).toMatchObject({ text: long, encoding: "big5" });
    expect(d.warning).toBeUndefined();
    const g = decodeText(iconv.encode(simplified.join("，"), "gbk"), "x.txt");
    expect(g.warning).toBeUndefined();
  });

  it("the warning reaches the document's metadata", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { loadDocument } = await import("./load-document.js");
    const dir = await mkdtemp(join(tmpdir(), "decode-"));
    try {
      const p = join(dir, "短.txt");
      await writeFile(p, iconv.encode("末端網點", "big5"));
      const doc = await loadDocument(p);
      expect(doc.meta.warnings?.[0]).toMatch(/encoding was guessed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
