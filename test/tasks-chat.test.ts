/**
 * 督办 in the Telegram bot, end to end through `main` (npm start) with the fake Bot API, a real
 * SQLite store and an injected clock: a sent notice offers 立项督办; the tap tracks its actions
 * and sends the chat's .ics; /tasks lists them. After a restart the reminder scheduler sends the
 * day's reminders with 办结 / 延期 / 查看原文, the buttons work, /extend records an extension,
 * and the conversation turns, the tasks and the audit log are still there.
 */
import { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { extractFromText } from "../src/assistant/extract/extract.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { createFakeAssistant, type FakeAssistant } from "./fakes/fake-assistant.js";
import { FakeBotApi, type ApiCall } from "./fakes/fake-bot-api.js";

const NOTICE = new URL("./fixtures/tasks/notice.txt", import.meta.url).pathname;
const USER = { id: 100, first_name: "Clerk" };
const STRANGER = { id: 666, first_name: "Visitor" };
const textOf = (c: ApiCall) => String(c.payload.text);
const buttonsOf = (c: ApiCall) =>
  (
    (c.payload.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)
      ?.inline_keyboard ?? []
  ).flat();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tasks-chat-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function assistantWithRealExtract(): FakeAssistant {
  return createFakeAssistant({
    async extract(input) {
      const text = input.text ?? (await readFile(input.path!, "utf8"));
      return extractFromText(text, { today: "2024-10-21" });
    },
  });
}

async function startBot(api: FakeBotApi, now: Date, assistant: FakeAssistant) {
  const signals = new EventEmitter();
  const stderr = new PassThrough();
  const err: string[] = [];
  stderr.on("data", (c: Buffer) => err.push(c.toString("utf8")));
  const env = {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_ALLOWED_USERS: String(USER.id),
    STORE_PATH: join(dir, "assistant.db"),
    REMIND_AT: "09:00",
    CORPUS_DIRS: join(dir, "corpus"),
    LOG_LEVEL: "warn",
  };
  const running = main({
    env,
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    signals,
    createAssistant: () => assistant,
    now: () => now,
  });
  return {
    stop: async () => {
      signals.emit("SIGTERM");
      expect(await running).toBe(0);
    },
    err: () => err.join(""),
  };
}

const tap = (api: FakeBotApi, data: string, id: string) =>
  api.pushUpdate({
    callback_query: {
      id,
      from: { ...USER, is_bot: false },
      chat_instance: "ci",
      data,
      message: { message_id: 9, date: 1, chat: { id: USER.id, type: "private" }, text: "…" },
    },
  });

describe("督办 in the Telegram bot", () => {
  it("tracks a sent notice, reminds after a restart, and keeps tasks, turns and the audit log", async () => {
    const api = await FakeBotApi.start();
    try {
      // --- first run: Monday 2024-10-21, 10:00 Beijing time ---
      const first = await startBot(api, new Date("2024-10-21T10:00:00+08:00"), assistantWithRealExtract());
      api.sendText("快递许可", USER);
      await api.waitFor("sendMessage", (c) => textOf(c).includes("快递业务经营许可"));
      api.sendDocument(api.addFile("排查通知.txt", await readFile(NOTICE)), USER);
      const [extractReply] = await api.waitFor("sendMessage", (c) => textOf(c).includes("截止时间与待办事项"));
      expect(buttonsOf(extractReply!).map((b) => b.text)).toEqual(["立项督办"]); // a user: no add-to-corpus
      tap(api, "task:track", "cb-track");
      const [tracked] = await api.waitFor("sendMessage", (c) => textOf(c).includes("已立项"));
      expect(textOf(tracked!)).toContain("已立项 3 项督办");
      const [ics] = await api.waitFor("sendDocument", (c) => c.files.document?.filename === "督办事项.ics");
      const icsText = ics!.files.document!.content.toString("utf8");
      expect(icsText).toContain("DTSTART;VALUE=DATE:20241025");
      expect(icsText).toContain("DTSTART;VALUE=DATE:20241130");
      api.sendText("你好", STRANGER);
      await api.waitFor("sendMessage", (c) => Number(c.payload.chat_id) === STRANGER.id);
      api.sendText("/tasks", USER);
      const [list] = await api.waitFor("sendMessage", (c) => textOf(c).includes("未办结督办事项"));
      expect(textOf(list!)).toMatch(/截止 2024-10-18 .*超期督办/);
      expect(textOf(list!)).toContain("截止 2024-11-30");
      await first.stop();
      // Monday 10:00 is after REMIND_AT, but the tasks were tracked after the first tick: the
      // reminders of the 21st may have gone out only for what existed then. Count from here on.
      const before = api.callsOf("sendMessage").filter((c) => textOf(c).startsWith("【督办】")).length;

      // --- restart: Tuesday 2024-10-22, 09:01 ---
      const assistant = assistantWithRealExtract();
      const second = await startBot(api, new Date("2024-10-22T09:01:00+08:00"), assistant);
      const reminders = (await api.waitFor("sendMessage", (c) => textOf(c).startsWith("【督办】"), before + 3)).slice(
        before,
      );
      const oct = reminders.find((c) => textOf(c).includes("截止：2024-10-25") && textOf(c).includes("排查工作方案"))!;
      expect(textOf(oct)).toContain("临期提醒：还有 3 个工作日到期");
      const buttons = buttonsOf(oct);
      expect(buttons.map((b) => b.text)).toEqual(["办结", "延期", "查看原文"]);
      const id = /编号：([0-9a-f]{8})/.exec(textOf(oct))![1]!;

      tap(api, `task:source:${id}`, "cb-source");
      const [src] = await api.waitFor("sendMessage", (c) => textOf(c).includes("一、各市局要于10月25日前"));
      expect(textOf(src!)).toContain("关于开展寄递渠道安全隐患排查整治的通知");
      tap(api, `task:extend:${id}`, "cb-extend");
      await api.waitFor("sendMessage", (c) => textOf(c).includes(`/extend ${id} YYYY-MM-DD 原因`));
      api.sendText(`/extend ${id} 2024-10-31 材料尚在汇总`, USER);
      await api.waitFor(
        "sendMessage",
        (c) => textOf(c).includes("已延期") && textOf(c).includes("2024-10-25 → 2024-10-31"),
      );
      tap(api, `task:done:${id}`, "cb-done");
      await api.waitFor("sendMessage", (c) => textOf(c).includes(`已办结：${id}`));
      api.sendText("/done ffffffff", USER);
      await api.waitFor("sendMessage", (c) => textOf(c).includes("没有编号为 ffffffff 的督办事项"));

      // The last extract survived the restart too: /track finds it, and adds nothing twice.
      api.sendText("/track", USER);
      const [retracked] = await api.waitFor(
        "sendMessage",
        (c) => textOf(c).includes("已立项") && textOf(c).includes(id),
        1,
      );
      expect(textOf(retracked!)).toContain("已立项 3 项督办");

      // The refusal record survived the restart: the stranger is not told again.
      const strangerUpdate = api.sendText("还是我", STRANGER);
      await api.waitHandled(strangerUpdate);
      expect(api.messagesTo(STRANGER.id).length).toBe(1);

      // The follow-up question gets the turn asked before the restart as history.
      api.sendText("那申请条件呢？", USER);
      await api.waitFor(
        "sendMessage",
        (c) => textOf(c).includes("那申请条件呢？") || textOf(c).includes("快递业务经营许可"),
        2,
      );
      await second.stop();
      expect(assistant.calls.ask[0]!.history.map((t) => t.question)).toEqual(["快递许可"]);
      expect(second.err()).not.toContain(api.token);

      const store = await openSqliteStore(join(dir, "assistant.db"));
      try {
        expect(
          (await store.listTasks({ chat: `telegram:${USER.id}`, status: "all" })).filter((t) => !t.seriesId).length,
        ).toBe(3);
        const task = (await store.getTask(id))!;
        expect(task).toMatchObject({
          status: "done",
          due: "2024-10-31",
          originalDue: "2024-10-25",
          chat: `telegram:${USER.id}`,
        });
        expect((await store.taskEvents(id)).map((e) => e.kind)).toEqual(["交办", "延期", "办结"]);
        const actions = (await store.auditLog()).map((e) => e.action);
        expect(actions).toEqual(
          expect.arrayContaining(["ask", "extract", "task.add", "task.remind", "task.extend", "task.done"]),
        );
        const ask = (await store.auditLog()).find((e) => e.action === "ask")!;
        expect(ask).toMatchObject({
          actor: `telegram:${USER.id}`,
          chat: `telegram:${USER.id}`,
          subject: "快递许可",
          detail: { sources: [{ title: "快递暂行条例", section: "第十七条" }] },
        });
      } finally {
        await store.close();
      }
    } finally {
      await api.close();
    }
  });
});
