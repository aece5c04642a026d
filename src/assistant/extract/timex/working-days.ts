/**
 * Working days on the official Chinese calendar (public holidays and the weekend make-up working
 * days announced by the State Council), delegated to the `chinese-days` package, which ships the
 * yearly schedule. Outside the years it knows, it falls back to Monday–Friday.
 */
import chineseDays from "chinese-days";

const { findWorkday, isWorkday } = chineseDays;

/** The n-th working day after `date` (n ≥ 1), e.g. 15个工作日内 from the issue date. */
export function addWorkdays(date: string, n: number): string {
  if (n <= 0) return date;
  return findWorkday(n, date);
}

export function isWorkingDay(date: string): boolean {
  return isWorkday(date);
}
