/**
 * What a chat handler returns, independent of the channel: blocks of text that the Telegram
 * adapter renders as HTML and the terminal chat as plain text, files to send, and actions
 * (Telegram inline buttons; `/add ID` in the terminal).
 */
import type { Citation } from "../../assistant/ask/types.js";

export type Block =
  | { type: "heading"; text: string }
  | { type: "text"; text: string }
  | { type: "quote"; text: string }
  /** Numbered unless `ordered` is false. */
  | { type: "list"; items: string[]; ordered?: boolean }
  /** Citations as a numbered list; `full` adds the quoted sentence and the source path. */
  | { type: "citations"; citations: Citation[]; full?: boolean };

export interface ReplyFile {
  filename: string;
  content: Buffer;
  caption?: string;
}

export interface ReplyAction {
  /** Short opaque id handed back to ChatCore.action (fits Telegram's 64-byte callback data). */
  id: string;
  label: string;
  /** Only callers with this role are offered the action (any allowed user when absent). */
  role?: "admin";
}

export interface Reply {
  blocks: Block[];
  files?: ReplyFile[];
  actions?: ReplyAction[];
}

export const textReply = (text: string): Reply => ({ blocks: [{ type: "text", text }] });

/**
 * Remove control characters (ESC sequences that would clear or recolour a terminal, NUL, bell …)
 * from text shown to a user; newlines and tabs stay.
 */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/** Join rendered blocks: a blank line between blocks, a single newline after a heading. */
export function joinParts(parts: string[], headings: Set<number>): string {
  let out = "";
  parts.forEach((p, i) => {
    if (!p) return;
    if (out) out += headings.has(i - 1) && parts[i - 1] ? "\n" : "\n\n";
    out += p;
  });
  return out;
}

/** One citation's heading: 《title》 section (date). */
export function citationLabel(c: Citation): string {
  return [`《${c.title}》`, c.section ?? "", c.date ? `(${c.date})` : ""].filter(Boolean).join(" ");
}

/** Plain-text rendering for the terminal chat. */
export function renderPlain(reply: Reply): string {
  const parts: string[] = [];
  const headings = new Set<number>();
  for (const b of reply.blocks) {
    if (b.type === "heading") headings.add(parts.length);
    switch (b.type) {
      case "heading":
        parts.push(`【${b.text}】`);
        break;
      case "text":
        parts.push(b.text);
        break;
      case "quote":
        parts.push(
          b.text
            .split("\n")
            .map((l) => `  > ${l}`)
            .join("\n"),
        );
        break;
      case "list":
        parts.push(b.items.map((item, i) => `${b.ordered === false ? "•" : `${i + 1}.`} ${item}`).join("\n"));
        break;
      case "citations":
        parts.push(
          b.citations
            .map((c) => {
              const head = `[${c.n}] ${citationLabel(c)}`;
              return b.full ? [head, c.quote ? `  > ${c.quote}` : "", `  ${c.path}`].filter(Boolean).join("\n") : head;
            })
            .join(b.full ? "\n\n" : "\n"),
        );
        break;
    }
  }
  return stripControls(joinParts(parts, headings));
}
