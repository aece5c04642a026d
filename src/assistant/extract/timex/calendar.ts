/**
 * Proleptic Gregorian date arithmetic on `YYYY-MM-DD` strings (UTC, no time zone surprises).
 * Small enough to write here rather than pull in a date library; working days live in working-days.ts.
 */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function fmt(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

export function parseYmd(s: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${s}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

export function isValidDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function lastDayOfMonth(y: number, m: number): string {
  return fmt(y, m, daysInMonth(y, m));
}

const toUtc = (s: string) => {
  const { y, m, d } = parseYmd(s);
  return Date.UTC(y, m - 1, d);
};
const fromUtc = (t: number) => {
  const x = new Date(t);
  return fmt(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate());
};

export function addDays(date: string, n: number): string {
  return fromUtc(toUtc(date) + n * 86_400_000);
}

/** Add months, clamping the day (1月31日 + 1 month → 2月28/29日). */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = parseYmd(date);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return fmt(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole days from a to b (b − a). */
export function diffDays(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / 86_400_000);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const w = new Date(toUtc(date)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** Monday of the week containing the date (Chinese weeks start on Monday). */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** The n-th (1-based) given ISO weekday of a month (母亲节: the 2nd Sunday of May). */
export function nthWeekday(y: number, m: number, weekday: number, n: number): string {
  const first = fmt(y, m, 1);
  return addDays(first, ((weekday - isoWeekday(first) + 7) % 7) + 7 * (n - 1));
}

/** The date part of `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`. */
export const datePart = (s: string) => s.slice(0, 10);

/** `YYYY-MM-DD` of a JS Date in a given IANA time zone (used once, for "today"). */
export function dateInZone(now: Date, timeZone = "Asia/Shanghai"): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
