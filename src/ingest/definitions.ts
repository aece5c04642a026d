/**
 * Definitions at ingest: the terms an article defines ("快件，是指快递企业递送的…", "本法所称邮政
 * 普遍服务，是指…", "（五）给据邮件是指…", "…以下统称生产经营单位"), recorded on the chunk as
 * `defines`, so that "X算不算Y", "什么叫X" rank the article that defines the term above articles
 * that merely use it (src/retrieval/definitions.ts). Applied after chunking; hand-written because
 * no library reads Chinese statute definitions.
 */
import type { Chunk } from "./types.js";

const TERM = "[\\u4e00-\\u9fff]{2,12}?";
/** "X，是指" / "X是指" at the start of a sentence or an enumerated item, optionally after 本法所称. */
const IS_DEFINED = new RegExp(
  `(?:^|[。；;：:\\n]|[(（][一二三四五六七八九十]+[)）])\\s*(?:第[〇零一二三四五六七八九十百千\\d]+条\\s*)?(?:本(?:法|条例|办法|细则|规定)(?:所称|中的|下列用语中的)?)?(${TERM})(?:[，,]\\s*)?是指`,
  "g",
);
/** "以下统称X" / "以下简称X". */
const CALLED = new RegExp(`以下(?:统称|简称)[“"「]?(${TERM})[”"」）)]`, "g");

/** Terms a text defines, in order, without repeats. */
export function definedTerms(text: string): string[] {
  const out: string[] = [];
  for (const re of [IS_DEFINED, CALLED]) for (const m of text.matchAll(re)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/** Sets `defines` on the chunks that define terms (others are returned as they are). */
export function markDefinitions(chunks: readonly Chunk[]): Chunk[] {
  return chunks.map((c) => {
    const defines = definedTerms(c.text);
    return defines.length ? { ...c, defines } : c;
  });
}
