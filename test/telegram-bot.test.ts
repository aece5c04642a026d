/**
 * Integration tests: the real telegraf bot, long polling a fake Bot API server on loopback.
 * Updates go in through getUpdates; the tests assert on the calls that come out.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { AppConfig } from "../src/config/config.js";
import type { Assistant } from "../src/assistant/assistant.js";
import { createTelegramBot, type TelegramBot } from "../src/channels/telegram/bot.js";
import { FakeBotApi, type ApiCall } from "./fakes/fake-bot-api.js";
import { createFakeAssistant, defaultAnswer, type FakeAssistant } from "./fakes/fake-assistant.js";

const ADMIN = { id: 1, username: "chief" };
const USER = { id: 100, username: "clerk" };
const OTHER_USER = { id: 200, username: "clerk2" };
const STRANGER = { id: 666, username: "nosy" };
const GROUP = { id: -1001, type: "supergroup" as const, title: "办公室" };

interface Harness {
  api: FakeBotApi;
  tb: TelegramBot;
  assistant: FakeAssistant;
  logs: string[];
  corpusDir: string;
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(
  opts: {
    settings?: Partial<AppConfig["telegram"]>;
    assistant?: Partial<Assistant>;
    now?: () => number;
    maxFileBytes?: number;
    typingIntervalMs?: number;
    extra?: Partial<Parameters<typeof createTelegramBot>[0]>;
  } = {},
): Promise<Harness> {
  const api = await FakeBotApi.start();
  const corpusDir = await mkdtemp(join(tmpdir(), "tg-corpus-"));
  const assistant = createFakeAssistant(opts.assistant);
  const logs: string[] = [];
  const tb = createTelegramBot({
    token: api.token,
    settings: {
      token: api.token,
      apiRoot: api.apiRoot,
      webhookPort: 8443,
      allowedUsers: [String(USER.id), "@clerk2"],
      allowedChats: [String(GROUP.id)],
      admins: [String(ADMIN.id)],
      rateLimitPerMinute: 100,
      ...opts.settings,
    },
    assistant,
    corpusDir,
    log: (l) => logs.push(l),
    newId: () => "abc123",
    now: opts.now,
    maxFileBytes: opts.maxFileBytes,
    typingIntervalMs: opts.typingIntervalMs,
    ...opts.extra,
  });
  await tb.start();
  cleanups.push(async () => {
    await tb.stop();
    await api.close();
    await rm(corpusDir, { recursive: true, force: true });
  });
  return { api, tb, assistant, logs, corpusDir };
}

const to = (chatId: number) => (c: ApiCall) => Number(c.payload.chat_id) === chatId;
const textOf = (c: ApiCall) => String(c.payload.text);

describe("telegram bot against a fake Bot API", () => {
  it("answers a plain-text question in HTML with numbered citations, keeps the chat's turns, and shows /sources", async () => {
    const { api, assistant } = await setup();
    api.sendText("经营快递业务需要什么许可？", USER);
    const [answer] = await api.waitFor("sendMessage", to(USER.id));
    expect(answer!.payload.parse_mode).toBe("HTML");
    expect(textOf(answer!)).toContain("依法取得快递业务经营许可[1]");
    expect(textOf(answer!)).toContain("[1] 《快递暂行条例》 第十七条 (2018-03-02)");
    expect(api.callsOf("sendChatAction").some((c) => c.payload.action === "typing" && to(USER.id)(c))).toBe(true);
    expect(assistant.calls.ask[0]).toEqual({ question: "经营快递业务需要什么许可？", history: [] });

    api.sendText("那没有许可呢？", USER);
    await api.waitFor("sendMessage", to(USER.id), 2);
    expect(assistant.calls.ask[1]!.history).toEqual([
      // the turn keeps the citations, so "还有别的要求吗？" can leave already-cited passages out
      {
        question: "经营快递业务需要什么许可？",
        answer: defaultAnswer("").answer,
        citations: [expect.objectContaining({ n: 1, section: "第十七条", title: "快递暂行条例" })],
      },
    ]);

    api.sendText("/sources", USER);
    const msgs = await api.waitFor("sendMessage", to(USER.id), 3);
    const sources = textOf(msgs[2]!);
    expect(sources).toContain("<blockquote>经营快递业务，应当依法取得快递业务经营许可。</blockquote>");
    expect(sources).toContain("../shared/corpus/regulations/快递暂行条例.md");
  });

  it("escapes HTML-special characters in a title", async () => {
    const { api, assistant } = await setup({
      assistant: {
        search: async (query) => ({
          query,
          results: [
            {
              docId: "x",
              title: `关于<快递> & "安全"的规定`,
              date: null,
              kind: "notice",
              path: "corpus/x.md",
              section: null,
              text: "a < b && c > d",
              score: 1,
              chunkId: "x#0",
              chapter: null,
              lead: null,
            },
          ],
        }),
      },
    });
    void assistant;
    api.sendText("/search 快递", USER);
    const [msg] = await api.waitFor("sendMessage", to(USER.id));
    expect(msg!.payload.parse_mode).toBe("HTML");
    expect(textOf(msg!)).toContain("《关于&lt;快递&gt; &amp; &quot;安全&quot;的规定》");
    expect(textOf(msg!)).toContain("a &lt; b &amp;&amp; c &gt; d");
    expect(textOf(msg!)).not.toMatch(/<快递>/);
  });

  it("routes an error inside the middleware through bot.catch (apology + log), not a crash", async () => {
    const { api, logs } = await setup();
    api.failNext("sendMessage", 500, "Internal Server Error"); // the refusal fails to send
    api.sendText("你好", STRANGER);
    const msgs = await api.waitFor("sendMessage", to(STRANGER.id), 2);
    expect(textOf(msgs[1]!)).toContain("抱歉");
    expect(logs.some((l) => l.includes("error while handling update"))).toBe(true);
    api.sendText("问题", USER);
    await api.waitFor("sendMessage", to(USER.id));
  });

  it("does slow work without blocking other chats, and keeps one chat's replies in order", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { api } = await setup({
      assistant: {
        ask: async (q) => {
          if (q === "慢问题") await gate;
          return { ...defaultAnswer(q), answer: `答：${q}` };
        },
      },
    });
    cleanups.push(async () => release()); // runs before the bot stops, even when an assertion failed
    api.sendText("慢问题", USER);
    // The slow work has started (typing…); the next updates come in a later getUpdates batch,
    // which telegraf only fetches if the middleware did not wait for the slow work.
    await api.waitFor("sendChatAction", to(USER.id));
    api.sendText("后续问题", USER);
    api.sendText("快问题", OTHER_USER);
    const [fast] = await api.waitFor("sendMessage", to(OTHER_USER.id));
    expect(textOf(fast!)).toContain("答：快问题");
    expect(api.messagesTo(USER.id)).toHaveLength(0);
    release();
    const mine = await api.waitFor("sendMessage", to(USER.id), 2);
    expect(textOf(mine[0]!)).toContain("答：慢问题");
    expect(textOf(mine[1]!)).toContain("答：后续问题");
  });

  it("reads a sent document: deadlines and actions, an .ics file, an add-to-corpus button for admins; the link is never logged", async () => {
    const { api, assistant, logs, corpusDir } = await setup();
    const notice = "关于开展安全检查的通知\n各省局请于2024年11月30日前报送安全检查情况。\n";
    api.sendDocument(api.addFile("安全检查通知.txt", notice), ADMIN);
    const [reply] = await api.waitFor("sendMessage", to(ADMIN.id));
    expect(api.callsOf("getFile")).toHaveLength(1);
    expect(api.requests.some((p) => p.startsWith(`/file/bot${api.token}/documents/`))).toBe(true);
    expect(textOf(reply!)).toContain("2024-11-30 前：报送安全检查情况");
    expect(textOf(reply!)).toContain("各省局：报送安全检查情况");
    expect(reply!.payload.reply_markup).toEqual({
      inline_keyboard: [[{ text: "加入语料库", callback_data: "add:abc123" }]],
    });
    const [doc] = await api.waitFor("sendDocument", to(ADMIN.id));
    expect(doc!.files.document!.filename).toBe("安全检查通知.ics");
    expect(doc!.files.document!.content.toString("utf8")).toContain("DTSTART;VALUE=DATE:20241130");
    expect(assistant.calls.extract[0]!.path).toMatch(/\.txt$/);
    expect(textOf(reply!)).toContain("《关于开展安全检查的通知》：截止时间与待办事项");

    // One tap by the admin adds it to the corpus and re-indexes.
    api.pushUpdate({
      callback_query: {
        id: "cb1",
        from: { ...ADMIN, is_bot: false, first_name: "Chief" },
        chat_instance: "ci",
        data: "add:abc123",
        message: { message_id: 5, date: 1, chat: { id: ADMIN.id, type: "private" }, text: "…" },
      },
    });
    await api.waitFor("answerCallbackQuery");
    await api.waitFor("editMessageReplyMarkup");
    const msgs = await api.waitFor("sendMessage", to(ADMIN.id), 2);
    expect(textOf(msgs[1]!)).toContain("已加入语料库：安全检查通知.txt");
    expect(assistant.calls.ingest).toBe(1);
    expect(await readdir(corpusDir)).toEqual(["安全检查通知.txt"]);
    expect(await readFile(join(corpusDir, "安全检查通知.txt"), "utf8")).toBe(notice);
    await expect(stat(assistant.calls.extract[0]!.path!)).rejects.toThrow(/ENOENT/); // the download is cleaned up

    const token = api.token;
    expect(logs.join("\n")).not.toContain(token);
    expect(logs.join("\n")).not.toContain(token.split(":")[1]!);
  });

  it("offers no add-to-corpus button to a non-admin and refuses the tap", async () => {
    const { api, assistant } = await setup();
    api.sendDocument(api.addFile("n.md", "# 通知\n请于2025年1月5日前完成整改。"), USER);
    const [reply] = await api.waitFor("sendMessage", to(USER.id));
    expect(reply!.payload.reply_markup).toBeUndefined();
    await api.waitFor("sendDocument", to(USER.id));
    await expect(stat(assistant.calls.extract[0]!.path!)).rejects.toThrow(/ENOENT/); // nothing kept for a non-admin
    api.pushUpdate({
      callback_query: {
        id: "cb2",
        from: { ...USER, is_bot: false, first_name: "Clerk" },
        chat_instance: "ci",
        data: "add:abc123",
        message: { message_id: 5, date: 1, chat: { id: USER.id, type: "private" }, text: "…" },
      },
    });
    const [answer] = await api.waitFor("answerCallbackQuery");
    expect(String(answer!.payload.text)).toContain("只有管理员");
    expect(assistant.calls.ingest).toBe(0);
  });

  it("runs /extract on a replied-to document and /draft on a document caption", async () => {
    const { api, assistant } = await setup();
    const document = api.addFile("notes.txt", "会议要点：\n一、做好旺季安全检查。\n二、请于2024年12月10日前报送。");
    api.sendText("/extract", USER, undefined, {
      reply_to_message: { message_id: 7, date: 1, chat: { id: USER.id, type: "private" }, document },
    });
    const [r1] = await api.waitFor("sendMessage", to(USER.id));
    expect(textOf(r1!)).toContain("2024-12-10 前");
    api.sendDocument(document, USER, "/draft");
    const msgs = await api.waitFor("sendMessage", to(USER.id), 2);
    expect(textOf(msgs[1]!)).toContain("<b>关于做好安全检查工作的通知</b>");
    expect(assistant.calls.draft[0]!.notes).toContain("做好旺季安全检查");
  });

  it("refuses unsupported and oversized documents before downloading them", async () => {
    const { api } = await setup({ maxFileBytes: 10 });
    api.sendDocument(api.addFile("photo.exe", "MZ"), USER);
    api.sendDocument(api.addFile("big.txt", "这份文件超过了十个字节的上限"), USER);
    const msgs = await api.waitFor("sendMessage", to(USER.id), 2);
    expect(msgs.map(textOf).join("\n")).toMatch(/暂不支持这种文件（\.exe）/);
    expect(msgs.map(textOf).join("\n")).toMatch(/文件太大/);
    expect(api.callsOf("getFile")).toHaveLength(0);
  });

  it("parses /search filters and answers /extract on a replied-to message", async () => {
    const { api, assistant } = await setup();
    api.sendText("/search 快递 安全 kind:法规 since:2015 until:2020-06", USER);
    await api.waitFor("sendMessage", to(USER.id));
    expect(assistant.calls.search[0]).toEqual({
      query: "快递 安全",
      options: { kind: "regulation", since: "2015-01-01", until: "2020-06-30" },
    });
    api.sendText("/search 快递 since:2015-13", USER);
    const msgs = await api.waitFor("sendMessage", to(USER.id), 2);
    expect(textOf(msgs[1]!)).toContain("日期“2015-13”无法识别");
    api.sendText("/extract", USER, undefined, {
      reply_to_message: {
        message_id: 9,
        date: 1,
        chat: { id: USER.id, type: "private" },
        text: "请于2024年11月30日前报送。",
      },
    });
    await api.waitFor("sendMessage", to(USER.id), 3);
    expect(assistant.calls.extract.at(-1)).toEqual({ text: "请于2024年11月30日前报送。" });
  });

  it("in a group answers only when mentioned or commanded", async () => {
    const { api, assistant } = await setup();
    const first = api.sendText("大家好，今天开会", OTHER_USER, GROUP);
    api.sendText("/search@some_other_bot 快递", OTHER_USER, GROUP);
    await api.waitHandled(first + 1);
    api.sendText("@postal_test_bot 快递许可怎么办理？", OTHER_USER, GROUP);
    const [answer] = await api.waitFor("sendMessage", to(GROUP.id));
    expect(assistant.calls.ask.map((a) => a.question)).toEqual(["快递许可怎么办理？"]);
    expect(assistant.calls.search).toHaveLength(0);
    expect((answer!.payload.reply_parameters as { message_id: number }).message_id).toBeGreaterThan(0);
    api.sendText("/search@postal_test_bot 快递", OTHER_USER, GROUP);
    await api.waitFor("sendMessage", to(GROUP.id), 2);
    expect(assistant.calls.search).toHaveLength(1);
    expect(api.messagesTo(GROUP.id)).toHaveLength(2);
  });

  it("rate-limits each user and says so once", async () => {
    const { api, assistant } = await setup({ settings: { rateLimitPerMinute: 2 }, now: () => 1_000_000 });
    for (const q of ["一", "二", "三", "四"]) api.sendText(q, USER);
    const msgs = await api.waitFor("sendMessage", to(USER.id), 3);
    const last = api.sendText("/whoami", OTHER_USER);
    await api.waitFor("sendMessage", to(OTHER_USER.id));
    await api.waitHandled(last);
    await (async () => {})();
    expect(assistant.calls.ask).toHaveLength(2);
    expect(msgs.map(textOf).filter((t) => t.includes("请求太频繁"))).toHaveLength(1);
    expect(api.messagesTo(USER.id)).toHaveLength(3);
  });

  it("lets only admins /reindex", async () => {
    const { api, assistant } = await setup();
    api.sendText("/reindex", USER);
    const [r1] = await api.waitFor("sendMessage", to(USER.id));
    expect(textOf(r1!)).toContain("只有管理员");
    api.sendText("/reindex", ADMIN);
    const [r2] = await api.waitFor("sendMessage", to(ADMIN.id));
    expect(textOf(r2!)).toContain("新增 1");
    expect(assistant.calls.ingest).toBe(1);
  });

  it("registers the command list at start-up", async () => {
    const { api } = await setup();
    const [c] = await api.waitFor("setMyCommands");
    const names = (c!.payload.commands as { command: string }[]).map((x) => x.command);
    expect(names).toEqual(expect.arrayContaining(["ask", "search", "extract", "draft", "sources", "whoami", "help"]));
    expect(names).not.toContain("reindex");
  });

  it("in webhook mode registers the URL with the secret token and only accepts requests that carry it", async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const { api, tb } = await setup({
      settings: { webhookUrl: "https://bot.example.gov.cn/tg/hook", webhookSecret: "Secret_123", webhookPort: port },
    });
    // Loopback by default (TELEGRAM_WEBHOOK_HOST binds elsewhere): the reverse proxy is the only way in.
    const server = (tb.bot as unknown as { webhookServer: import("node:net").Server }).webhookServer;
    expect((server.address() as { address: string }).address).toBe("127.0.0.1");
    const [set] = await api.waitFor("setWebhook");
    expect(set!.payload.url).toBe("https://bot.example.gov.cn/tg/hook");
    expect(set!.payload.secret_token).toBe("Secret_123");
    const update = (id: number, text: string) =>
      JSON.stringify({
        update_id: id,
        message: {
          message_id: id,
          date: 1,
          chat: { id: USER.id, type: "private" },
          from: { ...USER, is_bot: false, first_name: "C" },
          text,
        },
      });
    const post = (body: string, secret?: string) =>
      fetch(`http://127.0.0.1:${port}/tg/hook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body,
      });
    expect((await post(update(1, "伪造的请求"), "wrong")).status).toBe(403);
    expect((await post(update(2, "伪造的请求"))).status).toBe(403);
    expect((await post(update(3, "快递许可"), "Secret_123")).status).toBe(200);
    const [msg] = await api.waitFor("sendMessage", to(USER.id));
    expect(textOf(msg!)).toContain("快递业务经营许可");
    expect(api.requests.some((p) => p.endsWith("/getUpdates"))).toBe(false); // no polling in webhook mode
  });

  it("falls back to plain text if Telegram refuses the HTML", async () => {
    const { api, logs } = await setup();
    api.failNext("sendMessage", 400, "Bad Request: can't parse entities: unexpected end tag");
    api.sendText("快递许可", USER);
    const msgs = await api.waitFor("sendMessage", to(USER.id), 2);
    expect(msgs[0]!.payload.parse_mode).toBe("HTML");
    expect(msgs[1]!.payload.parse_mode).toBeUndefined();
    expect(textOf(msgs[1]!)).toContain("出处\n[1] 《快递暂行条例》 第十七条");
    expect(textOf(msgs[1]!)).not.toMatch(/<b>|&lt;/);
    expect(logs.some((l) => l.includes("can't parse entities"))).toBe(true);
  });

  it("tells the user how to build a missing index", async () => {
    const { IndexNotFoundError } = await import("../src/errors.js");
    const { api } = await setup({ assistant: { ask: async () => Promise.reject(new IndexNotFoundError("data")) } });
    api.sendText("快递许可", USER);
    const [msg] = await api.waitFor("sendMessage", to(USER.id));
    expect(textOf(msg!)).toContain("/reindex");
  });

  it("repeats 'typing…' while the work lasts", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { api } = await setup({
      typingIntervalMs: 20,
      assistant: {
        ask: async (q) => {
          await gate;
          return defaultAnswer(q);
        },
      },
    });
    cleanups.push(async () => release());
    api.sendText("慢问题", USER);
    await api.waitFor("sendChatAction", (c) => c.payload.action === "typing" && to(USER.id)(c), 3);
    expect(api.messagesTo(USER.id)).toHaveLength(0); // three typing signals, and still working
    release();
    await api.waitFor("sendMessage", to(USER.id));
  });

  // Issue 13, item 5: one failed call never loses an answer.
  it("delivers an answer through two 429s, waiting the retry_after Telegram asks for", async () => {
    const { api, logs } = await setup();
    api.failNext("sendMessage", 429, "Too Many Requests: retry after 1", 2, { retryAfter: 1 });
    api.sendText("经营快递业务需要什么许可？", USER);
    const sent = await api.waitFor("sendMessage", (c) => to(USER.id)(c) && !c.failed, 1, 20_000);
    expect(textOf(sent[0]!)).toContain("快递业务经营许可");
    expect(api.callsOf("sendMessage").filter((c) => c.failed)).toHaveLength(2);
    expect(logs.filter((l) => /send failed .*429.*try \d in 1000 ms/.test(l))).toHaveLength(2);
  });

  it("retries a 502 and a dropped connection with backoff, and gives up after a bounded number of tries", async () => {
    const { api, logs, tb } = await setup({ extra: { retry: { baseMs: 10, tries: 3 } } });
    const tbIdle = () => tb.idle();
    api.failNext("sendMessage", 502, "Bad Gateway");
    api.failNext("sendMessage", 0, "", 1, { drop: true });
    api.sendText("第一个问题", USER);
    const [ok] = await api.waitFor("sendMessage", (c) => to(USER.id)(c) && !c.failed, 1, 20_000);
    expect(textOf(ok!)).toContain("快递业务经营许可");
    // A lasting outage ends after 3 tries of each message.
    api.failNext("sendMessage", 500, "Internal Server Error", 6);
    api.sendText("第二个问题", USER);
    // 3 tries of the answer, then 3 of the apology: the 6 failures are used up and the bot says so in its log.
    await api.waitFor("sendMessage", (c) => to(USER.id)(c) && !!c.failed, 2 + 6);
    await tbIdle();
    expect(logs.some((l) => l.includes("could not send the apology"))).toBe(true);
    expect(api.callsOf("sendMessage").filter((c) => to(USER.id)(c))).toHaveLength(1 + 2 + 6);
  });

  // Issue 13, item 6: a getUpdates that never returns must not stall the bot.
  it("gives up on a getUpdates that never returns soon after the long-poll timeout, and keeps polling", async () => {
    const api = await FakeBotApi.start();
    const corpusDir = await mkdtemp(join(tmpdir(), "tg-corpus-"));
    const logs: string[] = [];
    api.hangGetUpdates = true;
    const tb = createTelegramBot({
      token: api.token,
      settings: {
        token: api.token,
        apiRoot: api.apiRoot,
        webhookPort: 8443,
        allowedUsers: [String(USER.id)],
        allowedChats: [],
        admins: [],
        rateLimitPerMinute: 100,
      },
      assistant: createFakeAssistant(),
      corpusDir,
      log: (l) => logs.push(l),
      longPollSeconds: 1,
      pollGraceMs: 200,
    });
    cleanups.push(async () => {
      api.hangGetUpdates = false;
      await tb.stop();
      await api.close();
      await rm(corpusDir, { recursive: true, force: true });
    });
    await tb.start();
    // The first held call is abandoned after 1.2 s; telegraf's loop polls again (after its 5 s pause).
    const deadline = Date.now() + 20_000;
    while (api.getUpdatesHeld < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(api.getUpdatesHeld).toBeGreaterThanOrEqual(2);
    expect(logs.some((l) => l.includes("getUpdates gave no answer within 1 s"))).toBe(true);
    api.hangGetUpdates = false;
    api.sendText("快递许可", USER);
    const [msg] = await api.waitFor("sendMessage", to(USER.id), 1, 20_000);
    expect(textOf(msg!)).toContain("快递业务经营许可");
  });

  // Issue 13, item 10: the webhook port in use is a clear message, not a stack trace.
  it("says which webhook port is in use instead of crashing", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const api = await FakeBotApi.start();
      const corpusDir = await mkdtemp(join(tmpdir(), "tg-corpus-"));
      const tb = createTelegramBot({
        token: api.token,
        settings: {
          token: api.token,
          apiRoot: api.apiRoot,
          webhookUrl: "https://bot.example.gov.cn/hook",
          webhookSecret: "s",
          webhookPort: port,
          allowedUsers: [],
          allowedChats: [],
          admins: [],
          rateLimitPerMinute: 10,
        },
        assistant: createFakeAssistant(),
        corpusDir,
        log: () => {},
      });
      cleanups.push(async () => {
        await tb.stop();
        await api.close();
        await rm(corpusDir, { recursive: true, force: true });
      });
      await expect(tb.start()).rejects.toThrow(
        new RegExp(`TELEGRAM_WEBHOOK_PORT ${port} on 127.0.0.1 is already in use`),
      );
      expect(api.callsOf("setWebhook")).toHaveLength(0);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });
});
