/**
 * The language-model answerer: numbered sources in the prompt (prompts/answer.md), a reply through
 * function calling ({answer, abstain}), and a check of every [n] the reply cites.
 *
 * Validation and repair (validateAndRepair):
 * - citation marks are normalised ("［1］", "【1】", "[1,2]", "[1、2]" → "[1][2]");
 * - a mark to a source that was not given ("[9]" with 5 sources) is removed;
 * - a substantive sentence left without a valid mark is re-attributed to the given source that
 *   covers it best (query-term coverage ≥ 0.5, and every quantity it states occurs in that
 *   source), or the whole reply is rejected;
 * - a reply with no valid citation at all is rejected.
 * A rejected reply (or any provider error / timeout) makes the caller fall back to the extractive
 * answer with a warning. Citations are renumbered by first use and quote, as published, the
 * sentence of each cited chunk closest to the answer sentences that cite it.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import { invokeStructured } from "../../llm/create-chat-model.js";
import { fillTemplate } from "../../llm/prompt-template.js";
import type { SearchHit } from "../../retrieval/types.js";
import { citationFor } from "./extractive-answer.js";
import { coverage, queryTerms } from "./query-terms.js";
import { chunkSentences, splitSentences, type Sentence } from "./sentences.js";
import type { Citation } from "./types.js";
import { defang, passageParts } from "./untrusted-text.js";
import { NOTICE_REMOVED, verifyClaims } from "./verify-claims.js";
import { parseChineseNumeral } from "../../text/chinese-numerals.js";

export const AnswerSchema = z.object({
  answer: z.string().describe("简洁的中文回答，每句话末尾用 [n] 标注所依据的资料编号；无法回答时为空字符串"),
  abstain: z.boolean().describe("资料不足以回答问题时为 true"),
});

export type LlmAnswer =
  /** `notice`: set when the model's answer was changed (verify-claims.ts), for every channel to show. */
  | { ok: true; abstained: false; answer: string; citations: Citation[]; warnings: string[]; notice?: string }
  | { ok: true; abstained: true; warnings: string[] }
  | { ok: false; reason: string };

/**
 * The sources block of the prompt, each source fenced as data (documents are never instructions,
 * see untrusted-text.ts): `<资料 编号="n">\n[n] 《title》section（date）\ntext\n</资料>`. Text
 * addressed to the assistant is left out (with a note that it was), and a fence or chat-template
 * token inside a document is neutralised so it cannot close the fence.
 */
export function formatSources(hits: readonly SearchHit[]): string {
  return hits
    .map((h, i) => {
      const where = [
        h.chunk.section && /^第/.test(h.chunk.section) ? h.chunk.section : "",
        h.doc.date ? `（${h.doc.date}）` : "",
      ].join("");
      const lead = h.chunk.lead ? `${h.chunk.lead}\n` : "";
      const { clean, injected } = passageParts(h.chunk);
      const body = injected ? `${clean}（此处删去了资料中一段对助手下指令的文字）` : clean;
      return `<资料 编号="${i + 1}">\n[${i + 1}] 《${defang(h.doc.title)}》${where}\n${defang(lead + body)}\n</资料>`;
    })
    .join("\n\n");
}

/** "［1］", "【1】", "[1, 2]", "[1、2]" → "[1][2]". */
export function normaliseMarks(text: string): string {
  return text.replace(/[［【[]\s*(\d+(?:\s*[,，、;；]\s*\d+)*)\s*[］】\]]/g, (_m, list: string) =>
    list
      .split(/[,，、;；]/)
      .map((x) => `[${Number(x.trim())}]`)
      .join(""),
  );
}

const MARK = /\[(\d+)\]/g;

export interface Repaired {
  /** Answer with marks still numbered as the sources in the prompt (1-based). */
  answer: string;
  warnings: string[];
}

/** Check and repair the marks of `answer` against `sources`; null when it cannot be trusted. */
export function validateAndRepair(answer: string, sources: readonly SearchHit[]): Repaired | null {
  const warnings: string[] = [];
  const text = normaliseMarks(answer.trim());
  if (!text) return null;
  const invalid = new Set<number>();
  const out: string[] = [];
  for (const sentence of splitSentences(text)) {
    let s = sentence.replace(MARK, (m, d: string) => {
      const n = Number(d);
      if (n >= 1 && n <= sources.length) return m;
      invalid.add(n);
      return "";
    });
    const hasMark = /\[\d+\]/.test(s);
    const substantive = s.replace(/\[\d+\]/g, "").replace(/[^\p{L}\p{N}]/gu, "").length >= 6;
    if (!hasMark && substantive) {
      const terms = queryTerms(s);
      let best = -1;
      let bestCov = 0;
      sources.forEach((h, i) => {
        const c = coverage(terms, `${h.doc.title}\n${h.chunk.text}`);
        if (c > bestCov) {
          bestCov = c;
          best = i;
        }
      });
      if (best < 0 || bestCov < 0.5 || !quantitiesSupported(s, sources[best]!.chunk.text)) return null;
      s = s.replace(/([。！？!?]*)$/u, `[${best + 1}]$1`);
      warnings.push(`re-attributed an uncited sentence to source [${best + 1}]`);
    }
    out.push(s);
  }
  if (invalid.size)
    warnings.unshift(
      `removed citation(s) to sources that were not given: ${[...invalid].map((n) => `[${n}]`).join(" ")}`,
    );
  const repaired = out.join("");
  if (!/\[\d+\]/.test(repaired)) return null;
  return { answer: repaired, warnings };
}

/** Renumber marks by first use and build one citation per cited source. */
export function renumber(answer: string, sources: readonly SearchHit[]): { answer: string; citations: Citation[] } {
  const order = new Map<number, number>();
  const bySource = new Map<number, string[]>();
  for (const sentence of splitSentences(answer)) {
    for (const m of sentence.matchAll(MARK)) {
      const k = Number(m[1]);
      if (!order.has(k)) order.set(k, order.size + 1);
      const list = bySource.get(k) ?? [];
      list.push(sentence.replace(MARK, ""));
      bySource.set(k, list);
    }
  }
  const renumbered = answer.replace(MARK, (_m, d: string) => `[${order.get(Number(d)) ?? d}]`);
  const citations: Citation[] = [];
  for (const [k, n] of order) {
    const hit = sources[k - 1]!;
    const sentences = chunkSentences(hit.chunk);
    const quoted = new Map<number, Sentence>();
    for (const said of bySource.get(k) ?? []) {
      const terms = queryTerms(said);
      let best: Sentence | undefined;
      let bestCov = -1;
      for (const s of sentences) {
        const c = coverage(terms, s.text);
        if (c > bestCov) {
          bestCov = c;
          best = s;
        }
      }
      if (best) quoted.set(best.index, best);
    }
    const picked = quoted.size ? [...quoted.values()] : sentences.slice(0, 1);
    citations.push(
      picked.length
        ? citationFor(hit, n, picked)
        : { ...citationFor(hit, n, []), quote: hit.chunk.original || hit.chunk.text },
    );
  }
  citations.sort((a, b) => a.n - b.n);
  return { answer: renumbered, citations };
}

/** "三十" → 30, "一百八十" → 180, "十" → 10, "2828" → 2828; NaN when not a numeral (text/chinese-numerals.ts reads it). */
export function numeralValue(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  return parseChineseNumeral(s) ?? Number.NaN;
}

const QUANTITY = /(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*(?=[%个日天年月次倍元万件公斤小时工作])/g;

/**
 * Every quantity a sentence states ("三十天", "10日", "5万元") also occurs in the source, in
 * either Arabic or Chinese numerals: re-attributing a sentence to a source must not launder a
 * number the source does not contain.
 */
export function quantitiesSupported(sentence: string, source: string): boolean {
  const inSource = new Set([...source.matchAll(QUANTITY)].map((m) => numeralValue(m[1]!)));
  return [...sentence.matchAll(QUANTITY)].every((m) => {
    const v = numeralValue(m[1]!);
    return Number.isNaN(v) || inSource.has(v);
  });
}

export async function llmAnswer(
  model: BaseChatModel,
  template: string,
  question: string,
  sources: readonly SearchHit[],
  opts: { signal?: AbortSignal } = {},
): Promise<LlmAnswer> {
  const prompt = fillTemplate(template, { sources: formatSources(sources), question, count: String(sources.length) });
  const reply = await invokeStructured(model, AnswerSchema, [["human", prompt]], {
    name: "answer",
    signal: opts.signal,
  });
  if (reply.abstain && !/\[\d+\]/.test(normaliseMarks(reply.answer)))
    return { ok: true, abstained: true, warnings: [] };
  const repaired = validateAndRepair(reply.answer, sources);
  if (!repaired) {
    const marks = [...normaliseMarks(reply.answer).matchAll(MARK)].map((m) => m[0]);
    return {
      ok: false,
      reason: marks.length
        ? `the model cited only sources that were not given (${marks.join(" ")})`
        : "the model's answer cites no source",
    };
  }
  // each cited sentence checked against its sources (numbers, negation, duty words)
  const verified = verifyClaims(repaired.answer, sources);
  const removed = verified.removed.map(
    (c) => `removed a sentence that contradicts source [${c.sources.join("][")}] (${c.reason}): ${c.sentence}`,
  );
  if (verified.answer === null)
    return {
      ok: false,
      reason: `every sentence of the model's answer contradicts its sources (${verified.removed.map((c) => c.reason).join(", ")})`,
    };
  const { answer, citations } = renumber(verified.answer, sources);
  return {
    ok: true,
    abstained: false,
    answer,
    citations,
    warnings: [...repaired.warnings, ...removed],
    ...(removed.length ? { notice: NOTICE_REMOVED } : {}),
  };
}
