/**
 * End to end with the real assistant (src/app.ts) and no token: the terminal chat builds the
 * index on first use (into a temp INDEX_DIR), answers from the corpus with citations, and
 * exports a notice's deadlines as .ics.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { runTerminalChat } from "../src/channels/terminal/terminal-chat.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "e2e-chat-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const NOTICE = join(import.meta.dirname, "fixtures/extract/all-forms.txt");

describe("npm start without a token, real assistant", () => {
  it("indexes on first use, answers with citations, and writes the .ics of a notice", async () => {
    const config = loadConfig({
      INDEX_DIR: join(work, "index"),
      CORPUS_DIRS: join(import.meta.dirname, "../corpus"),
      LOG_LEVEL: "error",
    });
    const assistant = createAssistant(config, { log: () => {} });
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on("data", (c: Buffer) => chunks.push(c));
    const done = runTerminalChat({
      assistant,
      input,
      output,
      corpusDir: join(work, "corpus-copy"),
      outDir: join(work, "out"),
    });
    input.end(`${["亚欧博览会期间邮路安保工作要做好哪几个方面？", "/sources", `/extract ${NOTICE}`].join("\n")}\n`);
    expect(await done).toBe(0);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text).toContain("还没有索引，正在建立");
    expect(text).toMatch(/【出处】\n\[1\] 《刘君副局长督导检查亚欧博览会邮路安保工作》/);
    expect(text).toMatch(/\n {2}> .*郵路安保/); // /sources quotes the cited sentence as published
    expect(text).toContain("2024-11-30 前：将旺季工作总结报送市局");
    const ics = await readFile(join(work, "out", "all-forms.ics"), "utf8");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("DTSTART;VALUE=DATE:20241130");
  });
});
