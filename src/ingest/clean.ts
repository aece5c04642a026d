/**
 * Page chrome removal on the text AS PUBLISHED (traditional characters and pinyin glosses stay;
 * each line is tested in its normalised form so `發(fā)布時間` and `发布时间` look alike):
 *
 * - `發布時間:2014-08-27` / `发布日期：…` line → removed, its date becomes `publishedDate`;
 * - `點擊數:` / `点击数：123` / `浏览次数` counters → removed;
 * - image captions (`圖為…` / `图为…` lines) → removed;
 * - web page furniture (`【字体：大 中 小】`, `打印本页`, `关闭窗口`, `分享到：`, `当前位置：…`) → removed;
 * - whitespace-only lines (` `, NBSP, ideographic space) → blank, and so are lines of nothing but
 *   `?` (an NBSP that did not survive a legacy encoding); runs of blank lines → one;
 * - a trailing `?` artefact at the end of the title (first) line → removed;
 * - a source line `(本文來源:國家郵政局)` / `来源：…` is KEPT in the text and reported as `source`
 *   (chunking does not treat it as body text).
 */
import { parseDate } from "./dates.js";
import { normalizeText } from "./normalize.js";

export interface CleanResult {
  /** Cleaned text, still as published. */
  text: string;
  /** Date of a `发布时间` line, YYYY-MM-DD. */
  publishedDate?: string;
  /** Publisher named in a `来源` line (normalised), e.g. "国家邮政局". */
  source?: string;
}

const PUBLISHED = /^(?:发布|发表|发文|印发|成文)(?:时间|日期)\s*[:：]?\s*(.*)$/;
const COUNTER =
  /^(?:点击数|点击量|点击次数|浏览次数|浏览量|阅读次数|阅读量|访问次数|访问量)\s*[:：]?\s*[\d,]*\s*(?:次)?$/;
const CAPTION = /^图为/;
const FURNITURE =
  /^(?:【?\s*字[体号]\s*[:：]?\s*大\s*中\s*小\s*】?|(?:【?\s*(?:打印本页|打印|关闭窗口|关闭|收藏本页|返回顶部)\s*】?\s*)+|分享到\s*[:：].*|当前位置\s*[:：].*|您现在的位置\s*[:：].*)$/;
const SOURCE = /^[(（]?\s*(?:本文|文章|信息)?来源\s*[:：]\s*(.+?)\s*[)）]?$/;

/** True for a `(本文来源:…)` / `来源：…` line (tested on the normalised line). */
export function isSourceLine(normalisedLine: string): boolean {
  return SOURCE.test(normalisedLine);
}

export function cleanText(text: string): CleanResult {
  const out: string[] = [];
  let publishedDate: string | undefined;
  let source: string | undefined;
  let titleSeen = false;

  for (const rawLine of text.replace(/\r\n?/g, "\n").split("\n")) {
    let line = rawLine.replace(/^[\s\u00a0\u3000\ufeff]+|[\s\u00a0\u3000]+$/g, "");
    const n = normalizeText(line);
    if (n === "" || /^\?+$/.test(n)) {
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    const pub = PUBLISHED.exec(n);
    if (pub) {
      const d = parseDate(pub[1]!);
      if (d) {
        publishedDate ??= d;
        // Web pages often put both on one line: `发布时间：2024-10-12 来源：国家邮政局`.
        const inlineSource = /来源\s*[:：]\s*([^\s)）]+)/.exec(n);
        if (inlineSource && source === undefined) source = inlineSource[1]!;
        continue;
      }
    }
    if (COUNTER.test(n) || CAPTION.test(n) || FURNITURE.test(n)) continue;
    const src = SOURCE.exec(n);
    if (src && source === undefined) source = src[1]!;
    if (!titleSeen) {
      titleSeen = true;
      line = line.replace(/\?+$/, "").trimEnd();
    }
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return {
    text: out.join("\n"),
    ...(publishedDate ? { publishedDate } : {}),
    ...(source ? { source } : {}),
  };
}
