/**
 * Extract deadlines and action items from a notice: `extractFromText(text, { ref?, today })`.
 * ref = the given issue date, else the date found in the notice, else today (injected, never the clock).
 */
import { normalizeText } from "../../ingest/normalize.js";
import { extractActions } from "./action-items.js";
import { findIssueDate, parseNotice } from "./notice.js";
import { resolveTimes } from "./resolve-times.js";
import type { ExtractResponse } from "./types.js";
import { InputError } from "../../errors.js";

export interface ExtractOptions {
  /** Issue date override, YYYY-MM-DD. */
  ref?: string;
  /** Today's date, YYYY-MM-DD (the last fallback for ref). */
  today: string;
  /** A date the loader found in the document's metadata (e.g. 发布时间), used before today. */
  metaDate?: string | null;
}

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The period an undated notice is about: a time with a written year in its title (2024年第三季度, 2024年11月),
 * else a year-month line in the signature block (2024年7月). Its first day, or null.
 */
export function noticePeriod(title: string | null, text: string, today: string): string | null {
  const written = (t: { text: string; start: string | null }) =>
    !!t.start && /(?:19|20)[0-9]{2}年|[〇零○一二][〇零○一二三四五六七八九]{3}年/.test(t.text);
  if (title) {
    const t = resolveTimes(title, today).find(written);
    if (t?.start) return t.start.slice(0, 10);
  }
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-4);
  for (const line of lines.reverse()) {
    if (!/^(?:(?:19|20)[0-9]{2}|[〇零○一二][〇零○一二三四五六七八九]{3})年[0-9一二三四五六七八九十]{1,3}月$/.test(line))
      continue;
    const t = resolveTimes(line, today).find(written);
    if (t?.start) return t.start.slice(0, 10);
  }
  return null;
}

export function extractFromText(text: string, opts: ExtractOptions): ExtractResponse {
  if (opts.ref !== undefined && !isIsoDate(opts.ref))
    throw new InputError("--ref", `"${opts.ref}" is not a date; write it as YYYY-MM-DD, e.g. 2024-10-12.`);
  const norm = normalizeText(text);
  const found = findIssueDate(norm);
  const notice = parseNotice(norm);
  // An undated notice whose title (or signature) names its period (关于报送2024年第三季度…): the period's first day.
  const period = !opts.ref && !found && !opts.metaDate ? noticePeriod(notice.title, norm, opts.today) : null;
  const ref = opts.ref ?? found ?? opts.metaDate ?? period ?? opts.today;
  const warnings: string[] = [];
  if (!opts.ref && !found && !opts.metaDate)
    warnings.push(
      period
        ? `No issue date found in the notice; dates are counted from the start of the period its title names (${period}). Pass --ref YYYY-MM-DD to set it.`
        : `No issue date found in the notice; relative dates are counted from today (${opts.today}). Pass --ref YYYY-MM-DD to set it.`,
    );
  const times = resolveTimes(norm, ref);
  const { actions, deadlines } = extractActions(notice.body, times, {
    defaultOwner: notice.addressees ?? "",
    text: norm,
    ref,
  });
  return { ref, times, deadlines, actions, title: notice.title, ...(warnings.length ? { warnings } : {}) };
}
