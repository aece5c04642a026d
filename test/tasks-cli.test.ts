/**
 * 督办 through the CLI (issue 15's done-when): `tasks add` on a notice with 10月25日前 and 11月30日前
 * tracks both; `due --on` gives upcoming / today / overdue reminders on the official calendar and
 * none once `done` closed the task; `extend` only by the due day; `audit` shows the changes. Run on
 * SQLite (STORE_PATH) and on PostgreSQL (DATABASE_URL, a throw-away cluster).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/channels/cli/main.js";
import { captureIo } from "./fakes/capture-io.js";
import { pgForTests, startPgCluster, type PgCluster } from "./support/pg-cluster.js";

const NOTICE = new URL("./fixtures/tasks/notice.txt", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;

interface Task {
  id: string;
  due: string;
  owner: string;
  action: string;
  status: string;
  recurrence: string | null;
  chat: string | null;
  source: { title: string; path: string | null; text: string };
}
interface Due {
  on: string;
  reminders: {
    taskId: string;
    level: string;
    due: string;
    workdaysLeft: number;
    owner: string;
    action: string;
    chat: string | null;
  }[];
}

function cliSuite(name: string, envFor: () => Promise<Record<string, string>>) {
  describe(`tasks CLI on ${name}`, () => {
    let env: Record<string, string>;
    beforeAll(async () => {
      env = await envFor();
    });
    const run = async (args: string[], now = new Date("2024-10-12T02:00:00Z")) => {
      const c = captureIo({ env, now });
      const code = await runCli(args, c.io);
      return { code, out: c.out(), err: c.err() };
    };
    const json = async <T>(args: string[], now?: Date): Promise<T> => {
      const r = await run(args, now);
      expect(r.err, r.err).toBe("");
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as T;
    };

    it("tracks both deadlines, reminds upcoming / today / overdue, and stops once done", async () => {
      const added = await json<{ notice: { title: string; ref: string; path: string | null }; tasks: Task[] }>([
        "tasks",
        "add",
        "--json",
        "--ref",
        "2024-10-12",
        "--chat",
        "telegram:77",
        NOTICE,
      ]);
      expect(added.notice).toEqual({
        title: "关于开展寄递渠道安全隐患排查整治的通知",
        ref: "2024-10-12",
        path: NOTICE,
      });
      const oct = added.tasks.find((t) => t.due === "2024-10-25")!;
      const nov = added.tasks.find((t) => t.due === "2024-11-30")!;
      expect(oct).toMatchObject({
        owner: "各市局",
        status: "open",
        recurrence: null,
        chat: "telegram:77",
        source: {
          title: added.notice.title,
          path: NOTICE,
          text: "一、各市局要于10月25日前将本辖区排查工作方案报送省局市场监管处。",
        },
      });
      expect(nov).toMatchObject({ owner: "各寄递企业", status: "open" });
      expect(oct.id).not.toBe(nov.id);
      // The weekly duty (每周五前) is tracked as a recurring task.
      expect(added.tasks.find((t) => t.recurrence === "FREQ=WEEKLY;BYDAY=FR")).toMatchObject({ due: "2024-10-18" });

      // Tracking the same notice in the same chat again adds nothing and returns the same tasks.
      const again = await json<{ tasks: Task[] }>([
        "tasks",
        "add",
        "--json",
        "--ref",
        "2024-10-12",
        "--chat",
        "telegram:77",
        NOTICE,
      ]);
      expect(again.tasks.map((t) => t.id)).toEqual(added.tasks.map((t) => t.id));
      const listed = await json<{ tasks: Task[] }>(["tasks", "list", "--json"]);
      expect(listed.tasks.filter((t) => t.chat === "telegram:77").length).toBe(3);
      expect(listed.tasks.map((t) => t.due)).toEqual([...listed.tasks.map((t) => t.due)].sort());
      expect(listed.tasks.map((t) => t.id)).toEqual(expect.arrayContaining([oct.id, nov.id]));

      const on = async (day: string) =>
        (await json<Due>(["tasks", "due", "--json", "--on", day])).reminders.filter((r) => r.taskId === oct.id);
      // 2024-10-22 (Tue) is 3 working days before Fri 25th.
      expect(await on("2024-10-21")).toEqual([]);
      expect(await on("2024-10-22")).toEqual([
        {
          taskId: oct.id,
          level: "upcoming",
          due: "2024-10-25",
          workdaysLeft: 3,
          owner: "各市局",
          action: oct.action,
          chat: "telegram:77",
          colour: "blue",
          title: added.notice.title,
        },
      ]);
      expect(await on("2024-10-25")).toMatchObject([{ level: "today", workdaysLeft: 0 }]);
      expect(await on("2024-10-26")).toEqual([]); // Saturday: no overdue reminder
      expect(await on("2024-10-28")).toMatchObject([{ level: "overdue", workdaysLeft: -1, colour: "red" }]);

      // An extension after the due day is refused.
      const late = await run(
        ["tasks", "extend", oct.id, "2024-11-05", "--reason", "材料未齐"],
        new Date("2024-10-28T02:00:00Z"),
      );
      expect(late.code).toBe(1);
      expect(late.err).toMatch(/by the due day/);

      const done = await run(["tasks", "done", oct.id, "--note", "已报送"], new Date("2024-10-28T03:00:00Z"));
      expect(done.code).toBe(0);
      expect(await on("2024-10-28")).toEqual([]);
      expect(
        (await json<{ tasks: Task[] }>(["tasks", "list", "--json", "--status", "done"])).tasks.map((t) => t.id),
      ).toEqual([oct.id]);
      expect(
        (await json<{ tasks: Task[] }>(["tasks", "list", "--json", "--chat", "telegram:77"])).tasks.map((t) => t.id),
      ).not.toContain(oct.id);
    });

    it("extends before the due day, and the reminders follow the new date", async () => {
      const added = await json<{ tasks: Task[] }>(["tasks", "add", "--json", "--ref", "2024-10-12", NOTICE]);
      const nov = added.tasks.find((t) => t.due === "2024-11-30")!;
      const ext = await run(
        ["tasks", "extend", nov.id, "2024-12-13", "--reason", "整改工程量大"],
        new Date("2024-11-20T02:00:00Z"),
      );
      expect(ext.err).toBe("");
      expect(ext.code).toBe(0);
      const on = async (day: string) =>
        (await json<Due>(["tasks", "due", "--json", "--on", day])).reminders.filter((r) => r.taskId === nov.id);
      expect(await on("2024-12-02")).toEqual([]);
      expect(await on("2024-12-13")).toMatchObject([{ level: "today", due: "2024-12-13" }]);
      const audit = await json<{ entries: { action: string; detail: Record<string, unknown> | null }[] }>([
        "audit",
        "--json",
        "--since",
        "2000-01-01",
      ]);
      expect(audit.entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(["task.add", "task.done", "task.extend"]),
      );
      expect(audit.entries.find((e) => e.action === "task.extend")!.detail).toMatchObject({
        task: nov.id,
        from: "2024-11-30",
        to: "2024-12-13",
        reason: "整改工程量大",
      });
    });

    it("says what to do for an unknown task and bad arguments", async () => {
      const r = await run(["tasks", "done", "ffffffff"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/No task ffffffff; list the open ones/);
      expect((await run(["tasks", "due", "--on", "2024-13-01"])).code).toBe(1);
      expect((await run(["tasks", "frobnicate"])).code).toBe(2);
      expect((await run(["tasks", "list", "--status", "maybe"])).code).toBe(2);
      expect((await run(["tasks", "extend", "abc", "2024-12-01"])).code).toBe(2);
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tasks-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

cliSuite("SQLite", async () => ({ STORE_PATH: join(dir, "sqlite", "assistant.db") }));

const pg = pgForTests();
describe.skipIf(pg.skip)("PostgreSQL", () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  cliSuite("PostgreSQL", async () => ({
    DATABASE_URL: await cluster.createDatabase("tasks_cli"),
    STORE_PATH: join(dir, "unused", "never.db"),
  }));
});

describe("npm run -s tasks (the script a fresh clone runs)", () => {
  it("tracks a notice and lists its reminders from separate processes", async () => {
    const exec = promisify(execFile);
    const env = { ...process.env, STORE_PATH: join(dir, "npm", "assistant.db") };
    const add = await exec("npm", ["run", "-s", "tasks", "--", "add", "--json", "--ref", "2024-10-12", NOTICE], {
      cwd: ROOT,
      env,
    });
    const ids = (JSON.parse(add.stdout) as { tasks: Task[] }).tasks
      .filter((t) => t.due === "2024-10-25")
      .map((t) => t.id);
    const due = await exec("npm", ["run", "-s", "tasks", "--", "due", "--json", "--on", "2024-10-25"], {
      cwd: ROOT,
      env,
    });
    expect((JSON.parse(due.stdout) as Due).reminders.filter((r) => ids.includes(r.taskId)).map((r) => r.level)).toEqual(
      ["today"],
    );
  });
});
