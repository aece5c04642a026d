/**
 * Hostile and careless files (issue 13, items 1 and 9): each is refused alone, with one reason
 * naming it, before it can exhaust memory; the fixtures are generated here (nothing large is
 * committed). The end-to-end case runs a real ingest in a child process and reads its peak RSS.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, mkdir, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { loadDocument } from "../src/ingest/load-document.js";
import { fileDigest } from "../src/ingest/read-file.js";
import { makeDocx, makeZipBombDocx } from "./fixtures/ingest/make-docx.js";
import { makeChinesePdf } from "./fixtures/ingest/make-pdf.js";
import { inputError, putFile } from "./support/input-files.js";

const MB = 1024 * 1024;

/** Summed RSS in bytes of a process and its descendants (Linux /proc; 0 elsewhere). */
function treeRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    let total = kb * 1024;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const k of kids ? kids.split(/\s+/) : []) total += treeRss(Number(k));
    }
    return total;
  } catch {
    return 0;
  }
}
let dir: string;
let bomb: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ingest-hostile-"));
  bomb = join(dir, "bomb", "炸弹.docx");
  await mkdir(join(dir, "bomb"), { recursive: true });
  await writeFile(bomb, await makeZipBombDocx(400 * MB));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = (name: string, data: string | Buffer): Promise<string> => putFile(dir, name, data);

const GOOD = ["关于加强快递末端网点管理的通知", "各省邮政管理局：", "一是落实末端网点备案。", "二是加强日常检查。"];

describe("zip-bomb .docx", () => {
  it("is a small file that inflates to 400 MB", async () => {
    const { bytes } = await fileDigest(bomb);
    expect(bytes).toBeLessThan(2 * MB);
  });

  it("is refused from its central directory, naming the file and why", async () => {
    const err = await inputError(loadDocument(bomb));
    expect(err.path).toBe(bomb);
    expect(err.reason).toMatch(/has document parts that inflate to more than 64 MB \(1\.\d MB on disk\): a "zip bomb"/);
  });

  it("is refused when its header lies about the inflated size (measured while streaming)", async () => {
    const liar = await put("liar.docx", await makeZipBombDocx(100 * MB, { lie: true }));
    const err = await inputError(loadDocument(liar));
    expect(err.reason).toMatch(/has an entry that inflates to more than it declares \(a "zip bomb"/);
  });

  it("past every archive check, the parse worker's heap cap stops it alone; the next file parses", async () => {
    const limits = { maxZipTextBytes: 4096 * MB, maxZipBytes: 4096 * MB, parseMemoryMb: 160 };
    const err = await inputError(loadDocument(bomb, { limits }));
    expect(err.path).toBe(bomb);
    expect(err.reason).toMatch(/needed more than 160 MB of memory to parse/);
    const good = await put("good-after-bomb.docx", makeDocx([{ heading: GOOD[0]! }, ...GOOD.slice(1)]));
    const doc = await loadDocument(good, { limits });
    expect(doc.text).toContain("落实末端网点备案");
  }, 120_000);

  it("an archive with too many entries is refused before anything is inflated", async () => {
    const p = await put("many.docx", makeDocx(["正文。"]));
    const err = await inputError(loadDocument(p, { limits: { maxZipEntries: 3 } }));
    expect(err.reason).toMatch(/5 entries, over the 3-entry limit/);
  });
});

describe("size, text and page caps", () => {
  it("a sparse 1.9 GB file is refused from its size, never read", async () => {
    const p = join(dir, "sparse.txt");
    await writeFile(p, "");
    await truncate(p, 1900 * MB);
    const before = process.memoryUsage().rss;
    const err = await inputError(loadDocument(p));
    expect(err.reason).toMatch(/is 1900 MB, over the 50 MB limit/);
    const digest = await inputError(fileDigest(p));
    expect(digest.reason).toMatch(/over the 50 MB limit/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it("text over the character cap is refused, for text formats and PDF", async () => {
    const txt = await put("long.txt", "快递末端网点应当备案。".repeat(500));
    expect((await inputError(loadDocument(txt, { limits: { maxTextChars: 1000 } }))).reason).toMatch(
      /5,500 characters of text, over the 1,000-character limit/,
    );
    const pdf = await put("long.pdf", makeChinesePdf([Array.from({ length: 20 }, () => "快递末端网点应当备案。")]));
    expect((await inputError(loadDocument(pdf, { limits: { maxTextChars: 50 } }))).reason).toMatch(
      /over the 50-character limit/,
    );
  }, 60_000);

  it("a PDF over the page cap is refused", async () => {
    const pdf = await put("pages.pdf", makeChinesePdf([["第一页。"], ["第二页。"], ["第三页。"]]));
    expect((await inputError(loadDocument(pdf, { limits: { maxPdfPages: 2 } }))).reason).toMatch(
      /has 3 pages, over the 2-page limit/,
    );
    expect((await loadDocument(pdf)).text).toContain("第三页");
  }, 60_000);

  it("a parse over the deadline is stopped, naming the file", async () => {
    const pdf = await put("slow.pdf", makeChinesePdf([["第一页。"]]));
    const err = await inputError(loadDocument(pdf, { limits: { parseTimeoutMs: 1 } }));
    expect(err.reason).toMatch(/took longer than 1 ms to parse/);
  });
});

describe("ingest of a zip bomb beside good files (child process)", () => {
  it("names the bomb in one line, indexes the good files, peak RSS under 1.5 GB", async () => {
    const corpus = join(dir, "corpus");
    await mkdir(corpus, { recursive: true });
    await writeFile(join(corpus, "炸弹.docx"), await makeZipBombDocx(400 * MB));
    await writeFile(join(corpus, "liar.docx"), await makeZipBombDocx(400 * MB, { lie: true }));
    await writeFile(join(corpus, "通知.docx"), makeDocx([{ heading: GOOD[0]! }, ...GOOD.slice(1)]));
    await writeFile(join(corpus, "通报.txt"), "关于快递包装治理的通报\n各单位要减少过度包装。\n");
    const script = `
      const { runCli } = await import(${JSON.stringify(new URL("../src/channels/cli/main.ts", import.meta.url).href)});
      const out = [];
      const code = await runCli(["ingest", "--corpus", ${JSON.stringify(corpus)}], {
        stdout: (s) => out.push(s), stderr: (s) => out.push(s), env: { ...process.env, INDEX_DIR: ${JSON.stringify(join(dir, "index"))} },
        now: () => new Date(), readStdin: async () => Buffer.alloc(0),
      });
      process.stdout.write(JSON.stringify({ code, out: out.join(""), maxRssKb: process.resourceUsage().maxRSS }));
    `;
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url).pathname,
      maxBuffer: 16 * MB,
      timeout: 240_000,
    });
    // the ingest and its parse process(es): the peak of their summed RSS, sampled from /proc
    let treePeak = 0;
    const sampler = setInterval(() => {
      if (run.child.pid) treePeak = Math.max(treePeak, treeRss(run.child.pid));
    }, 50);
    const { stdout } = await run.finally(() => clearInterval(sampler));
    const r = JSON.parse(stdout) as { code: number; out: string; maxRssKb: number };
    expect(r.out).toMatch(/added 2, .*failed 2/);
    const failed = r.out.split("\n").filter((l) => l.startsWith("failed: "));
    expect(failed).toHaveLength(2);
    expect(failed.find((l) => l.includes("炸弹.docx"))).toMatch(/zip bomb/);
    expect(failed.find((l) => l.includes("liar.docx"))).toMatch(/zip bomb/);
    expect(r.code).toBe(0);
    expect(r.maxRssKb * 1024).toBeLessThan(1.5 * 1024 * MB);
    expect(treePeak).toBeLessThan(1.5 * 1024 * MB);
    console.log(
      `peak RSS: ingest process ${Math.round(r.maxRssKb / 1024)} MB; with its parse processes (sampled) ${Math.round(treePeak / MB)} MB`,
    );
  }, 300_000);
});

describe("a zip bomb sent to the bot (extract of an attachment)", () => {
  it("is refused with a reply naming it, and the next attachment is read", async () => {
    const { createAssistant } = await import("../src/app.js");
    const { loadConfig } = await import("../src/config/config.js");
    const { apologyFor } = await import("../src/channels/chat-core/chat-core.js");
    const { renderPlain } = await import("../src/channels/chat-core/reply.js");
    const assistant = createAssistant(loadConfig({ INDEX_DIR: join(dir, "no-index") }), { log: () => {} });
    let err: unknown;
    await assistant.extract({ path: bomb }).catch((e: unknown) => (err = e));
    expect(err).toBeInstanceOf(InputError);
    expect(renderPlain(apologyFor(err))).toMatch(/炸弹\.docx: has document parts that inflate to more than 64 MB/);
    const good = await put("next.docx", makeDocx(["关于报送材料的通知", "请于2024年3月1日前报送。"]));
    const res = await assistant.extract({ path: good, ref: "2024-02-01" });
    expect(JSON.stringify(res)).toContain("2024-03-01");
  }, 60_000);
});

describe("symbolic links (issue 13, item 10)", () => {
  it("are followed (files and folders, a loop ends) and a broken one is reported by name", async () => {
    const { symlink } = await import("node:fs/promises");
    const { discoverFiles } = await import("../src/ingest/discover.js");
    const root = join(dir, "links");
    const outside = join(dir, "outside");
    await mkdir(join(root, "sub"), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, "通知.txt"), "关于加强快递安全的通知\n各单位要落实安全责任。\n");
    await writeFile(join(outside, "more.md"), "# 通报\n\n正文。\n");
    await symlink(join(outside, "通知.txt"), join(root, "linked.txt"));
    await symlink(outside, join(root, "linked-dir"));
    await symlink(root, join(root, "sub", "loop"));
    await symlink(join(dir, "gone.txt"), join(root, "broken.txt"));
    const files = (await discoverFiles(root)).map((f) => f.slice(root.length + 1));
    expect(files).toEqual(["broken.txt", "linked-dir/more.md", "linked-dir/通知.txt", "linked.txt"]);
    expect((await loadDocument(join(root, "linked.txt"))).text).toContain("落实安全责任");
    expect((await inputError(loadDocument(join(root, "broken.txt")))).reason).toMatch(
      /symbolic link to a missing file/,
    );
  });
});
