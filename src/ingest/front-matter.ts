/**
 * Optional front matter at the top of a .md / .txt file:
 *
 *     ---
 *     title: 关于做好春节期间寄递安全工作的通知
 *     date: 2024-01-20
 *     kind: notice
 *     ---
 *
 * Only the three scalar keys above are read (other keys are ignored), so a line-based reader is
 * enough; a YAML library would add a dependency for three `key: value` lines.
 */
import { InputError } from "../errors.js";
import { DOC_KINDS, type DocKind } from "./types.js";
import { parseDate } from "./dates.js";

export interface FrontMatter {
  title?: string;
  date?: string;
  kind?: DocKind;
}

const BLOCK = /^\ufeff?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Split off front matter; returns the remaining body and the recognised fields. */
export function parseFrontMatter(text: string, path: string): { body: string; fm: FrontMatter } {
  const m = BLOCK.exec(text);
  if (!m) return { body: text, fm: {} };
  const fm: FrontMatter = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.toLowerCase();
    const value = unquote(kv[2]!);
    if (value === "") continue;
    if (key === "title") fm.title = value;
    else if (key === "date") {
      const d = parseDate(value);
      if (!d) throw new InputError(path, `front matter date "${value}" is not a date; write it as YYYY-MM-DD`);
      fm.date = d;
    } else if (key === "kind") {
      const k = value.toLowerCase();
      if (!(DOC_KINDS as readonly string[]).includes(k)) {
        throw new InputError(path, `front matter kind "${value}" is not one of ${DOC_KINDS.join(", ")}`);
      }
      fm.kind = k as DocKind;
    }
  }
  return { body: text.slice(m[0].length), fm };
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/.exec(s);
  return m ? m[2]! : s;
}
