/**
 * Document metadata: id, title, date and kind, each from the most explicit source available.
 *
 * - id: path relative to the corpus root, without extension, `/`-separated (file name alone without a root).
 * - title: front matter > Markdown `# ` heading > HTML <title>/<h1> (or PDF /Title) > the first line
 *   when it reads like a headline > the file name without a leading date.
 * - date: front matter > `发布时间` line > a signature date closing the text (`2024年10月12日`) >
 *   a `YYYY-MM-DD` file-name prefix > for regulations the LAST dated line of the header
 *   (`2018年3月2日 中华人民共和国国务院令第697号公布`; for amended laws that is the latest amendment,
 *   i.e. the date of the text as it stands).
 * - kind: front matter > the caller's `kind` > inference: regulation when the title ends with
 *   法/条例/办法/细则/规定/规则 (or 实施…办法 etc.); notice when it contains 通知/通告/公告/意见/方案;
 *   regulation when the body is structured in `第X条` articles; bulletin otherwise.
 */
import { basename, extname, relative, sep } from "node:path";
import type { CleanResult } from "./clean.js";
import { isDateOnlyLine, parseDate } from "./dates.js";
import type { RawDocument } from "./loaders/loader.js";
import { normalizeText } from "./normalize.js";
import type { DocKind, DocumentMeta } from "./types.js";

/** `第十八条` (or `第18条`) at the start of a line, followed by whitespace or end of line. */
export const ARTICLE_RE = /^第([一二三四五六七八九十百千零〇两\d]+)条(?:之[一二三四五六七八九十]+)?(?=[\s\u3000]|$)/;
/** `第三章 经营主体` heading line. */
export const CHAPTER_RE = /^第([一二三四五六七八九十百零〇\d]+)章(?:[\s\u3000]+|$)/;
/** `第一节 …` heading line. */
export const SECTION_RE = /^第([一二三四五六七八九十百零〇\d]+)节(?:[\s\u3000]+|$)/;

const DATE_PREFIX = /^(\d{4})[-_.](\d{2})[-_.](\d{2})[\s_\-.]*/;
const REGULATION_TITLE = /(?:法|条例|办法|细则|规定|规则|规程|章程)$/;
const NOTICE_TITLE = /通知|通告|公告|意见|方案/;

/** Path relative to `root` (or the file name), without extension, with `/` separators. */
export function docIdFor(path: string, root?: string): string {
  const rel = root ? relative(root, path) : basename(path);
  const noExt = rel.slice(0, rel.length - extname(rel).length);
  return noExt.split(sep).join("/");
}

/** File name without extension and without a leading `YYYY-MM-DD ` date. */
export function titleFromFileName(path: string): string {
  const name = basename(path, extname(path));
  return name.replace(DATE_PREFIX, "").trim() || name;
}

function dateFromFileName(path: string): string | null {
  const m = DATE_PREFIX.exec(basename(path));
  return m ? parseDate(`${m[1]}-${m[2]}-${m[3]}`) : null;
}

/** First non-empty lines of the text, normalised. */
function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => normalizeText(l))
    .filter((l) => l !== "");
}

/** Does this line read like a headline (short, not an article, point or date)? */
function looksLikeTitle(line: string): boolean {
  return (
    line.length >= 2 &&
    line.length <= 120 &&
    !ARTICLE_RE.test(line) &&
    !CHAPTER_RE.test(line) &&
    !isDateOnlyLine(line) &&
    !/[。；]$/.test(line)
  );
}

/** Count of lines starting with `第X条`. */
export function countArticles(text: string): number {
  return text.split("\n").filter((l) => ARTICLE_RE.test(normalizeText(l))).length;
}

export function inferKind(title: string, text: string): DocKind {
  if (REGULATION_TITLE.test(title.replace(/[(（][^)）]*[)）]$/, ""))) return "regulation";
  if (NOTICE_TITLE.test(title)) return "notice";
  if (countArticles(text) >= 3) return "regulation";
  return "bulletin";
}

/** A date that closes the document: one of its last five lines consists only of a date. */
function signatureDate(ls: string[]): string | null {
  for (const l of ls.slice(-5).reverse()) if (isDateOnlyLine(l)) return parseDate(l);
  return null;
}

/** The last dated line between the title and the first chapter/article (regulation headers). */
function headerDate(ls: string[]): string | null {
  let found: string | null = null;
  for (const l of ls.slice(1)) {
    if (ARTICLE_RE.test(l) || CHAPTER_RE.test(l)) break;
    if (/^[\d〇零一二三四五六七八九]{4}\s*年/.test(l) || /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(l)) {
      found = parseDate(l) ?? found;
    }
  }
  return found;
}

export interface MetadataInput {
  path: string;
  root?: string;
  raw: RawDocument;
  cleaned: CleanResult;
  kind?: DocKind;
}

export function inferMetadata({ path, root, raw, cleaned, kind }: MetadataInput): DocumentMeta {
  const ls = lines(cleaned.text);
  const firstLine = ls[0];
  const title = normalizeText(
    raw.title ?? (firstLine !== undefined && looksLikeTitle(firstLine) ? firstLine : titleFromFileName(path)),
  );
  const docKind = raw.kind ?? kind ?? inferKind(title, cleaned.text);
  const date =
    raw.date ??
    cleaned.publishedDate ??
    signatureDate(ls) ??
    dateFromFileName(path) ??
    (docKind === "regulation" ? headerDate(ls) : null);
  return {
    id: docIdFor(path, root),
    title,
    date,
    kind: docKind,
    path,
    ...(cleaned.source ? { source: cleaned.source } : {}),
  };
}
