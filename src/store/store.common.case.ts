/**
 * The store contract, run over both implementations (sqlite-store.test.ts, postgres-store.test.ts),
 * as hono's adapters share common.case tests. `fresh()` gives an empty database; each `open()` on
 * it is another process (or a restart) on that same database.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { NewTask, Store } from "./types.js";

export interface StoreFixture {
  fresh(): Promise<{ open(): Promise<Store> }>;
}

const task = (over: Partial<NewTask> = {}): NewTask => ({
  owner: "各市局",
  action: "报送自查报告",
  due: "2024-10-25",
  recurrence: null,
  seriesId: null,
  noticeTitle: "关于开展寄递安全检查的通知",
  noticePath: "notice.txt",
  noticeRef: "2024-10-12",
  sourceText: "各市局要于10月25日前报送自查报告。",
  chat: "telegram:1",
  ...over,
});

const AT = "2024-10-12T01:00:00.000Z";

export function storeContract(name: string, fixture: StoreFixture): void {
  describe(`store contract: ${name}`, () => {
    const opened: Store[] = [];
    const open = async (db: { open(): Promise<Store> }) => {
      const s = await db.open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close().catch(() => {})));
    });

    it("adds tasks with a 交办 event and lists them by due date, by chat and status", async () => {
      const s = await open(await fixture.fresh());
      const [a, b, c] = await s.addTasks(
        [task({ due: "2024-11-30" }), task({ due: "2024-10-25" }), task({ due: "2024-10-30T17:00", chat: null })],
        "cli",
        AT,
      );
      expect(a!.id).toMatch(/^[0-9a-f]{8}$/);
      expect(new Set([a!.id, b!.id, c!.id]).size).toBe(3);
      expect((await s.listTasks()).map((t) => t.due)).toEqual(["2024-10-25", "2024-10-30T17:00", "2024-11-30"]);
      expect((await s.listTasks({ chat: "telegram:1" })).map((t) => t.id)).toEqual([b!.id, a!.id]);
      expect((await s.listTasks({ chat: null })).map((t) => t.id)).toEqual([c!.id]);
      const got = await s.getTask(a!.id);
      expect(got).toEqual(a);
      expect(got).toMatchObject({
        status: "open",
        owner: "各市局",
        sourceText: "各市局要于10月25日前报送自查报告。",
        noticeRef: "2024-10-12",
        levelHistory: [],
      });
      expect(await s.taskEvents(a!.id)).toEqual([{ taskId: a!.id, kind: "交办", actor: "cli", at: AT, note: null }]);
      expect(await s.getTask("nosuchid")).toBeNull();
    });

    it("closes (办结) and extends (延期) with events; closed tasks leave the open list", async () => {
      const s = await open(await fixture.fresh());
      const [a, b] = await s.addTasks([task(), task({ due: "2024-11-30" })], "cli", AT);
      const ext = await s.extendTask(a!.id, "2024-11-05", "telegram:7", "2024-10-20T02:00:00.000Z", "数据尚未汇总");
      expect(ext).toMatchObject({ due: "2024-11-05", originalDue: "2024-10-25" });
      const ext2 = await s.extendTask(a!.id, "2024-11-08", "telegram:7", "2024-10-21T02:00:00.000Z", "再延");
      expect(ext2).toMatchObject({ due: "2024-11-08", originalDue: "2024-10-25" });
      const done = await s.closeTask(b!.id, "cli", "2024-10-22T02:00:00.000Z", "已报送");
      expect(done).toMatchObject({ status: "done", closedAt: "2024-10-22T02:00:00.000Z" });
      expect(await s.closeTask("nosuchid", "cli", AT, null)).toBeNull();
      expect((await s.listTasks()).map((t) => t.id)).toEqual([a!.id]);
      expect((await s.listTasks({ status: "done" })).map((t) => t.id)).toEqual([b!.id]);
      expect((await s.listTasks({ status: "all" })).length).toBe(2);
      expect((await s.taskEvents(a!.id)).map((e) => [e.kind, e.note])).toEqual([
        ["交办", null],
        ["延期", "2024-10-25 → 2024-11-05：数据尚未汇总"],
        ["延期", "2024-11-05 → 2024-11-08：再延"],
      ]);
      expect((await s.taskEvents(b!.id)).map((e) => [e.kind, e.actor, e.note])).toEqual([
        ["交办", "cli", null],
        ["办结", "cli", "已报送"],
      ]);
      await s.addTaskEvent({ taskId: a!.id, kind: "催办", actor: "scheduler", at: AT, note: "overdue" });
      expect((await s.taskEvents(a!.id)).at(-1)).toMatchObject({ kind: "催办", actor: "scheduler" });
    });

    it("keeps the level history without repeats", async () => {
      const s = await open(await fixture.fresh());
      const [a] = await s.addTasks([task()], "cli", AT);
      await s.recordLevel(a!.id, { level: "upcoming", on: "2024-10-22" });
      await s.recordLevel(a!.id, { level: "upcoming", on: "2024-10-23" });
      await s.recordLevel(a!.id, { level: "today", on: "2024-10-25" });
      expect((await s.getTask(a!.id))!.levelHistory).toEqual([
        { level: "upcoming", on: "2024-10-22" },
        { level: "today", on: "2024-10-25" },
      ]);
    });

    it("adds an occurrence of a series once per due date", async () => {
      const s = await open(await fixture.fresh());
      const [first] = await s.addTasks([task({ recurrence: "FREQ=WEEKLY;BYDAY=FR", due: "2024-10-18" })], "cli", AT);
      const occ = task({ recurrence: "FREQ=WEEKLY;BYDAY=FR", due: "2024-10-25", seriesId: first!.id });
      const [x] = await s.addTasks([occ], "cli", AT);
      const [y] = await s.addTasks([occ], "cli", AT);
      expect(y!.id).toBe(x!.id);
      expect((await s.listTasks({ seriesId: first!.id })).map((t) => t.due)).toEqual(["2024-10-18", "2024-10-25"]);
    });

    it("plans each reminder once per task and day, and leases it to one process at a time", async () => {
      const db = await fixture.fresh();
      const s1 = await open(db);
      const s2 = await open(db);
      const tasks = await s1.addTasks([task(), task({ due: "2024-10-24" }), task({ due: "2024-10-23" })], "cli", AT);
      const plan = tasks.map((t) => ({ taskId: t.id, day: "2024-10-22", level: "upcoming" as const, chat: t.chat }));
      await Promise.all([s1.planReminders(plan), s2.planReminders(plan), s1.planReminders(plan.slice(0, 1))]);
      expect((await s2.reminders({ day: "2024-10-22" })).length).toBe(3);
      const now = "2024-10-22T01:00:00.000Z";
      const until = "2024-10-22T01:05:00.000Z";
      const [l1, l2] = await Promise.all([
        s1.leaseReminders("2024-10-22", "p1", now, until),
        s2.leaseReminders("2024-10-22", "p2", now, until),
      ]);
      const ids1 = l1.map((r) => r.taskId);
      const ids2 = l2.map((r) => r.taskId);
      expect(ids1.filter((id) => ids2.includes(id))).toEqual([]);
      expect([...ids1, ...ids2].sort()).toEqual(tasks.map((t) => t.id).sort());
      // Only the lease holder marks a reminder sent.
      const [mine] = l1.length ? [{ r: l1[0]!, owner: "p1" }] : [{ r: l2[0]!, owner: "p2" }];
      expect(await s1.markReminderSent(mine.r.taskId, mine.r.day, "someone-else", now)).toBe(false);
      expect(await s1.markReminderSent(mine.r.taskId, mine.r.day, mine.owner, now)).toBe(true);
      expect(await s2.markReminderSent(mine.r.taskId, mine.r.day, mine.owner, now)).toBe(false);
      // A live lease is not leased again; a released or expired one is; a sent one never.
      expect(await s2.leaseReminders("2024-10-22", "p3", now, until)).toEqual([]);
      const rest = [...l1, ...l2].filter((r) => r.taskId !== mine.r.taskId);
      const holderOf = (id: string) => (ids1.includes(id) ? "p1" : "p2");
      await s1.releaseReminder(rest[0]!.taskId, "2024-10-22", holderOf(rest[0]!.taskId));
      expect((await s2.leaseReminders("2024-10-22", "p3", now, until)).map((r) => r.taskId)).toEqual([rest[0]!.taskId]);
      const later = "2024-10-22T01:06:00.000Z";
      const again = await s1.leaseReminders("2024-10-22", "p4", later, "2024-10-22T01:10:00.000Z");
      expect(again.map((r) => r.taskId).sort()).toEqual(rest.map((r) => r.taskId).sort());
      expect((await s1.reminders({ taskId: mine.r.taskId }))[0]).toMatchObject({ sentAt: now, level: "upcoming" });
    });

    it("keeps a chat's last turns, oldest first, and clears them", async () => {
      const s = await open(await fixture.fresh());
      for (let i = 1; i <= 5; i++)
        await s.appendTurn(
          { chatId: "telegram:1", at: AT, turn: { question: `q${i}`, answer: `a${i}` }, answer: { n: i } },
          3,
        );
      await s.appendTurn({ chatId: "telegram:2", at: AT, turn: { question: "other" }, answer: null }, 3);
      const turns = await s.recentTurns("telegram:1", 10);
      expect(turns.map((t) => (t.turn as { question: string }).question)).toEqual(["q3", "q4", "q5"]);
      expect(turns.at(-1)!.answer).toEqual({ n: 5 });
      expect((await s.recentTurns("telegram:1", 2)).map((t) => (t.turn as { question: string }).question)).toEqual([
        "q4",
        "q5",
      ]);
      await s.clearTurns("telegram:1");
      expect(await s.recentTurns("telegram:1", 10)).toEqual([]);
      expect((await s.recentTurns("telegram:2", 10)).length).toBe(1);
    });

    it("appends turns of one chat from two processes at once without losing one", async () => {
      const db = await fixture.fresh();
      const [s1, s2] = [await open(db), await open(db)];
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? s1 : s2).appendTurn({ chatId: "telegram:3", at: AT, turn: { question: `q${i}` }, answer: null }, 10),
        ),
      );
      expect((await s1.recentTurns("telegram:3", 10)).length).toBe(6);
    });

    it("records a refusal once per user", async () => {
      const s = await open(await fixture.fresh());
      expect(await s.recordRefusal("telegram:9", "telegram:9", AT)).toBe(true);
      expect(await s.recordRefusal("telegram:9", "telegram:10", AT)).toBe(false);
      expect(await s.recordRefusal("telegram:8", "telegram:8", AT)).toBe(true);
    });

    it("keeps the newest pending files, hands each out once", async () => {
      const s = await open(await fixture.fresh());
      const f = (id: string, at: string) => ({
        id,
        chatId: "telegram:1",
        userId: "telegram:5",
        path: `/tmp/${id}.pdf`,
        filename: `${id}.pdf`,
        createdAt: at,
      });
      expect(await s.putPendingFile(f("a", "2024-10-12T01:00:00.000Z"), 2)).toEqual([]);
      expect(await s.putPendingFile(f("b", "2024-10-12T01:01:00.000Z"), 2)).toEqual([]);
      expect((await s.putPendingFile(f("c", "2024-10-12T01:02:00.000Z"), 2)).map((x) => x.id)).toEqual(["a"]);
      expect((await s.pendingFiles()).map((x) => x.id)).toEqual(["b", "c"]);
      expect(await s.takePendingFile("b")).toEqual(f("b", "2024-10-12T01:01:00.000Z"));
      expect(await s.takePendingFile("b")).toBeNull();
    });

    it("keeps the last extract of each chat, the newest replacing the older", async () => {
      const s = await open(await fixture.fresh());
      expect(await s.lastExtract("telegram:1")).toBeNull();
      await s.setLastExtract("telegram:1", {
        at: AT,
        notice: { title: "甲", path: "a.txt" },
        extract: { ref: "2024-10-12", actions: [] },
      });
      await s.setLastExtract("telegram:1", {
        at: AT,
        notice: { title: "乙", path: null },
        extract: { ref: "2024-10-13", actions: [1] },
      });
      await s.setLastExtract("telegram:2", { at: AT, notice: { title: "丙", path: null }, extract: {} });
      expect(await s.lastExtract("telegram:1")).toEqual({
        at: AT,
        notice: { title: "乙", path: null },
        extract: { ref: "2024-10-13", actions: [1] },
      });
    });

    it("writes the audit log and reads it since a date", async () => {
      const s = await open(await fixture.fresh());
      await s.audit({
        at: "2024-10-11T23:00:00.000Z",
        actor: "telegram:5",
        chat: "telegram:1",
        action: "ask",
        subject: "快递企业应当如何保护用户信息？",
        detail: { sources: [{ title: "快递暂行条例", section: "第三十四条" }] },
      });
      const added = {
        at: "2024-10-12T02:00:00.000Z",
        actor: "cli",
        chat: null,
        action: "task.add",
        subject: null,
        detail: { tasks: ["abc"] },
      };
      await s.audit(added);
      expect((await s.auditLog()).map((e) => e.action)).toEqual(["ask", "task.add"]);
      expect(await s.auditLog({ since: "2024-10-12" })).toEqual([added]);
      expect((await s.auditLog())[0]!.detail).toEqual({ sources: [{ title: "快递暂行条例", section: "第三十四条" }] });
    });

    it("keeps everything across a restart and migrates an up-to-date database without change", async () => {
      const db = await fixture.fresh();
      const s1 = await open(db);
      const [a] = await s1.addTasks([task()], "cli", AT);
      await s1.appendTurn({ chatId: "telegram:1", at: AT, turn: { question: "q" }, answer: null }, 6);
      await s1.audit({ at: AT, actor: "cli", chat: null, action: "task.add", subject: null, detail: null });
      await s1.close();
      opened.splice(opened.indexOf(s1), 1);
      const s2 = await open(db);
      expect(await s2.getTask(a!.id)).toEqual(a);
      expect((await s2.recentTurns("telegram:1", 6)).length).toBe(1);
      expect((await s2.auditLog()).length).toBe(1);
    });
  });
}
