/**
 * Copying check against style examples: the share of a draft's character 8-grams that also occur
 * in an example, counting only 8-grams that are NOT in the notes (text taken from the notes is the
 * staff's own and may legitimately match a published bulletin). White space is ignored; both sides
 * are normalised (simplified, no pinyin). 0 = nothing copied, 1 = everything not from the notes is
 * copied from the example.
 */
import { normalizeText } from "../../ingest/normalize.js";

export const NGRAM = 8;

export function ngrams(text: string, n = NGRAM): Set<string> {
  const s = normalizeText(text).replace(/\s+/g, "");
  const out = new Set<string>();
  for (let i = 0; i + n <= s.length; i++) out.add(s.slice(i, i + n));
  return out;
}

export function copiedShare(draft: string, example: string, notes: string, n = NGRAM): number {
  const notesGrams = ngrams(notes, n);
  const exampleGrams = ngrams(example, n);
  let own = 0;
  let copied = 0;
  for (const g of ngrams(draft, n)) {
    if (notesGrams.has(g)) continue;
    own++;
    if (exampleGrams.has(g)) copied++;
  }
  return own ? copied / own : 0;
}
