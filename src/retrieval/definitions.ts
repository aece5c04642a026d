/**
 * Definition questions ("X算不算Y", "什么叫X", "X是什么意思", "法律上怎么称呼"): the article that
 * defines a term of the question (Chunk.defines, set at ingest by src/ingest/definitions.ts) is
 * what answers, not the articles that merely use the term; its score is raised.
 */
import type { Chunk } from "../ingest/types.js";

/** A question about what something is or counts as. */
export const ASKS_DEFINITION =
  /算不算|算是|算[^，。？?]{0,12}吗|什么叫|啥叫|叫什么|怎么称呼|什么是|是什么意思|啥意思|什么意思|指什么|指的是|啥概念|什么概念|定义|区别|属不属于|属于[^，。？?]{0,10}吗|归不归|是不是[^，。？?]{0,10}的一种|包括哪些|包不包括/;

/** Score factor of a chunk defining a term the question names (chosen on dev). */
export const DEFINITION_FACTOR = 1.5;

export function applyDefinitions<T extends { id: string; score: number }>(
  ranked: readonly T[],
  normalizedQuery: string,
  chunkOf: (id: string) => Pick<Chunk, "defines"> | undefined,
  factor = DEFINITION_FACTOR,
): T[] {
  if (!ASKS_DEFINITION.test(normalizedQuery) || factor === 1) return [...ranked];
  const out = ranked.map((hit, i) => {
    const defines = chunkOf(hit.id)?.defines ?? [];
    const named = defines.some((t) => normalizedQuery.includes(t));
    return { hit, i, score: named && hit.score > 0 ? hit.score * factor : hit.score };
  });
  return out.sort((a, b) => b.score - a.score || a.i - b.i).map(({ hit, score }) => ({ ...hit, score }));
}
