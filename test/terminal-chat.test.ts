/** The terminal chat, driven through a stdin stream with a fake Assistant (`main` choosing it: main.test.ts). */
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { parseLine, runTerminalChat } from "../src/channels/terminal/terminal-chat.js";
import { IndexNotFoundError } from "../src/errors.js";
import type { Assistant } from "../src/assistant/assistant.js";
import { createFakeAssistant, defaultAnswer } from "./fakes/fake-assistant.js";

let dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});
async function tempDir(prefix: string) {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString("utf8");
}

async function chat(
  lines: string[],
  assistant: Assistant,
  extra: { cwd?: string; corpusDir?: string; outDir?: string } = {},
) {
  const input = new PassThrough();
  const output = new PassThrough();
  const text = collect(output);
  const logs: string[] = [];
  const corpusDir = extra.corpusDir ?? (await tempDir("term-corpus-"));
  const outDir = extra.outDir ?? (await tempDir("term-out-"));
  const done = runTerminalChat({
    assistant,
    input,
    output,
    corpusDir,
    outDir,
    cwd: extra.cwd,
    log: (l) => logs.push(l),
  });
  input.end(lines.map((l) => `${l}\n`).join(""));
  const code = await done;
  return { code, output: text(), logs, corpusDir, outDir };
}

describe("terminal chat", () => {
  it("answers plain lines with citations, passes the conversation as history, and shows /sources", async () => {
    const assistant = createFakeAssistant();
    const { code, output } = await chat(["经营快递业务需要什么？", "那如果没有许可呢？", "/sources"], assistant);
    expect(code).toBe(0);
    expect(output).toContain("依法取得快递业务经营许可[1]");
    expect(output).toContain("【出处】\n[1] 《快递暂行条例》 第十七条 (2018-03-02)");
    expect(output).toContain("  > 经营快递业务，应当依法取得快递业务经营许可。");
    expect(assistant.calls.ask.map((a) => a.history.length)).toEqual([0, 1]);
    expect(output).not.toContain("你>"); // not interactive: no prompt
  });

  it("runs /search with filters, and /extract and /draft on a file, writing the .ics and offering /add", async () => {
    const cwd = await tempDir("term-cwd-");
    await writeFile(join(cwd, "通知.txt"), "关于安全检查的通知\n请于2024年11月30日前报送安全检查情况。");
    const assistant = createFakeAssistant();
    const { output, outDir, corpusDir } = await chat(
      ["/search 快递 kind:regulation year:2018", "/extract 通知.txt", "/add doesnotexist", "/draft 通知.txt"],
      assistant,
      { cwd },
    );
    expect(assistant.calls.search[0]).toEqual({
      query: "快递",
      options: { kind: "regulation", since: "2018-01-01", until: "2018-12-31" },
    });
    expect(output).toContain("《快递暂行条例》 · 第十七条 · 2018-03-02 · 法规");
    expect(output).toContain("2024-11-30 前：报送安全检查情况");
    expect(await readdir(outDir)).toEqual(["通知.ics"]);
    expect(await readFile(join(outDir, "通知.ics"), "utf8")).toContain("20241130");
    expect(output).toMatch(/（输入 \/add [0-9a-f]+ 加入语料库）/);
    expect(output).toContain("这个文件已过期或已加入语料库");
    expect(assistant.calls.draft[0]!.notes).toContain("请于2024年11月30日前报送");
    expect(output).toContain("【关于做好安全检查工作的通知】");
    expect(await readdir(corpusDir)).toEqual([]);
  });

  it("adds an extracted file to the corpus with /add and re-indexes", async () => {
    const cwd = await tempDir("term-cwd-");
    await writeFile(join(cwd, "n.md"), "# 通知\n请于2025年1月5日前完成整改。");
    const assistant = createFakeAssistant();
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const corpusDir = await tempDir("term-corpus-");
    const done = runTerminalChat({ assistant, input, output, corpusDir, outDir: await tempDir("o-"), cwd });
    input.write("/extract n.md\n");
    // Wait for the offer, then use the id it shows.
    const deadline = Date.now() + 10_000;
    let id: string | undefined;
    while (!(id = /\/add ([0-9a-f]+)/.exec(text())?.[1]) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(id).toBeDefined();
    input.end(`/add ${id}\n`);
    await done;
    expect(text()).toContain("已加入语料库：n.md");
    expect(await readdir(corpusDir)).toEqual(["n.md"]);
    expect(assistant.calls.ingest).toBe(1);
  });

  it("reads the lines after a bare /draft (up to an empty line) as the notes", async () => {
    const assistant = createFakeAssistant();
    const { output } = await chat(
      ["/draft", "会议：旺季安全", "一、加强检查", "", "/extract", "请于2024年11月30日前报送。"],
      assistant,
    );
    expect(output).toContain("请输入要点（可多行），空行结束");
    expect(assistant.calls.draft[0]!.notes).toBe("会议：旺季安全\n一、加强检查");
    expect(assistant.calls.extract[0]).toEqual({ text: "请于2024年11月30日前报送。" }); // ended by end of input
    expect(assistant.calls.ask).toHaveLength(0);
  });

  it("builds the index on first use when there is none, then answers", async () => {
    let indexed = false;
    const base = createFakeAssistant();
    const assistant = createFakeAssistant({
      ask: async (q) => {
        if (!indexed) throw new IndexNotFoundError("data");
        return defaultAnswer(q);
      },
      ingest: async () => {
        indexed = true;
        return base.ingest();
      },
    });
    const { output } = await chat(["快递许可"], assistant);
    expect(output).toContain("还没有索引，正在建立");
    expect(output).toContain("依法取得快递业务经营许可[1]");
  });

  it("stops at /quit and reads nothing after it", async () => {
    const assistant = createFakeAssistant();
    const { code, output } = await chat(["第一个", "/quit", "不会被处理"], assistant);
    expect(code).toBe(0);
    expect(assistant.calls.ask.map((a) => a.question)).toEqual(["第一个"]);
    expect(output.match(/快递业务经营许可\[1\]/g)).toHaveLength(1);
  });

  it("parses lines into requests", () => {
    expect(parseLine("  ")).toBeNull();
    expect(parseLine("快递？")).toEqual({ command: null, args: "快递？" });
    expect(parseLine("/Search  快递 kind:法规")).toEqual({ command: "search", args: "快递 kind:法规" });
    expect(parseLine("/help")).toEqual({ command: "help", args: "" });
  });
});
