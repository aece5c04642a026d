import { describe, expect, it } from "vitest";
import { LEVEL_COLOURS, reminderOn, windowStart, workdaysBetween } from "./levels.js";
import { occurrencesBetween } from "./occurrences.js";
import { tasksFromExtract } from "./from-extract.js";
import { extractFromText } from "../extract/extract.js";

describe("reminder levels on the official calendar", () => {
  it("upcoming on the working days of the window, today on the due day, overdue on working days after", () => {
    // Fri 2024-10-25, 3 working days: Tue 22, Wed 23, Thu 24.
    expect(windowStart("2024-10-25", 3)).toBe("2024-10-22");
    expect(reminderOn("2024-10-25", "2024-10-21", 3)).toBeNull();
    expect(reminderOn("2024-10-25", "2024-10-22", 3)).toEqual({ level: "upcoming", workdaysLeft: 3 });
    expect(reminderOn("2024-10-25", "2024-10-24", 3)).toEqual({ level: "upcoming", workdaysLeft: 1 });
    expect(reminderOn("2024-10-25", "2024-10-25", 3)).toEqual({ level: "today", workdaysLeft: 0 });
    expect(reminderOn("2024-10-25", "2024-10-27", 3)).toBeNull();
    expect(reminderOn("2024-10-25", "2024-10-29", 3)).toEqual({ level: "overdue", workdaysLeft: -2 });
  });

  it("counts make-up working days and skips public holidays", () => {
    // Sat 2024-10-12 is a make-up working day (国庆 调休): a due Mon 14th is reminded on it.
    expect(windowStart("2024-10-14", 3)).toBe("2024-10-10");
    expect(reminderOn("2024-10-14", "2024-10-12", 3)).toEqual({ level: "upcoming", workdaysLeft: 1 });
    expect(reminderOn("2024-10-14", "2024-10-13", 3)).toBeNull();
    // Due Mon 2024-09-30: 国庆 1-7 October are holidays, so Tue 8 October is the first working day overdue.
    expect(reminderOn("2024-09-30", "2024-10-03", 3)).toBeNull();
    expect(reminderOn("2024-09-30", "2024-10-08", 3)).toEqual({ level: "overdue", workdaysLeft: -1 });
    // Due 2024-10-08: the window runs back over the holiday: Mon 30 Sep, Sun 29 Sep (make-up day), Fri 27 Sep.
    expect(windowStart("2024-10-08", 3)).toBe("2024-09-27");
    expect(reminderOn("2024-10-08", "2024-09-29", 3)).toEqual({ level: "upcoming", workdaysLeft: 2 });
    expect(workdaysBetween("2024-09-29", "2024-10-08")).toBe(2);
    // A due day that is a holiday still gets its "today" reminder.
    expect(reminderOn("2024-10-03", "2024-10-03", 3)).toEqual({ level: "today", workdaysLeft: 0 });
  });

  it("REMIND_WORKDAYS=0 leaves only today and overdue", () => {
    expect(reminderOn("2024-10-25", "2024-10-24", 0)).toBeNull();
    expect(reminderOn("2024-10-25", "2024-10-25", 0)).toMatchObject({ level: "today" });
  });

  it("colours the levels as OA 督办 does", () => {
    expect(LEVEL_COLOURS).toEqual({ upcoming: "blue", today: "yellow", overdue: "red" });
  });
});

describe("occurrences of recurring duties", () => {
  it("每日17时前, 每周五前, 每月5日前 and a bounded series", () => {
    expect(occurrencesBetween("FREQ=DAILY", "2024-10-12T17:00", "2024-10-12", "2024-10-15")).toEqual([
      "2024-10-13T17:00",
      "2024-10-14T17:00",
      "2024-10-15T17:00",
    ]);
    expect(occurrencesBetween("FREQ=WEEKLY;BYDAY=FR", "2024-10-18", "2024-10-18", "2024-11-01")).toEqual([
      "2024-10-25",
      "2024-11-01",
    ]);
    expect(occurrencesBetween("FREQ=MONTHLY;BYMONTHDAY=5", "2024-11-05", "2024-10-01", "2025-01-10")).toEqual([
      "2024-11-05",
      "2024-12-05",
      "2025-01-05",
    ]);
    expect(occurrencesBetween("FREQ=WEEKLY;BYDAY=FR;UNTIL=20241101", "2024-10-18", "2024-10-18", "2024-12-31")).toEqual(
      ["2024-10-25", "2024-11-01"],
    );
    expect(occurrencesBetween("FREQ=DAILY", "2024-10-12", "2024-10-12", "2025-10-12", 5)).toHaveLength(5);
  });
});

describe("tasks from an extract", () => {
  it("one task per action with a deadline, with the sentence and the recurrence", () => {
    const res = extractFromText(
      "关于报送材料的通知\n各市局：\n一、各市局要于10月25日前报送自查报告。\n二、请各寄递企业每日17时前报送当日业务量。\n三、各市局要加强宣传。\n某省邮政管理局\n2024年10月12日",
      { today: "2024-10-12" },
    );
    const tasks = tasksFromExtract(res, { title: res.title ?? "", path: "n.txt" }, "telegram:1");
    expect(tasks.map((t) => [t.owner, t.due, t.recurrence])).toEqual([
      ["各市局", "2024-10-25", null],
      ["各寄递企业", "2024-10-12T17:00", "FREQ=DAILY"],
    ]);
    expect(tasks[0]).toMatchObject({
      sourceText: "一、各市局要于10月25日前报送自查报告。",
      noticeTitle: "关于报送材料的通知",
      noticePath: "n.txt",
      noticeRef: "2024-10-12",
      chat: "telegram:1",
      seriesId: null,
    });
  });
});

describe("recurring occurrences through the task service", () => {
  it("adds occurrences as their reminder window opens, once, and skips stale ones when catching up", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { openSqliteStore } = await import("../../store/sqlite-store.js");
    const { createTaskService } = await import("./task-service.js");
    const dir = mkdtempSync(join(tmpdir(), "occ-"));
    const store = await openSqliteStore(join(dir, "a.db"));
    try {
      const tasks = createTaskService({
        store,
        workdays: 3,
        timezone: "Asia/Shanghai",
        now: () => new Date("2024-10-12T02:00:00Z"),
      });
      const res = extractFromText(
        "关于报送进展的通知\n各市局：\n一、各市局每周五前报送本周进展情况。\n某省邮政管理局\n2024年10月12日",
        { today: "2024-10-12" },
      );
      const [first] = await tasks.track(res, { title: "t", path: null }, "telegram:1", "cli");
      expect(first).toMatchObject({ due: "2024-10-18", recurrence: "FREQ=WEEKLY;BYDAY=FR" });
      // On Tue 22nd the 25th's window (22, 23, 24) is open: its occurrence exists and is reminded.
      expect((await tasks.due("2024-10-22")).map((r) => [r.due, r.level])).toEqual([
        ["2024-10-18", "overdue"],
        ["2024-10-25", "upcoming"],
      ]);
      await tasks.due("2024-10-22");
      expect((await tasks.list({ seriesId: first!.id, status: "all" })).map((t) => t.due)).toEqual([
        "2024-10-18",
        "2024-10-25",
      ]);
      // Nothing ran for weeks: only the last week's occurrences are added.
      await tasks.due("2024-12-11");
      const dues = (await tasks.list({ seriesId: first!.id, status: "all" })).map((t) => t.due);
      expect(dues).toEqual(["2024-10-18", "2024-10-25", "2024-12-06", "2024-12-13"]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
