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
 * With a language model, prompts/rewrite.md asks it for the standalone question and for search
 * queries in statute terms (function calling); any provider failure falls back to the rules.
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
  /** Extra search queries in the statutes' own terms (the language model's), fused with `query`. */
  queries?: string[];
}

const ORDINAL = /第[〇零一二三四五六七八九十百千两\d]+(条|款|项|点|章|个)/;
const MORE =
  /^(那|那么)?(还有|另外|此外|其他|其它|别的|其余)[^？?]{0,8}(吗|呢|么)?[？?。]?$|^(还有|还)[吗呢]?[？?]?$|^(还有呢|还有吗|其他呢|其它呢|别的呢)/;
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
  return q
    .replace(QUESTION_TAIL, "")
    .replace(/^(那么|那)/u, "")
    .trim();
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
    const excluded = history.flatMap((t) =>
      (t.citations ?? []).map((c) => c.chunkId).filter((id): id is string => !!id),
    );
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
  queries: z
    .array(z.string())
    .optional()
    .describe(
      "1 to 3 short search queries for the same question in the wording of Chinese postal statutes (法条用语), no question words",
    ),
});

/** At most this many statute-term queries, each at most MAX_QUERY_CHARS characters, are used. */
export const MAX_STATUTE_QUERIES = 3;
const MAX_QUERY_CHARS = 60;

/**
 * LLM rewrite with the rule-based one as fallback: the standalone question of a follow-up and,
 * with `statute` (the asker's default), up to three search queries in the statutes' wording
 * ("快递小哥把人撞了谁赔" → "快递从业人员 交通事故 损害 赔偿责任"), which the asker fuses with the
 * question's own ranking. Without history the question itself is kept as asked (only the queries
 * are the model's). The exclusion of already-cited chunks is kept from the rules ("还有别的…"
 * means "not those"). Any failure falls back to the rules, with a warning.
 */
export async function rewriteWithModel(
  model: BaseChatModel,
  template: string,
  question: string,
  history: readonly Turn[],
  opts: { signal?: AbortSignal; log?: (line: string) => void; statute?: boolean } = {},
): Promise<Rewrite> {
  const rules = rewriteQuestion(question, history);
  if (!history.length && !opts.statute) return rules;
  const conversation = history.length
    ? history
        .slice(-4)
        .map((t) => `用户：${t.question}${t.answer ? `\n助手：${t.answer.slice(0, 300)}` : ""}`)
        .join("\n")
    : "（无）";
  const prompt = fillTemplate(template, { history: conversation, question });
  try {
    const out = await invokeStructured(model, RewriteSchema, [["human", prompt]], {
      name: "standalone_question",
      signal: opts.signal,
    });
    const query = history.length ? out.question.trim() || rules.query : rules.query;
    const queries = opts.statute
      ? [
          ...new Set(
            (out.queries ?? [])
              .map((q) => q.trim())
              .filter((q) => q && q !== query && Array.from(q).length <= MAX_QUERY_CHARS),
          ),
        ].slice(0, MAX_STATUTE_QUERIES)
      : [];
    return {
      query,
      excludeChunks: rules.excludeChunks,
      rule: history.length ? "llm" : rules.rule,
      ...(queries.length ? { queries } : {}),
    };
  } catch (err) {
    opts.log?.(
      `warning: question rewrite by the language model failed (${(err as Error).message}); using the rule-based rewrite`,
    );
    return rules;
  }
}
