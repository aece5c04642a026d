/** Every loader end to end through loadDocument, on files written to a temp dir. */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkDocument } from "../src/ingest/chunk.js";
import { discoverFiles, SUPPORTED_EXTENSIONS } from "../src/ingest/discover.js";
import { loadDocument } from "../src/ingest/load-document.js";
import { CMAP_DIR } from "../src/ingest/loaders/pdf.js";
import { makeDocx } from "./fixtures/ingest/make-docx.js";
import { makeChinesePdf } from "./fixtures/ingest/make-pdf.js";
import { inputError, putFile } from "./support/input-files.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ingest-loaders-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = (name: string, data: string | Buffer): Promise<string> => putFile(dir, name, data);

describe("txt loader", () => {
  it("reads a GBK bulletin with pinyin glosses and page chrome", async () => {
    const text = [
      "劉君副局長檢查郵路安保工作?",
      "",
      "發(fā)布時間:2014-08-27",
      "點擊數:",
      "\u00a0",
      "圖為劉君一行在分揀中心檢查。",
      "    8月25日,國家郵政局召開座談會,部署重大戰(zhàn)略。",
      "(本文來源:國家郵政局)",
    ].join("\r\n");
    const p = await put("news/bulletin-gbk.txt", iconv.encode(text, "gbk"));
    const doc = await loadDocument(p, { root: dir });
    expect(doc.meta).toEqual({
      id: "news/bulletin-gbk",
      title: "刘君副局长检查邮路安保工作",
      date: "2014-08-27",
      kind: "bulletin",
      path: p,
      source: "国家邮政局",
    });
    expect(doc.original).toContain("部署重大戰(zhàn)略");
    expect(doc.original).not.toMatch(/點擊數|發\(fā\)布時間|圖為/);
    expect(doc.text).toContain("部署重大战略");
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => c.text)).toEqual(["8月25日,国家邮政局召开座谈会,部署重大战略。"]);
  });

  it("honours front matter in a .txt", async () => {
    const p = await put("fm.txt", "---\ntitle: 自定标题\ndate: 2020/1/2\nkind: notice\n---\n正文第一段。\n");
    const doc = await loadDocument(p);
    expect(doc.meta).toMatchObject({ id: "fm", title: "自定标题", date: "2020-01-02", kind: "notice" });
  });
});

describe("md loader", () => {
  it("strips Markdown, keeps headings as lines, reads the # title", async () => {
    const md = [
      "# 某某省快递条例",
      "",
      "2020年5月1日 某某省人民代表大会常务委员会通过",
      "",
      "<!-- INFO END -->",
      "",
      "## 第一章　总则",
      "",
      "第一条 为了**规范**快递服务，制定本条例。详见[说明](http://example.invalid)。",
      "",
      "第二条 本条例适用于本省。",
      "",
      "(一)快递企业；",
      "",
      "(二)快递从业人员。",
    ].join("\n");
    const p = await put("regs/某某省快递条例.md", md);
    const doc = await loadDocument(p, { root: join(dir, "regs") });
    expect(doc.meta).toMatchObject({
      id: "某某省快递条例",
      title: "某某省快递条例",
      kind: "regulation",
      date: "2020-05-01",
    });
    expect(doc.original).not.toMatch(/[#*<>[\]]/);
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => [c.section, c.chapter])).toEqual([
      [null, null],
      ["第一条", "第一章 总则"],
      ["第二条", "第一章 总则"],
    ]);
    expect(chunks[1]!.text).toBe("第一条 为了规范快递服务，制定本条例。详见说明。");
    expect(chunks[2]!.original).toBe("第二条 本条例适用于本省。\n(一)快递企业；\n(二)快递从业人员。");
  });

  it("lets front matter override title, date and kind", async () => {
    const p = await put(
      "override.md",
      '---\ntitle: "覆盖的标题"\ndate: 2024年10月12日\nkind: bulletin\n---\n# 某某办法\n\n第一条 内容。\n\n第二条 内容。\n\n第三条 内容。\n',
    );
    const doc = await loadDocument(p);
    expect(doc.meta).toMatchObject({ title: "覆盖的标题", date: "2024-10-12", kind: "bulletin" });
  });

  it("rejects a front matter kind it does not know, naming the valid ones", async () => {
    const p = await put("badkind.md", "---\nkind: memo\n---\n正文。\n");
    const err = await inputError(loadDocument(p));
    expect(err.message).toMatch(/bulletin, regulation, notice/);
  });

  it("takes the caller's kind when the front matter has none", async () => {
    const p = await put("plain.md", "# 会议纪要\n\n会议研究了有关工作。\n");
    expect((await loadDocument(p, { kind: "notice" })).meta.kind).toBe("notice");
  });
});

describe("html loader", () => {
  it("extracts text and the <title>", async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>關於做好寄遞安全工作的通知</title>
      <style>p{color:red}</style><script>var x = "不要";</script></head>
      <body><nav>首页 | 新闻</nav><h1>關於做好寄遞安全工作的通知</h1>
      <p>各省郵政管理局：</p><p>一、加強收寄驗視。</p><p>二、落實實名收寄&nbsp;制度。</p>
      <p><img src="x.png" alt="圖片">2024年10月12日</p></body></html>`;
    const p = await put("notice.html", html);
    const doc = await loadDocument(p);
    expect(doc.meta).toMatchObject({ title: "关于做好寄递安全工作的通知", kind: "notice", date: "2024-10-12" });
    expect(doc.text).not.toMatch(/不要|color|首页/);
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => c.section)).toEqual(["¶1", "一", "二", "¶4"]);
    expect(chunks[1]!.lead).toBe("各省邮政管理局：");
  });

  it("prefers the <h1> contained in a <title> with the site name", async () => {
    const p = await put(
      "site.html",
      "<html><head><title>国家邮政局-通知公告-关于开展安全检查的通知</title></head><body><h1>关于开展安全检查的通知</h1><p>正文。</p></body></html>",
    );
    expect((await loadDocument(p)).meta.title).toBe("关于开展安全检查的通知");
  });

  it("falls back to <h1> when there is no <title>", async () => {
    const p = await put("h1.htm", "<html><body><h1>邮政业安全生产通报</h1><p>本月情况良好。</p></body></html>");
    expect((await loadDocument(p)).meta.title).toBe("邮政业安全生产通报");
  });
});

describe("pdf loader", () => {
  it("extracts Chinese text set in a non-embedded CID font (needs the cMaps)", async () => {
    const pdf = makeChinesePdf(
      [
        ["关于做好快递安全工作的通知", "各省邮政管理局：", "一、严格落实收寄验视制度。"],
        ["二、加强寄递渠道安全检查。", "2024年10月12日"],
      ],
      { title: "关于做好快递安全工作的通知" },
    );
    const p = await put("cid.pdf", pdf);
    const doc = await loadDocument(p);
    expect(doc.text).toContain("各省邮政管理局：");
    expect(doc.text).toContain("一、严格落实收寄验视制度。");
    expect(doc.text).toContain("二、加强寄递渠道安全检查。");
    expect(doc.meta).toMatchObject({ title: "关于做好快递安全工作的通知", kind: "notice", date: "2024-10-12" });
    const chunks = chunkDocument(doc);
    expect(chunks.filter((c) => c.section === "一" || c.section === "二")).toHaveLength(2);
  });

  it("rejoins a paragraph wrapped over lines and pages, so no chunk cuts a sentence", async () => {
    const pdf = makeChinesePdf(
      [
        [
          "邮政业安全生产情况通报",
          "今年以来，各级邮政管理部门认真贯彻落实安全生产工作部署，",
          "持续加强寄递渠道安全监管，全行业安全形势总体平稳。下一",
          "- 1 -",
        ],
        ["步要做好以下工作：", "一是压实企业主体责任。", "二是强化隐患排查治理。", "- 2 -"],
      ],
      { title: "Microsoft Word - 通报.doc" },
    );
    // No usable /Title ("Microsoft Word - …" is ignored): the first line is the title.
    const doc = await loadDocument(await put("wrapped.pdf", pdf));
    expect(doc.meta.title).toBe("邮政业安全生产情况通报");
    expect(chunkDocument(doc).map((c) => [c.section, c.text])).toEqual([
      [
        "¶1",
        "今年以来，各级邮政管理部门认真贯彻落实安全生产工作部署，持续加强寄递渠道安全监管，全行业安全形势总体平稳。下一步要做好以下工作：",
      ],
      ["一", "一是压实企业主体责任。"],
      ["二", "二是强化隐患排查治理。"],
    ]);
  });

  it("rejects a corrupt PDF", async () => {
    const good = makeChinesePdf([["测试"]]);
    const p = await put("corrupt.pdf", Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(200, 0x41)]));
    const err = await inputError(loadDocument(p));
    expect(err.message).toMatch(/not a readable PDF/);
    const truncated = await put("truncated.pdf", good.subarray(0, 40));
    expect((await inputError(loadDocument(truncated))).message).toMatch(/not a readable PDF/);
  });

  it("rejects a password-protected PDF with a message saying what to do", async () => {
    // A real RC4-encrypted file (Standard Security Handler R2, user password "secret").
    const pdf = makeChinesePdf([["机密文件内容"]], { userPassword: "secret" });
    const p = await put("locked.pdf", pdf);
    const err = await inputError(loadDocument(p));
    expect(err.message).toBe(`${p}: is password-protected; remove the password and try again`);
    // The fixture is genuinely encrypted: with the password (and the cMaps) the text is there.
    const parser = new PDFParse({ data: new Uint8Array(pdf), password: "secret", cMapUrl: CMAP_DIR, cMapPacked: true });
    try {
      expect((await parser.getText()).text).toContain("机密文件内容");
    } finally {
      await parser.destroy();
    }
  });
});

describe("docx loader", () => {
  it("reads paragraphs and takes the first heading as title", async () => {
    const p = await put(
      "通知.docx",
      makeDocx([
        { heading: "关于开展快递包装治理的通知" },
        "各省邮政管理局：",
        "一是推广绿色包装。",
        "二是减少过度包装。",
      ]),
    );
    const doc = await loadDocument(p);
    expect(doc.meta).toMatchObject({ title: "关于开展快递包装治理的通知", kind: "notice" });
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => [c.section, c.text])).toEqual([
      ["¶1", "各省邮政管理局："],
      ["一", "一是推广绿色包装。"],
      ["二", "二是减少过度包装。"],
    ]);
  });

  it("rejects a corrupt .docx", async () => {
    const p = await put("broken.docx", Buffer.from("PK\u0003\u0004 not really a zip"));
    expect((await inputError(loadDocument(p))).message).toMatch(/not a readable \.docx/);
  });
});

describe("input errors", () => {
  it("empty file", async () => {
    const p = await put("empty.txt", "");
    expect((await inputError(loadDocument(p))).message).toBe(`${p}: empty file`);
  });

  it("unsupported extension names the supported ones", async () => {
    const p = await put("sheet.xlsx", "PK");
    const err = await inputError(loadDocument(p));
    expect(err.message).toContain('unsupported file type ".xlsx"');
    for (const ext of [".txt", ".md", ".html", ".htm", ".pdf", ".docx"]) expect(err.message).toContain(ext);
  });

  it("an old .doc gets a hint to save it as .docx", async () => {
    const p = await put("old.doc", "x");
    expect((await inputError(loadDocument(p))).message).toMatch(
      /unsupported file type "\.doc" \(save it as \.docx first\); supported: /,
    );
  });

  it("file over the size limit", async () => {
    const p = await put("big.txt", "邮".repeat(1000));
    expect((await inputError(loadDocument(p, { maxBytes: 1000 }))).message).toMatch(/over the 0 MB limit|over the/);
    await expect(loadDocument(p)).resolves.toBeTruthy();
  });

  it("missing file", async () => {
    expect((await inputError(loadDocument(join(dir, "nope.txt")))).message).toMatch(/no such file/);
  });

  it("binary content in a .txt", async () => {
    const p = await put("bin.txt", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]));
    expect((await inputError(loadDocument(p))).message).toMatch(/binary/);
  });
});

describe("discoverFiles", () => {
  it("lists supported files recursively, sorted, skipping dotfiles, node_modules and READMEs", async () => {
    const root = await mkdtemp(join(tmpdir(), "ingest-discover-"));
    try {
      for (const f of [
        "b.md",
        "a/c.txt",
        "a/d.pdf",
        "README.md",
        "a/readme.txt",
        ".hidden.md",
        ".git/x.md",
        "node_modules/y.md",
        "e.xlsx",
        "f.HTML",
      ]) {
        await mkdir(join(root, f, ".."), { recursive: true });
        await writeFile(join(root, f), "x");
      }
      const files = (await discoverFiles(root)).map((f) => f.slice(root.length + 1));
      expect(files).toEqual(["a/c.txt", "a/d.pdf", "b.md", "f.HTML"]);
      expect(SUPPORTED_EXTENSIONS).toEqual(expect.arrayContaining([".txt", ".md", ".html", ".htm", ".pdf", ".docx"]));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("says so when the directory does not exist", async () => {
    await expect(discoverFiles(join(dir, "missing-dir"))).rejects.toThrow(/no such directory/);
  });
});
