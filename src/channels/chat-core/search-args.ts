/**
 * `/search` arguments: free query text plus `key:value` filters, in English or Chinese:
 *   kind:regulation|bulletin|notice (类型:法规|公告|通知), since:2015 | 2015-06 | 2015-06-01 (自:),
 *   until:… (至:), year:2015 (年份:), k:5 (条数:).
 * Both ":" and the full-width "：" are accepted.
 */
import type { DocKind } from "../../ingest/types.js";
import type { SearchOptions } from "../../retrieval/types.js";

export class SearchArgsError extends Error {
  override name = "SearchArgsError";
}

const KIND_ALIASES: Record<string, DocKind> = {
  regulation: "regulation",
  regulations: "regulation",
  law: "regulation",
  法规: "regulation",
  法律: "regulation",
  条例: "regulation",
  规章: "regulation",
  bulletin: "bulletin",
  bulletins: "bulletin",
  news: "bulletin",
  公告: "bulletin",
  新闻: "bulletin",
  通报: "bulletin",
  notice: "notice",
  notices: "notice",
  通知: "notice",
};

const KEY_ALIASES: Record<string, "kind" | "since" | "until" | "year" | "k"> = {
  kind: "kind",
  type: "kind",
  类型: "kind",
  类别: "kind",
  since: "since",
  from: "since",
  自: "since",
  从: "since",
  until: "until",
  to: "until",
  至: "until",
  到: "until",
  year: "year",
  年份: "year",
  k: "k",
  条数: "k",
};

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Expand YYYY, YYYY-MM or YYYY-MM-DD (also with / or .) to the first or last day it covers. */
export function parseDateBound(value: string, end: boolean): string | null {
  const m = /^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$/.exec(value.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? (end ? 12 : 1) : Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  const d = m[3] === undefined ? (end ? daysInMonth(y, mo) : 1) : Number(m[3]);
  if (d < 1 || d > daysInMonth(y, mo)) return null;
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export interface ParsedSearch {
  query: string;
  options: SearchOptions;
}

export function parseSearchArgs(input: string): ParsedSearch {
  const options: SearchOptions = {};
  const words: string[] = [];
  for (const token of input.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([^:：]+)[:：](.+)$/.exec(token);
    const key = m ? KEY_ALIASES[m[1]!.toLowerCase()] : undefined;
    if (!m || !key) {
      words.push(token);
      continue;
    }
    const value = m[2]!;
    switch (key) {
      case "kind": {
        const kind = KIND_ALIASES[value.toLowerCase()];
        if (!kind)
          throw new SearchArgsError(`不认识的类型“${value}”，可用：regulation(法规)、bulletin(公告)、notice(通知)。`);
        options.kind = kind;
        break;
      }
      case "since":
      case "until": {
        const d = parseDateBound(value, key === "until");
        if (!d) throw new SearchArgsError(`日期“${value}”无法识别，请写成 2015、2015-06 或 2015-06-01。`);
        options[key] = d;
        break;
      }
      case "year": {
        const since = parseDateBound(value, false);
        const until = parseDateBound(value, true);
        if (!since || !until || !/^\d{4}年?$/.test(value))
          throw new SearchArgsError(`年份“${value}”无法识别，请写成 2015。`);
        options.since = since;
        options.until = until;
        break;
      }
      case "k": {
        const k = Number(value);
        if (!Number.isInteger(k) || k < 1 || k > 20) throw new SearchArgsError(`条数“${value}”应为 1 到 20 的整数。`);
        options.k = k;
        break;
      }
    }
  }
  if (options.since && options.until && options.since > options.until)
    throw new SearchArgsError(`起始日期 ${options.since} 晚于截止日期 ${options.until}。`);
  return { query: words.join(" "), options };
}
