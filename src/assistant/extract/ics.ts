/**
 * Calendar export (RFC 5545) with ical-generator: one VEVENT per deadline, all-day for a date, timed
 * for a date-time (Beijing time, written in UTC), repeating for recurring deadlines, spans as multi-day
 * events. UIDs are derived from the content, so re-importing the same notice updates, not duplicates.
 */
import { createHash } from "node:crypto";
import icalGenerator from "ical-generator";
import { addDays } from "./timex/calendar.js";
import type { Deadline, ExtractResponse } from "./types.js";

/** Asia/Shanghai has had no daylight saving since 1991: a fixed +08:00. */
const BEIJING_OFFSET_HOURS = 8;

function utcFromBeijing(datetime: string): Date {
  const [d, t] = datetime.split("T");
  const [y, mo, da] = d!.split("-").map(Number);
  const [h, mi] = t!.split(":").map(Number);
  return new Date(Date.UTC(y!, mo! - 1, da!, h! - BEIJING_OFFSET_HOURS, mi!));
}

/** A date at UTC midnight: ical-generator writes all-day dates from the UTC fields of a Date. */
const utcDate = (date: string) => new Date(`${date}T00:00:00Z`);

export interface IcsOptions {
  /** The source notice (path or "stdin"), written into each event. */
  source: string;
  /** DTSTAMP (injected clock). */
  now: Date;
}

function uidFor(d: Deadline, source: string): string {
  return `${createHash("sha1").update(`${source}\u0000${d.text}\u0000${d.start}\u0000${d.end}\u0000${d.item}`).digest("hex").slice(0, 24)}@postal-assistant`;
}

export function toIcs(result: ExtractResponse, opts: IcsOptions): string {
  const cal = icalGenerator({
    name: result.title ?? "通知截止日期",
    prodId: { company: "postal-assistant", product: "extract", language: "ZH" },
  });
  const notice = result.title ? `${result.title}（${opts.source}）` : opts.source;
  for (const d of result.deadlines) {
    const when = d.kind === "after" ? d.start : (d.end ?? d.start);
    if (!when) continue;
    const owner = d.owner ?? result.actions.find((a) => a.action === d.item)?.owner ?? "";
    const summary = `${d.kind === "span" || d.kind === "point" ? "" : d.kind === "after" ? "起：" : "截止："}${d.item}${owner ? `（${owner}）` : ""}`;
    const description = [
      `事项：${d.item}`,
      owner ? `责任方：${owner}` : "",
      `原文时间：${d.text}`,
      `来源：${notice}`,
      `发文日期：${result.ref}`,
    ]
      .filter(Boolean)
      .join("\n");
    const base = { id: uidFor(d, opts.source), stamp: opts.now, summary, description };
    if (when.includes("T")) {
      const start = utcFromBeijing(when);
      const event = cal.createEvent({ ...base, start, end: new Date(start.getTime() + 30 * 60_000) });
      // With a UTC DTSTART, RFC 5545 wants UNTIL in UTC too: the end of that day in Beijing.
      if (d.recurrence) event.repeating(`RRULE:${d.recurrence.replace(/UNTIL=(\d{8})(?!T)/, "UNTIL=$1T155959Z")}`);
    } else if (d.kind === "span" && d.start && d.end && !d.start.includes("T") && !d.end.includes("T")) {
      cal.createEvent({ ...base, allDay: true, start: utcDate(d.start), end: utcDate(addDays(d.end, 1)) });
    } else {
      const event = cal.createEvent({
        ...base,
        allDay: true,
        start: utcDate(when.slice(0, 10)),
        end: utcDate(addDays(when.slice(0, 10), 1)),
      });
      if (d.recurrence) event.repeating(`RRULE:${d.recurrence}`);
    }
  }
  return cal.toString();
}
