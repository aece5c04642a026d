/**
 * Follow-up questions → standalone queries.
 *
 * Rule-based (default):
 * - ordinal ellipsis: "那第二条呢？" → the previous question's topic (question words and its own
 *   "第X条" removed) + "第二条";
 * - "还有别的要求吗？" / "还有呢？" / "其他的呢？" → the previous standalone question, and the chunks the
 *   previous answer cited are excluded so that the next-best support is shown;
 * - pronouns 它/这个/该条/这条/该规定/上述规定/此 → the previous answer's first cited source
 *   ("《快递暂行条例》第二十九条") or, without citations, the previous topic;
 * - any other short question ending in 呢 or starting with 那/那么 → previous topic + the new words.
 * A question that needs none of these is returned unchanged.
 *
 * With a language model, prompts/rewrite.md asks it for the standalone question (function calling);
 * any provider failure falls back to the rules.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import { invokeStructured } from "../../llm/create-chat-model.js";
import type { Turn } from "./types.js";
import { fillTemplate } from "../../llm/prompt-template.js";

export interface Rewrite {
  /** The standalone query to search. */
  query: string;
  /** Chunk ids already cited in the conversation that should not be cited again. */
  excludeChunks: string[];
  /** Which rule (or "llm") produced the rewrite; "none" when the question stood alone. */
  rule: "none" | "ordinal" | "more" | "pronoun" | "ellipsis" | "llm";
}

const ORDINAL = /第[〇零一二三四五六七八九十百千两\d]+(条|款|项|点|章|个)/;
const MORE = /^(那|那么)?(还有|另外|此外|其他|其它|别的|其余)[^？?]{0,8}(吗|呢|么)?[？?。]?$|^(还有|还)[吗呢]?[？?]?$|^(还有呢|还有吗|其他呢|其它呢|别的呢)/;
const PRONOUN = /它|这个|那个|该条|这条|那条|该规定|这项规定|上述规定|此规定|该条例|这部|该法|这些/;
const ELLIPSIS = /^(那|那么|那如果|如果是)|呢[？?。!！]*$/;
const QUESTION_TAIL = /(是)?(什么|哪些|怎么样|怎样|如何|多少|多久|几天|是否)?(的)?(规定|要求)?[吗呢么]?[？?。!！\s]*$/;

/** The previous turn's topic: its standalone question without question words and ordinals. */
export function topicOf(turn: Turn): string {
  const q = turn.standaloneQuestion ?? turn.question;
  return q
    .replace(/[？?。!！]+$/u, "")
    .replace(ORDINAL, "")
    .replace(/(规定了|有)?(什么|哪些|怎么样|怎样|如何|多少|多久|几天)(的)?(规定|要求|内容)?/g, "")
    .replace(/(是|呢|吗|么)$/u, "")
    .replace(/^(请问|那|那么)/u, "")
    .trim();
}

function strip(q: string): string {
  return q.replace(QUESTION_TAIL, "").replace(/^(那么|那)/u, "").trim();
}

function citedSource(turn: Turn): string | undefined {
  const c = turn.citations?.[0];
  return c ? `${c.title}${c.section && /^第/.test(c.section) ? c.section : ""}` : undefined;
}

/** Rule-based rewrite of `question` given the previous turns (oldest first). */
export function rewriteQuestion(question: string, history: readonly Turn[] = []): Rewrite {
  const q = question.trim();
  const prev = history[history.length - 1];
  const none: Rewrite = { query: q, excludeChunks: [], rule: "none" };
  if (!prev) return none;
  const compact = q.replace(/\s+/g, "");
  const short = Array.from(compact).length <= 14;
  const topic = topicOf(prev);

  const ord = ORDINAL.exec(compact);
  if (ord && short && ELLIPSIS.test(compact) && !/《/.test(compact)) {
    const extra = strip(compact).replace(ORDINAL, "").trim();
    return { query: `${topic}${extra}${ord[0]}`, excludeChunks: [], rule: "ordinal" };
  }
  if (MORE.test(compact)) {
    const excluded = history.flatMap((t) => (t.citations ?? []).map((c) => c.chunkId).filter((id): id is string => !!id));
    return { query: prev.standaloneQuestion ?? prev.question, excludeChunks: excluded, rule: "more" };
  }
  if (short && PRONOUN.test(compact)) {
    const subject = citedSource(prev) ?? topic;
    return { query: compact.replace(PRONOUN, subject), excludeChunks: [], rule: "pronoun" };
  }
  if (short && ELLIPSIS.test(compact)) {
    const extra = strip(compact);
    return { query: extra ? `${topic} ${extra}` : topic, excludeChunks: [], rule: "ellipsis" };
  }
  return none;
}

const RewriteSchema = z.object({
  question: z.string().describe("The standalone question, in Chinese, answerable without the conversation"),
});

/**
 * LLM rewrite with the rule-based one as fallback (also used when the question has no history).
 * The exclusion of already-cited chunks is kept from the rules ("还有别的…" means "not those").
 */
export async function rewriteWithModel(
  model: BaseChatModel,
  template: string,
  question: string,
  history: readonly Turn[],
  opts: { signal?: AbortSignal; log?: (line: string) => void } = {},
): Promise<Rewrite> {
  const rules = rewriteQuestion(question, history);
  if (!history.length) return rules;
  const conversation = history
    .slice(-4)
    .map((t) => `用户：${t.question}${t.answer ? `\n助手：${t.answer.slice(0, 300)}` : ""}`)
    .join("\n");
  const prompt = fillTemplate(template, { history: conversation, question });
  try {
    const out = await invokeStructured(model, RewriteSchema, [["human", prompt]], { name: "standalone_question", signal: opts.signal });
    const query = out.question.trim();
    if (!query) return rules;
    return { query, excludeChunks: rules.excludeChunks, rule: "llm" };
  } catch (err) {
    opts.log?.(`warning: question rewrite by the language model failed (${(err as Error).message}); using the rule-based rewrite`);
    return rules;
  }
}
