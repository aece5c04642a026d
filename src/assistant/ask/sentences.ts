/**
 * Sentences of a chunk, each with its normalised form (for matching and the answer) and the same
 * sentence as published (for the quote).
 *
 * The published text (`Chunk.original`: traditional characters, pinyin glosses) is split into
 * sentences and each sentence is normalised on its own with ingest/normalize.ts, so sentence i of
 * the normalised text IS sentence i of the original by construction (no fuzzy alignment needed).
 * When a chunk has no original, the normalised text is split and quoted as is.
 */
import { normalizeText } from "../../ingest/normalize.js";
import type { Chunk } from "../../ingest/types.js";

export interface Sentence {
  /** Normalised sentence (simplified characters, no pinyin). */
  text: string;
  /** The same sentence as published. */
  quote: string;
  /** Position in the chunk, from 0. */
  index: number;
}

/**
 * Split at sentence-final punctuation (。！？!? and a following closing quote/bracket) and at line
 * breaks. Semicolons do not end a sentence: in regulations they separate clauses of one rule.
 * Written by hand because Intl.Segmenter's sentence mode does not break at 。 inside CJK runs
 * followed by quotes consistently and cannot keep a closing quote with its sentence.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const re = /[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)/gu;
    for (const m of line.matchAll(re)) {
      const s = m[0].trim();
      if (s && /[\p{L}\p{N}]/u.test(s)) out.push(s);
      if (m[0] === "") break;
    }
  }
  return out;
}

const cache = new WeakMap<Chunk, Sentence[]>();

/** Sentences of a chunk, normalised and as published (memoised per chunk object). */
export function chunkSentences(chunk: Chunk): Sentence[] {
  const hit = cache.get(chunk);
  if (hit) return hit;
  let out: Sentence[];
  const original = chunk.original?.trim();
  if (original) {
    out = splitSentences(original).map((quote, index) => ({ text: normalizeText(quote), quote, index }));
  } else {
    out = splitSentences(chunk.text).map((s, index) => ({ text: s, quote: s, index }));
  }
  out = out.filter((s) => s.text.length > 0);
  cache.set(chunk, out);
  return out;
}
