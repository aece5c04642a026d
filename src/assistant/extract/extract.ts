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

export function extractFromText(text: string, opts: ExtractOptions): ExtractResponse {
  if (opts.ref !== undefined && !isIsoDate(opts.ref)) throw new InputError("--ref", `"${opts.ref}" is not a date; write it as YYYY-MM-DD, e.g. 2024-10-12.`);
  const norm = normalizeText(text);
  const found = findIssueDate(norm);
  const ref = opts.ref ?? found ?? opts.metaDate ?? opts.today;
  const warnings: string[] = [];
  if (!opts.ref && !found && !opts.metaDate) warnings.push(`No issue date found in the notice; relative dates are counted from today (${opts.today}). Pass --ref YYYY-MM-DD to set it.`);
  const times = resolveTimes(norm, ref);
  const notice = parseNotice(norm);
  const { actions, deadlines } = extractActions(notice.body, times, { defaultOwner: notice.addressees ?? "", text: norm, ref });
  return { ref, times, deadlines, actions, title: notice.title, ...(warnings.length ? { warnings } : {}) };
}
