/**
 * The real bot with the real assistant (src/app.ts, ingest loaders, extract, ics) against the
 * fake Bot API: notices sent as .txt, PDF (Chinese CID font) and .docx are downloaded through
 * getFile, read, and answered with their deadlines and an .ics file; an admin's tap adds one to
 * the corpus and it becomes searchable.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { createTelegramBot, type TelegramBot } from "../src/channels/telegram/bot.js";
import { FakeBotApi } from "./fakes/fake-bot-api.js";
import { makeChinesePdf } from "./fixtures/ingest/make-pdf.js";
import { makeDocx } from "./fixtures/ingest/make-docx.js";

const ADMIN = 1;
const LINES = [
  "关于开展寄递渠道安全检查的通知",
  "各市邮政管理局：",
  "请于2025年3月31日前完成辖区内分拨中心安全检查，并将检查情况报送省局。",
  "省邮政管理局",
  "2025年3月1日",
];

let work: string;
let api: FakeBotApi;
let tb: TelegramBot;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "e2e-bot-"));
  api = await FakeBotApi.start();
  const corpusDir = join(work, "corpus");
  const config = loadConfig({ INDEX_DIR: join(work, "index"), CORPUS_DIRS: corpusDir, LOG_LEVEL: "error" });
  tb = createTelegramBot({
    token: api.token,
    settings: { ...config.telegram, apiRoot: api.apiRoot, admins: [String(ADMIN)] },
    assistant: createAssistant(config, { log: () => {} }),
    corpusDir,
    log: () => {},
  });
  await tb.start();
});
afterAll(async () => {
  await tb.stop();
  await api.close();
  await rm(work, { recursive: true, force: true });
});

describe("bot with the real assistant", () => {
  const cases: [string, Buffer, string][] = [
    ["检查通知.txt", Buffer.from(LINES.join("\n"), "utf8"), "text/plain"],
    ["检查通知.pdf", makeChinesePdf([LINES]), "application/pdf"],
    ["检查通知.docx", makeDocx(LINES), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ];
  it.each(cases)("reads %s and replies with its deadline and an .ics", async (name, content, mime) => {
    const before = api.callsOf("sendMessage").length;
    const docsBefore = api.callsOf("sendDocument").length;
    api.sendDocument(api.addFile(name, content, mime), { id: ADMIN });
    const msgs = await api.waitFor("sendMessage", undefined, before + 1, 30_000);
    const text = String(msgs[before]!.payload.text);
    expect(text).toContain("2025-03-31 前");
    expect(text).toContain("安全检查");
    const docs = await api.waitFor("sendDocument", undefined, docsBefore + 1, 30_000);
    const ics = docs[docsBefore]!.files.document!;
    expect(ics.filename).toBe(name.replace(/\.\w+$/, ".ics"));
    expect(ics.content.toString("utf8")).toContain("DTSTART;VALUE=DATE:20250331");
  });

  it("adds the document to the corpus on the admin's tap, after which it is searchable", async () => {
    const before = api.callsOf("sendMessage").length;
    api.sendDocument(api.addFile("整改通知.txt", "关于限期整改的通知\n请于2025年5月20日前完成冷链寄递专项整改。\n"), {
      id: ADMIN,
    });
    const msgs = await api.waitFor("sendMessage", undefined, before + 1, 30_000);
    const keyboard = msgs[before]!.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const data = keyboard.inline_keyboard[0]![0]!.callback_data;
    api.pushUpdate({
      callback_query: {
        id: "cb",
        from: { id: ADMIN, is_bot: false, first_name: "A" },
        chat_instance: "c",
        data,
        message: { message_id: 1, date: 1, chat: { id: ADMIN, type: "private" }, text: "…" },
      },
    });
    const after = await api.waitFor("sendMessage", (c) => String(c.payload.text).includes("已加入语料库"), 1, 60_000);
    expect(String(after[0]!.payload.text)).toContain("新增 1");
    expect(await readdir(join(work, "corpus"))).toEqual(["整改通知.txt"]);
    expect(await readFile(join(work, "corpus", "整改通知.txt"), "utf8")).toContain("冷链寄递");
    const n = api.callsOf("sendMessage").length;
    api.sendText("/search 冷链寄递 整改", { id: ADMIN });
    const found = await api.waitFor("sendMessage", undefined, n + 1, 30_000);
    expect(String(found[n]!.payload.text)).toContain("《关于限期整改的通知》");
  });
});
