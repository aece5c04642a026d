/**
 * Undo the visual line wrapping of text extracted from a PDF, so that a paragraph (and therefore a
 * sentence) is one line again, as in the .txt/.md corpus; otherwise the paragraph chunker would cut
 * sentences at every wrapped line and every page break. Page-number lines (`- 3 -`, `第 3 页 共 9 页`)
 * are dropped.
 *
 * A line is taken as wrapped when it is "full" (at least 85% of the typical long line on the page
 * set, the 90th percentile of line lengths), does not end a sentence/clause (。！？；：!?… or a
 * closing quote), and the next line does not start a new structural unit (第X章/条, 一、, (一),
 * 一是, 1.). Hand-written: this is layout knowledge specific to Chinese official documents.
 */
import { normalizeText } from "./normalize.js";

const PAGE_NUMBER = /^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;
const ENDS_UNIT = /[。！？；：:!?…”’」』）)]$/;
const STARTS_UNIT =
  /^(?:第[一二三四五六七八九十百千零〇两\d]+[章节条]|[一二三四五六七八九十]+[、是要]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|附件|附：)/;

function percentile90(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!;
}

/** Join wrapped lines and drop page-number lines (see the module comment). */
export function reflowLines(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => !PAGE_NUMBER.test(normalizeText(l)) || l === "");
  const lengths = lines.map((l) => normalizeText(l).length).filter((n) => n > 0);
  const full = percentile90(lengths) * 0.85;
  const out: string[] = [];
  let carry = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") {
      // Page breaks arrive as blank lines: keep carrying a wrapped line across them.
      if (!carry) out.push("");
      continue;
    }
    if (carry && !STARTS_UNIT.test(normalizeText(line))) {
      const prev = out.pop()!;
      const space = /[A-Za-z0-9]$/.test(prev) && /^[A-Za-z0-9]/.test(line) ? " " : "";
      out.push(prev + space + line);
    } else {
      out.push(line);
    }
    const n = normalizeText(out[out.length - 1]!.slice(-line.length));
    carry = full >= 15 && normalizeText(line).length >= full && !ENDS_UNIT.test(n);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}
