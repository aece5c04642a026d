/**
 * What the keyword index and the embedder see for one chunk: the chunk text with its context
 * (document title, chapter heading, lead sentence of an enumerated point), so that a query naming
 * the law or the chapter still finds the article.
 */
import type { Chunk, DocumentMeta } from "../ingest/types.js";

export const TOKENIZER_VERSION = "jieba-search+bigram-v1";

export function contextualText(chunk: Chunk, doc: Pick<DocumentMeta, "title">): string {
  return [doc.title, chunk.chapter, chunk.lead, chunk.text].filter((s): s is string => !!s && s.trim() !== "").join("\n");
}
