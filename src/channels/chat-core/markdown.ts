/**
 * Replies as Markdown for the platforms that render it (DingTalk, Feishu cards' lark_md, WeCom),
 * and splitting a rendered reply under a platform's limit.
 *
 * Text from documents and users is escaped, so that 「**」, 「[x](url)」 or 「<font>」 inside a
 * regulation or a question is shown as written and never becomes formatting or a link.
 * Hand-written: no well-kept library renders this block model, and the platforms' Markdown
 * subsets differ from CommonMark enough that a general renderer would emit what they ignore.
 */
import { citationLabel, stripControls, type Block, type Reply } from "./reply.js";

/**
 * Escape text for Markdown: inline markers (\\ ` * _ [ ] ~ |) get a backslash, HTML's < > & become
 * entities (DingTalk and Feishu read inline HTML such as <font>), and a line that would start a
 * heading, list or quote gets its marker escaped. Punctuation elsewhere is left alone so that
 * dates (2018-03-02) and numbers (3.5) read as written.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]~|])/g, "\\$1")
    .replace(/^(\s*)([#+-])/gm, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/gm, "$1\\$2");
}

export interface MarkdownOptions {
  /** Role of the reader: actions for admins are offered only to admins. */
  role?: "admin" | "user" | "stranger";
}

function renderBlock(b: Block): string {
  switch (b.type) {
    case "heading":
      return `**${escapeMarkdown(b.text)}**`;
    case "text":
      return escapeMarkdown(b.text).replace(/\n/g, "  \n");
    case "quote":
      return b.text
        .split("\n")
        .map((l) => `> ${escapeMarkdown(l)}`)
        .join("\n");
    case "list":
      return b.items
        .map(
          (item, i) => `${b.ordered === false ? "-" : `${i + 1}.`} ${escapeMarkdown(item).replace(/\n/g, "  \n   ")}`,
        )
        .join("\n");
    case "citations":
      // A numbered list whose numbers are the citation numbers in the answer ([1], [2] …).
      return b.citations
        .map((c) => {
          const head = `${c.n}. ${escapeMarkdown(citationLabel(c))}`;
          if (!b.full) return head;
          return [head, c.quote ? `   > ${escapeMarkdown(c.quote)}` : "", `   ${escapeMarkdown(c.path)}`]
            .filter(Boolean)
            .join("\n");
        })
        .join(b.full ? "\n\n" : "\n");
  }
}

/** Render a reply's blocks (and its admin actions as `/add ID` hints) as Markdown. */
export function renderMarkdown(reply: Reply, options: MarkdownOptions = {}): string {
  const parts = reply.blocks.map(renderBlock).filter(Boolean);
  const actions = (reply.actions ?? []).filter((a) => a.role !== "admin" || options.role === "admin");
  for (const a of actions) {
    const m = /^add:(.+)$/.exec(a.id);
    if (m) parts.push(escapeMarkdown(`发送 /add ${m[1]} ${a.label}`));
  }
  return stripControls(parts.join("\n\n"));
}

/** Plain text of a reply (for platforms' notification previews and titles). */
export function firstLine(reply: Reply, max = 30): string {
  const b = reply.blocks.find((x) => x.type === "heading" || x.type === "text");
  const t = b && "text" in b ? b.text.replace(/\s+/g, " ").trim() : "邮政管理助手";
  return t.length > max ? `${t.slice(0, max)}…` : t || "邮政管理助手";
}

export interface SplitLimit {
  /** Most characters (UTF-16 code units) in one message. */
  maxChars?: number;
  /** Most UTF-8 bytes in one message. */
  maxBytes?: number;
}

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * Split rendered text into messages under the limit: at a blank line if one is in reach, else at
 * a line end, else after a Chinese or Latin sentence end, else hard (never inside a surrogate
 * pair or right after an escaping backslash).
 */
export function splitText(text: string, limit: SplitLimit): string[] {
  const maxChars = limit.maxChars ?? Number.POSITIVE_INFINITY;
  const maxBytes = limit.maxBytes ?? Number.POSITIVE_INFINITY;
  const fits = (s: string) => s.length <= maxChars && utf8(s) <= maxBytes;
  const out: string[] = [];
  let rest = text.trim();
  while (rest && !fits(rest)) {
    // The longest prefix that fits (binary search on code units; bytes grow with length).
    let lo = 1;
    let hi = Math.min(rest.length, maxChars);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(rest.slice(0, mid))) lo = mid;
      else hi = mid - 1;
    }
    const window = rest.slice(0, lo);
    const floor = Math.floor(lo / 2); // do not make tiny pieces to reach a boundary
    let cut = -1;
    for (const re of [/\n\n/g, /\n/g, /[。！？；!?;](?=[^。！？；!?;]|$)|[.](?=\s)/g]) {
      let last = -1;
      for (const m of window.matchAll(re)) if (m.index! + m[0].length > floor) last = m.index! + m[0].length;
      if (last > 0) {
        cut = last;
        break;
      }
    }
    if (cut <= 0) {
      cut = lo;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep a surrogate pair together
      while (cut > 1 && rest[cut - 1] === "\\") cut -= 1; // keep an escape with what it escapes
    }
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}
