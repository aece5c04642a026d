/**
 * Telegram message formatting: HTML escaping for `parse_mode: "HTML"`, rendering of the
 * channel-independent reply blocks, and splitting under Telegram's 4096-character limit.
 *
 * Written by hand because telegraf neither escapes HTML nor splits long messages, and no
 * well-kept library splits *HTML* at Chinese sentence boundaries while keeping tags balanced.
 */
import { citationLabel, joinParts, stripControls, type Block } from "../chat-core/reply.js";
import type { Citation } from "../../assistant/ask/types.js";

export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** Escape text for Telegram HTML (and for double-quoted attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/** Telegram HTML back to plain text (tags dropped, entities decoded). */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', amp: "&" })[e]!);
}

/** Render reply blocks as Telegram HTML (only tags Telegram accepts: b, i, code, pre, blockquote). */
export function renderHtml(blocks: Block[]): string {
  const parts: string[] = [];
  const headings = new Set<number>();
  for (const b of blocks) {
    if (b.type === "heading") headings.add(parts.length);
    switch (b.type) {
      case "heading":
        parts.push(`<b>${escapeHtml(b.text)}</b>`);
        break;
      case "text":
        parts.push(escapeHtml(b.text));
        break;
      case "list":
        parts.push(
          b.items.map((item, i) => `${b.ordered === false ? "•" : `${i + 1}.`} ${escapeHtml(item)}`).join("\n"),
        );
        break;
      case "citations":
        parts.push(renderCitationsHtml(b.citations, b.full ?? false));
        break;
      case "quote":
        parts.push(`<blockquote>${escapeHtml(b.text)}</blockquote>`);
        break;
    }
  }
  return stripControls(joinParts(parts, headings));
}

export function renderCitationsHtml(citations: Citation[], full: boolean): string {
  return citations
    .map((c) => {
      const head = `[${c.n}] ${escapeHtml(citationLabel(c))}`;
      if (!full) return head;
      const lines = [head];
      if (c.quote) lines.push(`<blockquote>${escapeHtml(c.quote)}</blockquote>`);
      lines.push(`<i>${escapeHtml(c.path)}</i>`);
      return lines.join("\n");
    })
    .join(full ? "\n\n" : "\n");
}

// ---------------------------------------------------------------------------------------------
// Splitting

type Token =
  | { kind: "open"; raw: string; name: string }
  | { kind: "close"; raw: string; name: string }
  | { kind: "text"; raw: string };

/** Tags, entities and single code points (surrogate pairs kept together). */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  const re = /<\/?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\s\S]/gu;
  for (const m of html.matchAll(re)) {
    const raw = m[0];
    if (m[1] !== undefined) {
      const name = m[1].toLowerCase();
      tokens.push(raw.startsWith("</") ? { kind: "close", raw, name } : { kind: "open", raw, name });
    } else tokens.push({ kind: "text", raw });
  }
  return tokens;
}

const SENTENCE_END = new Set(["。", "！", "？", "!", "?", "\n", "；", ";"]);
const SOFT_BREAK = new Set(["，", ",", "、", " ", "：", ":"]);

const tagName = (t: Token) => (t.kind === "text" ? "" : t.name);
const closing = (stack: Token[]) =>
  stack
    .slice()
    .reverse()
    .map((t) => `</${tagName(t)}>`)
    .join("");
const reopening = (stack: Token[]) => stack.map((t) => t.raw).join("");

function applyTag(stack: Token[], tok: Token): Token[] {
  if (tok.kind === "open") return [...stack, tok];
  if (tok.kind === "close") {
    const i = stack.map(tagName).lastIndexOf(tok.name);
    if (i >= 0) return [...stack.slice(0, i), ...stack.slice(i + 1)];
  }
  return stack;
}

/**
 * Split HTML (as produced by renderHtml) into messages of at most `limit` UTF-16 code units,
 * preferring sentence ends (。！？ and newlines), then clause breaks, then a hard cut. Never cuts
 * inside a tag or an entity; tags open at a cut are closed and reopened in the next part.
 * The raw HTML length is measured, which is never less than what Telegram counts.
 */
export function splitMessage(html: string, limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  if (html.length <= limit) return html.trim() ? [html] : [];
  const tokens = tokenize(html);
  const parts: string[] = [];
  let i = 0;
  let stack: Token[] = [];
  while (i < tokens.length) {
    const prefix = reopening(stack);
    let len = prefix.length;
    let st = stack;
    type Cut = { at: number; stack: Token[]; len: number };
    let sentence: Cut | null = null;
    let soft: Cut | null = null;
    let j = i;
    let end: { at: number; stack: Token[] } | null = null;
    for (; j < tokens.length; j++) {
      const tok = tokens[j]!;
      const next = applyTag(st, tok);
      // Room needed: this token plus closing whatever is open after it.
      if (len + tok.raw.length + closing(next).length > limit && j > i) {
        // A sentence end in the first half would leave a stub message: prefer a later clause break.
        const half = limit / 2;
        end =
          sentence && sentence.len >= half
            ? sentence
            : soft && soft.len >= half
              ? soft
              : (sentence ?? soft ?? { at: j, stack: st });
        break;
      }
      len += tok.raw.length;
      st = next;
      if (tok.kind === "text") {
        if (SENTENCE_END.has(tok.raw)) sentence = { at: j + 1, stack: st, len };
        else if (SOFT_BREAK.has(tok.raw)) soft = { at: j + 1, stack: st, len };
      }
    }
    end ??= { at: tokens.length, stack: st };
    const body = tokens
      .slice(i, end.at)
      .map((t) => t.raw)
      .join("");
    const out = (prefix + body + closing(end.stack)).trim();
    if (body.trim()) parts.push(out);
    i = end.at;
    stack = end.stack;
    while (i < tokens.length && tokens[i]!.kind === "text" && /^\s$/u.test(tokens[i]!.raw)) i++;
  }
  return parts;
}
