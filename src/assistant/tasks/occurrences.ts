/**
 * Occurrences of a recurring duty (每日17时前报送, 每周五前, 每月5日前): the due dates an RRULE
 * (as extract writes it) yields after the first one, with the `rrule` package. Times of day
 * ("T17:00") are carried over from the first due date.
 */
import rrulePkg from "rrule";
import { addDays } from "../extract/timex/calendar.js";

const { rrulestr } = rrulePkg;

const toUtc = (date: string) => new Date(`${date}T00:00:00Z`);
const fromUtc = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Due dates of the series starting at `firstDue` that fall in (`after`, `until`] (dates,
 * YYYY-MM-DD), at most `max`. Same form as firstDue (with its time of day when it has one).
 */
export function occurrencesBetween(
  recurrence: string,
  firstDue: string,
  after: string,
  until: string,
  max = 400,
): string[] {
  const [firstDay, time] = firstDue.split("T") as [string, string | undefined];
  // DTSTART at UTC midnight of the first due date, dates compared as UTC dates: no zone arithmetic.
  const rule = rrulestr(
    `DTSTART:${firstDay.replace(/-/g, "")}T000000Z\nRRULE:${recurrence.replace(/UNTIL=(\d{8})(?!T)/, "UNTIL=$1T000000Z")}`,
  );
  const dayAfter = addDays(after, 1);
  const lower = dayAfter > firstDay ? dayAfter : firstDay;
  if (lower > until) return [];
  const out: string[] = [];
  rule.between(toUtc(lower), toUtc(until), true, (d) => {
    out.push(time ? `${fromUtc(d)}T${time}` : fromUtc(d));
    return out.length < max;
  });
  return out;
}
