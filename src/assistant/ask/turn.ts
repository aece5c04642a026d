/**
 * What a channel keeps of an answered question for the next one: `turnFrom(response)` records
 * the question, the answer, the standalone question it was rewritten to and its citations, so
 * that follow-ups ("那第二条呢？", "还有别的要求吗？") can be resolved and already-cited passages
 * left out.
 */
import type { AskResponse, Turn } from "./types.js";

export function turnFrom(response: AskResponse): Turn {
  return {
    question: response.question,
    answer: response.answer,
    ...(response.standaloneQuestion ? { standaloneQuestion: response.standaloneQuestion } : {}),
    ...(response.citations.length ? { citations: response.citations.map(({ chunkText: _drop, ...c }) => c) } : {}),
  };
}
