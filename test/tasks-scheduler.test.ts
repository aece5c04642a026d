/**
 * The reminder scheduler with an injected clock and the fake Bot API: two scheduler instances
 * (two bot processes) on one PostgreSQL send each reminder once, also after a restart; and the
 * same on SQLite. Before REMIND_AT nothing is sent; a failed delivery is retried after its lease.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTaskService } from "../src/assistant/tasks/task-service.js";
import { createReminderScheduler, timeInZone } from "../src/assistant/tasks/scheduler.js";
import { extractFromText } from "../src/assistant/extract/extract.js";
import { telegramNotifier } from "../src/channels/telegram/notifier.js";
import { openPostgresStore } from "../src/store/postgres-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import type { Store } from "../src/store/types.js";
import { FakeBotApi } from "./fakes/fake-bot-api.js";
import { pgForTests, startPgCluster, type PgCluster } from "./support/pg-cluster.js";
import { readFileSync } from "node:fs";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { main } from "../src/main.js";
import { createFakeAssistant } from "./fakes/fake-assistant.js";

const NOTICE = readFileSync(new URL("./fixtures/tasks/notice.txt", import.meta.url), "utf8");
const TZ = "Asia/Shanghai";
/** A settable clock (Beijing time given as UTC+8 wall time). */
const clock = (beijing: string) => {
  let t = new Date(`${beijing}+08:00`);
  return { now: () => t, set: (b: string) => (t = new Date(`${b}+08:00`)) };
};

function schedulerSuite(name: string, openDb: () => Promise<() => Promise<Store>>) {
  describe(`reminder scheduler on ${name}`, () => {
    let api: FakeBotApi;
    beforeAll(async () => {
      api = await FakeBotApi.start();
    });
    afterAll(async () => {
      await api.close();
    });

    it("two processes on one database send each reminder once, across days and a restart", async () => {
      const open = await openDb();
      const c = clock("2024-10-22T08:00");
      const stores = [await open(), await open()];
      const make = (store: Store, owner: string) => {
        const tasks = createTaskService({ store, workdays: 3, timezone: TZ, now: c.now });
        return {
          tasks,
          scheduler: createReminderScheduler({
            store,
            tasks,
            notifier: telegramNotifier({ token: api.token, apiRoot: api.apiRoot }),
            remindAt: "09:00",
            timezone: TZ,
            now: c.now,
            owner,
          }),
        };
      };
      const [p1, p2] = [make(stores[0]!, "bot-1"), make(stores[1]!, "bot-2")];
      const res = extractFromText(NOTICE, { today: "2024-10-12", ref: "2024-10-12" });
      const tracked = await p1.tasks.track(
        res,
        { title: res.title!, path: "notice.txt" },
        "telegram:501",
        "telegram:9",
      );
      await p1.tasks.track(res, { title: res.title!, path: "notice.txt" }, null, "cli"); // no chat: never delivered
      const oct = tracked.find((t) => t.due === "2024-10-25")!;

      // Before 09:00 Beijing time: nothing.
      expect((await Promise.all([p1.scheduler.tick(), p2.scheduler.tick()])).map((r) => r.due)).toEqual([false, false]);
      expect(api.callsOf("sendMessage")).toEqual([]);

      c.set("2024-10-22T09:00");
      expect(timeInZone(c.now(), TZ)).toBe("09:00");
      const results = await Promise.all([
        p1.scheduler.tick(),
        p2.scheduler.tick(),
        p1.scheduler.tick(),
        p2.scheduler.tick(),
      ]);
      const sentOn22 = api.callsOf("sendMessage");
      // On the 22nd: the 25th's task (upcoming), the weekly duty's 18th (overdue) and 25th (upcoming) occurrences.
      expect(sentOn22.length).toBe(3);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(3);
      expect(new Set(sentOn22.map((m) => String(m.payload.text))).size).toBe(3);
      const octMsg = sentOn22.find((m) => String(m.payload.text).includes(`编号：${oct.id}`))!;
      expect(Number(octMsg.payload.chat_id)).toBe(501);
      expect(String(octMsg.payload.text)).toMatch(/临期提醒：还有 3 个工作日到期/);
      const keyboard = (octMsg.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
        .inline_keyboard[0]!;
      expect(keyboard.map((b) => b.text)).toEqual(["办结", "延期", "查看原文"]);
      expect(keyboard[0]!.callback_data).toBe(`task:done:${oct.id}`);

      // Later ticks the same day, and a restarted process: nothing more.
      c.set("2024-10-22T15:30");
      await Promise.all([p1.scheduler.tick(), p2.scheduler.tick()]);
      const restarted = make(await open(), "bot-3");
      await restarted.scheduler.tick();
      expect(api.callsOf("sendMessage").length).toBe(3);

      // Next days: one per task and day; done tasks stop.
      c.set("2024-10-25T09:05");
      await Promise.all([p1.scheduler.tick(), p2.scheduler.tick(), restarted.scheduler.tick()]);
      const on25 = api.callsOf("sendMessage").slice(3);
      expect(
        on25.filter((m) => String(m.payload.text).includes(oct.id)).map((m) => String(m.payload.text).split("\n")[0]),
      ).toEqual(["【督办】🟡 今日到期：今天到期"]);
      await p2.tasks.done(oct.id, "telegram:9", "已报送");
      c.set("2024-10-28T09:00");
      await Promise.all([p1.scheduler.tick(), p2.scheduler.tick()]);
      expect(api.callsOf("sendMessage").filter((m) => String(m.payload.text).includes(oct.id)).length).toBe(2);
      const byTaskDay = (await stores[0]!.reminders()).filter((r) => r.sentAt);
      expect(new Set(byTaskDay.map((r) => `${r.taskId}/${r.day}`)).size).toBe(byTaskDay.length);
      expect((await stores[0]!.getTask(oct.id))!.levelHistory).toEqual([
        { level: "upcoming", on: "2024-10-22" },
        { level: "today", on: "2024-10-25" },
      ]);
      // Overdue reminders record a 催办 event.
      const overdueTask = tracked.find((t) => t.due === "2024-10-18")!;
      expect((await stores[0]!.taskEvents(overdueTask.id)).map((e) => e.kind)).toContain("催办");
      await Promise.all([...stores.map((s) => s.close())]);
    });

    it("retries a failed delivery once its lease has expired", async () => {
      const open = await openDb();
      const store = await open();
      const c = clock("2024-11-27T09:00");
      const tasks = createTaskService({ store, workdays: 3, timezone: TZ, now: c.now });
      const telegram = telegramNotifier({ token: api.token, apiRoot: api.apiRoot });
      let down = true;
      const flaky = {
        accepts: telegram.accepts,
        deliver: async (...a: Parameters<typeof telegram.deliver>) => {
          if (down) throw new Error("network down");
          await telegram.deliver(...a);
        },
      };
      const scheduler = createReminderScheduler({
        store,
        tasks,
        notifier: flaky,
        remindAt: "09:00",
        timezone: TZ,
        now: c.now,
        owner: "solo",
        leaseMs: 60_000,
      });
      const res = extractFromText(NOTICE, { today: "2024-10-12", ref: "2024-10-12" });
      await tasks.track(res, { title: res.title!, path: null }, "telegram:777", "cli");
      const first = await scheduler.tick();
      expect(first).toMatchObject({ sent: 0 });
      expect(first.failed).toBeGreaterThan(0);
      down = false;
      c.set("2024-11-27T09:00:30");
      expect(await scheduler.tick()).toMatchObject({ sent: 0, failed: 0 }); // leases still held
      c.set("2024-11-27T09:02");
      expect(await scheduler.tick()).toMatchObject({ sent: first.failed, failed: 0 });
      expect(api.messagesTo(777).length).toBe(first.failed);
      expect(await scheduler.tick()).toMatchObject({ sent: 0 });
      await store.close();
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tasks-scheduler-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
schedulerSuite("SQLite", async () => {
  const path = join(dir, `s${++n}`, "assistant.db");
  return () => openSqliteStore(path);
});

const pg = pgForTests();
describe.skipIf(pg.skip)("PostgreSQL", () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  schedulerSuite("PostgreSQL", async () => {
    const url = await cluster.createDatabase(`sched_${++n}`);
    return () => openPostgresStore(url);
  });

  it("two `npm start` bots on one PostgreSQL send each reminder once", async () => {
    const url = await cluster.createDatabase("two_bots");
    const api = await FakeBotApi.start();
    try {
      const now = () => new Date("2024-10-22T09:30:00+08:00");
      const store = await openPostgresStore(url);
      const tasks = createTaskService({ store, workdays: 3, timezone: TZ, now });
      const res = extractFromText(NOTICE, { today: "2024-10-12", ref: "2024-10-12" });
      await tasks.track(res, { title: res.title!, path: null }, "telegram:901", "cli");
      await tasks.track(res, { title: res.title!, path: null }, "telegram:902", "cli");
      const expected = (await tasks.due("2024-10-22")).filter((r) => r.chat).length;
      expect(expected).toBe(6);
      const env = {
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_ALLOWED_USERS: "1",
        DATABASE_URL: url,
        STORE_PATH: join(dir, "never.db"),
        LOG_LEVEL: "error",
        CORPUS_DIRS: join(dir, "corpus"),
      };
      const bots = [0, 1].map(() => {
        const signals = new EventEmitter();
        const running = main({
          env,
          stdin: new PassThrough(),
          stdout: new PassThrough(),
          stderr: new PassThrough(),
          signals,
          createAssistant: () => createFakeAssistant(),
          now,
        });
        return { signals, running };
      });
      await api.waitFor("sendMessage", (c) => String(c.payload.text).startsWith("【督办】"), expected);
      // Give the slower bot every chance to send a duplicate before stopping both.
      await new Promise((r) => setTimeout(r, 1500));
      for (const b of bots) b.signals.emit("SIGTERM");
      expect(await Promise.all(bots.map((b) => b.running))).toEqual([0, 0]);
      const sent = api.callsOf("sendMessage").filter((c) => String(c.payload.text).startsWith("【督办】"));
      expect(sent.length).toBe(expected);
      expect(
        new Set(sent.map((c) => `${c.payload.chat_id}|${/编号：(\w+)/.exec(String(c.payload.text))![1]}`)).size,
      ).toBe(expected);
      expect((await store.reminders({ day: "2024-10-22" })).filter((r) => r.sentAt).length).toBe(expected);
      await store.close();
    } finally {
      await api.close();
    }
  });
});
