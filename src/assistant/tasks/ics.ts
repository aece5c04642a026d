/**
 * A chat's open tasks as an iCalendar file (ical-generator), re-sent whenever they change: one
 * all-day (or timed, Beijing time) event per task on its due date, with the 督办 id, the owner and
 * the source sentence. The UID is the task id, so re-importing updates rather than duplicates.
 */
import icalGenerator from "ical-generator";
import { addDays } from "../extract/timex/calendar.js";
import type { TaskRecord } from "../../store/types.js";

const BEIJING_OFFSET_HOURS = 8;

export function tasksToIcs(tasks: TaskRecord[], options: { now: Date; name?: string }): string {
  const cal = icalGenerator({
    name: options.name ?? "督办事项",
    prodId: { company: "postal-assistant", product: "tasks", language: "ZH" },
  });
  for (const t of tasks) {
    const summary = `督办：${t.action}${t.owner ? `（${t.owner}）` : ""}`;
    const description = [
      `编号：${t.id}`,
      t.owner ? `责任单位：${t.owner}` : "",
      `原文：${t.sourceText}`,
      `来源：《${t.noticeTitle}》`,
      t.originalDue ? `原定截止：${t.originalDue}（已延期）` : "",
    ]
      .filter(Boolean)
      .join("\n");
    const base = { id: `${t.id}@postal-assistant-tasks`, stamp: options.now, summary, description };
    if (t.due.includes("T")) {
      const [d, hm] = t.due.split("T") as [string, string];
      const [y, mo, da] = d.split("-").map(Number) as [number, number, number];
      const [h, mi] = hm.split(":").map(Number) as [number, number];
      const start = new Date(Date.UTC(y, mo - 1, da, h - BEIJING_OFFSET_HOURS, mi));
      cal.createEvent({ ...base, start, end: new Date(start.getTime() + 30 * 60_000) });
    } else {
      cal.createEvent({
        ...base,
        allDay: true,
        start: new Date(`${t.due}T00:00:00Z`),
        end: new Date(`${addDays(t.due, 1)}T00:00:00Z`),
      });
    }
  }
  return cal.toString();
}
