/**
 * End to end with the real assistant (src/app.ts) and no token: the terminal chat builds the
 * index on first use (into a temp INDEX_DIR), answers from the corpus with citations, and
 * exports a notice's deadlines as .ics; the Telegram bot does the same for a sent document.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { runTerminalChat } from "../src/channels/terminal/terminal-chat.js";
import { createTelegramBot } from "../src/channels/telegram/bot.js";
import { FakeBotApi } from "./fakes/fake-bot-api.js";

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
    const config = loadConfig({ INDEX_DIR: join(work, "index"), CORPUS_DIRS: join(import.meta.dirname, "../corpus"), LOG_LEVEL: "error" });
    const assistant = createAssistant(config, { log: () => {} });
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on("data", (c: Buffer) => chunks.push(c));
    const done = runTerminalChat({ assistant, input, output, corpusDir: join(work, "corpus-copy"), outDir: join(work, "out") });
    input.end(["亚欧博览会期间邮路安保工作要做好哪几个方面？", "/sources", `/extract ${NOTICE}`].join("\n") + "\n");
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

  it("the bot reads a sent notice with the real loaders and sends back its .ics", async () => {
    const api = await FakeBotApi.start();
    const config = loadConfig({ INDEX_DIR: join(work, "index2"), CORPUS_DIRS: join(work, "c2"), LOG_LEVEL: "error" });
    const tb = createTelegramBot({
      token: api.token,
      settings: { ...config.telegram, apiRoot: api.apiRoot, allowedUsers: ["100"] },
      assistant: createAssistant(config, { log: () => {} }),
      corpusDir: join(work, "c2"),
      log: () => {},
    });
    try {
      await tb.start();
      api.sendDocument(api.addFile("双11通知.txt", await readFile(NOTICE)), { id: 100 });
      const [msg] = await api.waitFor("sendMessage", undefined, 1, 30_000);
      expect(String(msg!.payload.text)).toContain("2024-11-30 前：将旺季工作总结报送市局");
      const [doc] = await api.waitFor("sendDocument", undefined, 1, 30_000);
      expect(doc!.files.document!.filename).toBe("双11通知.ics");
      expect(doc!.files.document!.content.toString("utf8")).toContain("DTSTART;VALUE=DATE:20241130");
      expect(msg!.payload.reply_markup).toBeUndefined(); // no add-to-corpus button for a non-admin
    } finally {
      await tb.stop();
      await api.close();
    }
  });
});
