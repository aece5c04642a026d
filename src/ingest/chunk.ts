/**
 * Chunking. Structure is detected on each unit's NORMALISED form, but chunks are cut from the
 * cleaned text AS PUBLISHED, so `Chunk.original` can be quoted and `Chunk.text` is normalizeText of it.
 *
 * regulation: one chunk per article (`第十八条 …` with its following paragraphs up to the next
 *   article); section = "第十八条", chapter = the current `第三章 经营主体` heading (with
 *   ` 第一节 …` appended inside a section), lead = null. Header lines between the title and the first
 *   article (promulgation dates …) form one preamble chunk with section null. A regulation without
 *   any article is chunked like a notice.
 * bulletin / notice: one chunk per paragraph, section "¶n" (n = 1-based body paragraph number);
 *   an enumerated point (`一是…`, `一要…`, `(一)…`, `一、…`, `1.` / `1、` / `(1)`) is its own chunk
 *   with section = the point's Chinese numeral ("一", "二", …; arabic points are converted) and
 *   lead = the sentence introducing the list (`刘君强调下一步要做好四个方面的工作:`). Points written
 *   inline in one paragraph (`…指出,一要…。二要…。三要…。`) are split at the sentences that start
 *   them; when the first point starts mid-sentence, that whole sentence stays in point 一 and the
 *   words before the marker are its lead. A list only starts at 一/1 and only when its 二/2 follows.
 *   A heading-only point line (`一、总体要求`) is merged into the paragraph that follows it.
 *   The title line and the `(来源:…)` line are not body chunks.
 * Everywhere: chunks are cut at 。！？；!? or line ends; a unit longer than MAX_CHUNK_CHARS is
 *   split into consecutive parts at sentence ends, all with the same section, and a sentence longer
 *   than that at clause ends (，、：) or, when none comes, at the cap: no chunk is longer than
 *   MAX_CHUNK_CHARS. Ordinals are 1-based
 *   and ids are `${docId}#${ordinal}`.
 */
import { isSourceLine } from "./clean.js";
import { cnSmall } from "./dates.js";
import { ARTICLE_RE, CHAPTER_RE, SECTION_RE } from "./metadata.js";
import { normalizeText } from "./normalize.js";
import type { Chunk, ParsedDocument } from "./types.js";
import { linkCrossReferences } from "./cross-references.js";
import { markDefinitions } from "./definitions.js";

/** Units longer than this (normalised characters) are split at sentence ends. */
export const MAX_CHUNK_CHARS = 1500;

interface Sentence {
  orig: string;
  norm: string;
}

interface Piece {
  section: string | null;
  chapter: string | null;
  lead: string | null;
  /** Original lines (paragraphs) of the piece; each already as published. */
  parts: string[];
}

/** Split at 。！？；!? (closing quotes/brackets stay with their sentence); the remainder is the last sentence. */
export function splitSentences(text: string): string[] {
  const out = text.match(/[^。！？；!?]+(?:[。！？；!?]+[”’」』）)】〕"']*)?|[。！？；!?]+[”’」』）)】〕"']*/g) ?? [];
  return out.filter((s) => s.trim() !== "");
}

const CN_NUMERALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
export function toChineseNumeral(n: number): string {
  if (n <= 10) return CN_NUMERALS[n]!;
  if (n < 20) return `十${CN_NUMERALS[n - 10]}`;
  if (n < 100) return `${CN_NUMERALS[Math.floor(n / 10)]}十${n % 10 ? CN_NUMERALS[n % 10] : ""}`;
  return String(n);
}

type Family = "shi" | "yao" | "paren" | "dun" | "arabic" | "arabic-paren";
const CN = "[一二三四五六七八九十]{1,3}";
const MARKERS: readonly (readonly [Family, RegExp])[] = [
  ["shi", new RegExp(`^(${CN})是`)],
  ["yao", new RegExp(`^(${CN})要(?!求)`)],
  ["paren", new RegExp(`^[(（](${CN})[)）]`)],
  ["dun", new RegExp(`^(${CN})、`)],
  ["arabic", /^(\d{1,2})(?:[、．]|\.(?!\d))/],
  ["arabic-paren", /^[(（](\d{1,2})[)）]/],
];
/** The first point of a list starting mid-sentence, after a comma or colon. */
const INLINE_FIRST = /^(.*?[，,：:])\s*(?=一是|一要(?!求)|[(（]一[)）])/;

function markerAt(norm: string): { family: Family; k: number } | null {
  const s = norm.trimStart();
  for (const [family, re] of MARKERS) {
    const m = re.exec(s);
    if (m) {
      const k = cnSmall(m[1]!);
      if (k !== null && k > 0) return { family, k };
    }
  }
  return null;
}

/** Clause ends to cut at inside a sentence that is too long (comma, enumeration comma, colon, space). */
const CLAUSE_END = /[，,、：:\s]/u;

/**
 * A "sentence" longer than MAX_CHUNK_CHARS (a table flattened into one line, a 1 MB line without
 * punctuation) is cut into parts of at most MAX_CHUNK_CHARS characters: at the last clause end in
 * the second half of the window, else at the window's end (never inside a surrogate pair).
 * Lengths are counted on the published text, which normalisation never lengthens.
 */
export function splitOverlong(sentence: string): string[] {
  if (sentence.length <= MAX_CHUNK_CHARS) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_CHUNK_CHARS) {
    let cut = -1;
    for (let k = MAX_CHUNK_CHARS; k > MAX_CHUNK_CHARS / 2; k--) {
      if (CLAUSE_END.test(rest[k - 1]!)) {
        cut = k;
        break;
      }
    }
    if (cut < 0) {
      cut = MAX_CHUNK_CHARS;
      const code = rest.charCodeAt(cut);
      if (code >= 0xdc00 && code <= 0xdfff) cut--; // keep a surrogate pair together
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== "") out.push(rest);
  return out;
}

/** Limit a piece to MAX_CHUNK_CHARS by cutting between sentences (and inside one that is too long). */
function splitLong(piece: Piece): Piece[] {
  const whole = piece.parts.join("\n");
  if (normalizeText(whole).length <= MAX_CHUNK_CHARS) return [piece];
  const out: Piece[] = [];
  let cur: string[] = [];
  let curLen = 0;
  const flush = () => {
    if (cur.length) out.push({ ...piece, parts: [cur.join("")] });
    cur = [];
    curLen = 0;
  };
  piece.parts.forEach((para, i) => {
    const sentences = splitSentences(para).flatMap(splitOverlong);
    sentences.forEach((s, j) => {
      const len = normalizeText(s).length;
      if (curLen > 0 && curLen + len > MAX_CHUNK_CHARS) flush();
      // Keep paragraph breaks inside a part as line ends.
      cur.push(j === 0 && i > 0 && cur.length > 0 ? `\n${s}` : s);
      curLen += len;
    });
  });
  flush();
  return out;
}

function toChunks(docId: string, pieces: Piece[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (const piece of pieces.flatMap(splitLong)) {
    const original = piece.parts
      .map((p) => p.trim())
      .filter((p) => p !== "")
      .join("\n");
    const text = normalizeText(original);
    if (text === "") continue;
    const ordinal = chunks.length + 1;
    chunks.push({
      id: `${docId}#${ordinal}`,
      docId,
      ordinal,
      section: piece.section,
      chapter: piece.chapter,
      lead: piece.lead,
      text,
      original,
    });
  }
  return chunks;
}

/** Non-empty lines of the body: title line (when it is the title) and source lines removed. */
function bodyLines(doc: ParsedDocument): { orig: string; norm: string }[] {
  const out: { orig: string; norm: string }[] = [];
  let first = true;
  for (const line of doc.original.split("\n")) {
    const norm = normalizeText(line);
    if (norm === "") continue;
    if (first) {
      first = false;
      if (norm === doc.meta.title) continue;
    }
    if (isSourceLine(norm)) continue;
    out.push({ orig: line.trim(), norm });
  }
  return out;
}

function chunkRegulation(doc: ParsedDocument, lines: { orig: string; norm: string }[]): Chunk[] {
  const pieces: Piece[] = [];
  const preamble: Piece = { section: null, chapter: null, lead: null, parts: [] };
  let chapter: string | null = null;
  let chapterBase: string | null = null;
  let article: Piece | null = null;
  for (const { orig, norm } of lines) {
    if (CHAPTER_RE.test(norm)) {
      chapterBase = chapter = norm;
      article = null;
      continue;
    }
    if (SECTION_RE.test(norm)) {
      chapter = chapterBase ? `${chapterBase} ${norm}` : norm;
      article = null;
      continue;
    }
    const m = ARTICLE_RE.exec(norm);
    if (m) {
      article = { section: m[0], chapter, lead: null, parts: [orig] };
      pieces.push(article);
    } else if (article) {
      article.parts.push(orig);
    } else {
      preamble.parts.push(orig);
    }
  }
  return toChunks(doc.meta.id, preamble.parts.length ? [preamble, ...pieces] : pieces);
}

function chunkParagraphs(doc: ParsedDocument, lines: { orig: string; norm: string }[]): Chunk[] {
  // Flatten into sentences that remember their paragraph, so lists can be confirmed by looking ahead.
  const sentences: (Sentence & { para: number })[] = [];
  lines.forEach(({ orig }, para) => {
    for (const s of splitSentences(orig)) sentences.push({ orig: s, norm: normalizeText(s), para });
  });

  const confirms = (from: number, family: Family): boolean => {
    for (let j = from + 1; j < Math.min(sentences.length, from + 60); j++) {
      const mk = markerAt(sentences[j]!.norm);
      if (mk && mk.family === family && mk.k === 2) return true;
    }
    return false;
  };

  const lists = new Map<Family, { expected: number; lead: string | null }>();
  const pieces: Piece[] = [];
  let current: Piece | null = null;
  let currentPara = -1;
  let prevSentence: string | null = null;
  let pendingHeading: Piece | null = null;

  const close = () => {
    if (!current) return;
    const isHeading =
      current.section !== null &&
      !current.section.startsWith("¶") &&
      current.parts.length === 1 &&
      normalizeText(current.parts[0]!).length <= 40 &&
      !/[。！？；!?]$/.test(current.parts[0]!.trim()) &&
      splitSentences(current.parts[0]!).length === 1;
    if (pendingHeading) {
      if (current.section?.startsWith("¶")) {
        current = { ...pendingHeading, parts: [...pendingHeading.parts, ...current.parts] };
      } else {
        pieces.push(pendingHeading);
      }
      pendingHeading = null;
    }
    if (isHeading) pendingHeading = current;
    else pieces.push(current);
    current = null;
  };

  sentences.forEach((s, i) => {
    if (s.para !== currentPara) {
      close();
      currentPara = s.para;
      current = { section: `¶${s.para + 1}`, chapter: null, lead: null, parts: [""] };
    }
    let mk = markerAt(s.norm);
    let inlineLead: string | null = null;
    if (!mk) {
      const im = INLINE_FIRST.exec(s.norm);
      if (im) {
        const rest = s.norm.slice(im[1]!.length);
        const m2 = markerAt(rest);
        if (m2 && m2.k === 1) {
          mk = m2;
          inlineLead = im[1]!.trim();
        }
      }
    }
    if (mk) {
      const list = lists.get(mk.family);
      let lead: string | null | undefined;
      if (mk.k === 1 && confirms(i, mk.family)) {
        lead = inlineLead ?? prevSentence;
        lists.set(mk.family, { expected: 2, lead });
      } else if (mk.k > 1 && list && list.expected === mk.k) {
        lead = list.lead;
        list.expected++;
      }
      if (lead !== undefined) {
        const cur = current as Piece | null;
        if (cur && cur.parts.join("").trim() !== "") close();
        current = {
          section: toChineseNumeral(mk.k),
          chapter: null,
          lead,
          parts: [s.orig],
        };
        prevSentence = s.norm;
        return;
      }
    }
    // `current` is reassigned inside close(), so TypeScript cannot narrow it here.
    const cur = current as Piece | null;
    if (cur) cur.parts[cur.parts.length - 1] += s.orig;
    prevSentence = s.norm;
  });
  close();
  if (pendingHeading) pieces.push(pendingHeading);
  return toChunks(doc.meta.id, pieces);
}

/** Split a parsed document into retrievable chunks (see the module comment). */
export function chunkDocument(doc: ParsedDocument): Chunk[] {
  const lines = bodyLines(doc);
  if (doc.meta.kind === "regulation" && lines.some((l) => ARTICLE_RE.test(l.norm))) {
    return markDefinitions(linkCrossReferences(chunkRegulation(doc, lines)));
  }
  return chunkParagraphs(doc, lines);
}
