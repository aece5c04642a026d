/**
 * What the keyword index and the embedder see for one chunk: the chunk text with its context
 * (document title, chapter heading, lead sentence of an enumerated point), so that a query naming
 * the law or the chapter still finds the article; and the text of the articles it refers to
 * (`related`, ingest/cross-references.ts), so that a penalty article is found by its duty's words.
 */
import { createHash } from "node:crypto";
import type { Chunk, DocumentMeta } from "../ingest/types.js";
import { POSTAL_TERMS } from "./postal-dict.js";
import { STOPWORDS } from "./tokenize.js";

/**
 * Changes whenever tokenisation can change (scheme, user dictionary, stopwords): an index built
 * with another version gets its keyword index and vectors rebuilt on the next ingest.
 */
export const TOKENIZER_VERSION = `jieba-search+bigram-v1:${createHash("sha256")
  .update([...POSTAL_TERMS, "|", ...STOPWORDS].join("\n"))
  .digest("hex")
  .slice(0, 8)}`;

export function contextualText(chunk: Chunk, doc: Pick<DocumentMeta, "title">): string {
  return [doc.title, chunk.chapter, chunk.lead, chunk.text, chunk.related]
    .filter((s): s is string => !!s && s.trim() !== "")
    .join("\n");
}

/** The key a chunk's vector is stored under: a hash of the embedder id and the embedded text (unchanged text, same vector). */
export function vectorKey(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
