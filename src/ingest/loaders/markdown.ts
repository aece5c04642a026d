/**
 * .md: Markdown syntax removed, headings kept as plain text lines (chunking recognises
 * `第三章 …` / `第十八条 …` lines, whatever the heading level). The first `# ` heading is the title
 * unless front matter says otherwise.
 *
 * The stripping is line-based and hand-written: none of the project's dependencies parses Markdown,
 * and all we need is the text with its line structure, not a document tree.
 */
import { decodeText } from "../decode-text.js";
import { parseFrontMatter } from "../front-matter.js";
import type { Loader, RawDocument } from "./loader.js";

/** Inline markup → text. */
function stripInline(s: string): string {
  return s
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/(`+)(.+?)\1/g, "$2")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(\*|_)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1");
}

/** Markdown → plain text with one paragraph / heading per line; also returns the first `# ` heading. */
export function stripMarkdown(md: string): { text: string; heading?: string } {
  const out: string[] = [];
  let heading: string | undefined;
  let inFence = false;
  // Multi-line HTML comments (e.g. `<!-- INFO END -->` blocks) are removed before the line pass.
  const lines = md.replace(/<!--[\s\S]*?-->/g, "").split(/\r?\n/);
  for (const rawLine of lines) {
    let line = rawLine;
    if (/^\s{0,3}(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push("");
      continue;
    }
    if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // link reference definition
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line) && line.includes("-") && line.includes("|"))
      continue;
    if (/^\s*\|.*\|\s*$/.test(line)) {
      line = line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim())
        .join(" ");
    }
    line = line.replace(/^\s{0,3}(>\s?)+/, "");
    const h = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      line = stripInline(h[2]!);
      if (h[1] === "#" && heading === undefined && line.trim() !== "") heading = line.trim();
      out.push(line);
      continue;
    }
    line = line.replace(/^(\s*)[-*+]\s+/, "$1");
    out.push(stripInline(line));
  }
  return { text: out.join("\n"), ...(heading !== undefined ? { heading } : {}) };
}

export const markdownLoader: Loader = {
  extensions: [".md", ".markdown"],
  async load(bytes: Buffer, path: string): Promise<RawDocument> {
    const decoded = decodeText(bytes, path);
    const { body, fm } = parseFrontMatter(decoded.text, path);
    const { text, heading } = stripMarkdown(body);
    const title = fm.title ?? heading;
    return {
      text,
      ...(title ? { title, titleSource: fm.title ? ("front-matter" as const) : ("heading" as const) } : {}),
      ...(fm.date ? { date: fm.date } : {}),
      ...(fm.kind ? { kind: fm.kind } : {}),
      ...(decoded.warning ? { warnings: [decoded.warning] } : {}),
    };
  },
};
