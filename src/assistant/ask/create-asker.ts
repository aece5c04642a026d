/**
 * `ask`: question (+ previous turns) → answer with citations, or an honest abstention.
 *
 * 1. The question is made standalone (rewrite-question.ts; the language model when configured).
 * 2. The retriever returns the top chunks; the extractive answerer scores their sentences.
 * 3. When the best sentence's lexical support is below the calibrated threshold (abstain.ts), the
 *    answer abstains, whatever the model would have said.
 * 4. With a model, it answers from the numbered sources (llm-answer.ts); a reply whose citations
 *    cannot be validated, a timeout or a provider error falls back to the extractive answer with a
 *    warning (logged and returned in `warnings`), never an exception.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AssistantError, ProviderError } from "../../errors.js";
import { loadPrompt } from "../../llm/prompt-template.js";
import type { SearchHit, SearchOptions } from "../../retrieval/types.js";
import { ABSTAIN_ANSWER, ABSTENTION, abstainOnSupport } from "./abstain.js";
import { extractiveAnswer } from "./extractive-answer.js";
import { CorpusStats, queryTerms, termMatch, type TermStats } from "./query-terms.js";
import { IndexedTermStats, type IndexedCorpus } from "./indexed-term-stats.js";
import { fold } from "../../index/tokenize.js";
import { llmAnswer } from "./llm-answer.js";
import { rewriteQuestion, rewriteWithModel, type Rewrite } from "./rewrite-question.js";
import { DEFAULT_RRF_K, reciprocalRankFusion } from "../../retrieval/fusion.js";
import { chunkSentences } from "./sentences.js";
import { domainAnchors, evidenceGap, unknownShare } from "./evidence.js";
import { normalizeText } from "../../ingest/normalize.js";
import { provinceOfDoc, provincesNamed, type Province } from "../../retrieval/scope.js";
import type { AskResponse, Turn } from "./types.js";
import { capAnswer, NOTICE_FALLBACK, NOTICE_UNAVAILABLE } from "./verify-claims.js";
import type { Chunk } from "../../ingest/types.js";

export type Retrieve = (query: string, options: SearchOptions) => Promise<SearchHit[]>;

export interface AskerDeps {
  retrieve: Retrieve;
  /** null: the embedded extractive answerer only. */
  model: BaseChatModel | null;
  /** Folder holding answer.md and rewrite.md. */
  promptsDir: string;
  log?: (line: string) => void;
  /**
   * Abstention threshold and weight of the unknown-term share, and the threshold of a question with
   * a domain anchor (default: the calibrated ones, abstain.ts; a `threshold` given without
   * `anchoredThreshold` applies to every question).
   */
  threshold?: number;
  lambda?: number;
  anchoredThreshold?: number;
  /**
   * With a model: ask it (prompts/rewrite.md) for search queries in statute terms too, fused with
   * the question's own ranking (default true).
   */
  statuteQueries?: boolean;
  /** Chunks retrieved per question (default 12). */
  k?: number;
  /** Sources given to the model (default 5). */
  maxSources?: number;
  /**
   * Chunks of one document each retrieval may return (default 10, above the search engine's 3): an
   * answer split over several articles of one law must be retrievable. Measured (extractive, hashing
   * embedder): evals/answer.jsonl citationHit/factHit 97.9/97.9% with 3, 4, 6 or 8 → 100/100% with
   * 10 or 15 (a37, 安全生产法 第二十一条 is the law's 10th passage); evals/answer-calibration.jsonl
   * 90.5/95.2% with 3 → 92.9/97.6% with 6, 10 or 15; abstention unchanged on both.
   */
  maxPerDoc?: number;
  /**
   * The loaded keyword index, for corpus term weights from its postings (indexed-term-stats.ts).
   * Called on every question; the statistics are rebuilt only when a different index comes back
   * (after an ingest). Preferred over `corpusChunks`.
   */
  keywordIndex?: () => Promise<IndexedCorpus>;
  /**
   * All indexed chunks (their normalised `text`), for corpus term weights by scanning them
   * (query-terms.ts CorpusStats; linear in the corpus per new term). Used when `keywordIndex` is
   * not given. Without either, jieba's general IDF weighs the terms.
   */
  corpusChunks?: () => Promise<readonly { text: string }[]>;
}

export interface AskOptions {
  history?: Turn[];
  signal?: AbortSignal;
}

export interface Asker {
  ask(question: string, options?: AskOptions): Promise<AskResponse>;
}

export function createAsker(deps: AskerDeps): Asker {
  const log = deps.log ?? (() => {});
  const threshold = deps.threshold ?? ABSTENTION.threshold;
  const lambda = deps.lambda ?? ABSTENTION.lambda ?? 0;
  const anchoredThreshold =
    deps.anchoredThreshold ??
    (deps.threshold !== undefined ? deps.threshold : (ABSTENTION.anchoredThreshold ?? threshold));
  const k = deps.k ?? 12;
  const maxSources = deps.maxSources ?? 5;
  const maxPerDoc = deps.maxPerDoc ?? 10;

  /**
   * The question as asked (its everyday words are expanded to statute terms inside the retrievers,
   * query-expansion.ts); then, when specific terms of the question (weight above the median) occur
   * in none of the passages found, a query of just those terms (what a long question about one
   * detail, "…对旺季服务保障提出了什么要求", loses among its other words). The rankings are fused
   * by reciprocal rank (retrieval/fusion.ts); fusing also lets more passages of one document
   * through than the engine's per-document cap allows for a single query.
   */
  async function retrieveFused(queries: readonly string[], depth: number, stats?: TermStats): Promise<SearchHit[]> {
    const lists = await Promise.all(queries.map((q) => deps.retrieve(q, { k: depth, maxPerDoc })));
    const terms = queryTerms(queries[0]!, stats);
    if (terms.length >= 3) {
      const weights = terms.map((t) => t.weight).sort((a, b) => a - b);
      const median = weights[Math.floor(weights.length / 2)]!;
      const found = lists.flat().map((h) => fold(`${h.doc.title}\n${h.chunk.text}`));
      const missing = terms.filter((t) => t.weight >= median && !found.some((text) => termMatch(t, text) === 1));
      if (missing.length && missing.length < terms.length)
        lists.push(await deps.retrieve(missing.map((t) => t.term).join(" "), { k: depth, maxPerDoc }));
    }
    if (lists.length === 1) return lists[0]!;
    return reciprocalRankFusion(lists, DEFAULT_RRF_K, [], (h: SearchHit) => h.chunk.id).map((f) => f.item);
  }

  let statsFor: unknown;
  let stats: TermStats | undefined;
  async function corpusStats(): Promise<TermStats | undefined> {
    if (deps.keywordIndex) {
      const index = await deps.keywordIndex();
      if (index !== statsFor) {
        statsFor = index;
        stats = new IndexedTermStats(index);
      }
      return stats;
    }
    if (!deps.corpusChunks) return undefined;
    const chunks = await deps.corpusChunks();
    if (chunks !== statsFor) {
      statsFor = chunks;
      stats = new CorpusStats(chunks.map((c) => c.text));
    }
    return stats;
  }

  /**
   * A question about a penalty that found the duty article: the penalty articles citing it
   * (ingest/cross-references.ts `refs.citedBy`) come right after it, unless already found.
   */
  async function withPenalties(normalizedQuestion: string, hits: SearchHit[]): Promise<SearchHit[]> {
    if (!ASKS_PENALTY.test(normalizedQuestion) || !deps.keywordIndex) return hits;
    const index = await deps.keywordIndex();
    const present = new Set(hits.map((h) => h.chunk.id));
    const out: SearchHit[] = [];
    hits.forEach((h, rank) => {
      out.push(h);
      if (rank >= PENALTY_LINK_DEPTH) return;
      for (const section of h.chunk.refs?.citedBy ?? []) {
        for (const c of sectionChunks(index, h.doc.id, section)) {
          if (present.has(c.id)) continue;
          present.add(c.id);
          out.push({ chunk: c, doc: h.doc, score: h.score });
        }
      }
    });
    return out;
  }

  /**
   * The chunk that the keyword, the vector and the fused ranking of the question all put first, when
   * it is among the hits; else undefined. Agreement of the rankings is evidence the sentence scorer
   * cannot see: on the answered items of the three colloquial dev sets the agreed chunk was a right
   * source for 172 of 214, and for 11 of those the scorer had cited other chunks only. Quoting it
   * too (extractive-answer.ts withAgreed), citation hit: shared dev 0.804 → 0.850, ask-dev 0.766 →
   * 0.786, ask-test (old test set, dev now) 0.624 → 0.658, the old sets unchanged; 0.06 more
   * citations per answer. (Always quoting the fused top-1: +0.01 more on two sets, 0.18 more citations.)
   */
  async function agreedFirst(query: string, hits: readonly SearchHit[]): Promise<string | undefined> {
    if (!hits.length) return undefined;
    const [fused, kw, vec] = await Promise.all(
      (["hybrid", "keyword", "vector"] as const).map((mode) => deps.retrieve(query, { k: 1, mode, maxPerDoc })),
    );
    const first = fused![0]?.chunk.id;
    const agreed = first && kw![0]?.chunk.id === first && vec![0]?.chunk.id === first ? first : undefined;
    return agreed && hits.some((h) => h.chunk.id === agreed) ? agreed : undefined;
  }

  /** Where a term occurs, for evidence.ts: each holding chunk out of scope or not (undefined: common term). */
  async function holdersFor(
    named: readonly Province[],
  ): Promise<((term: string) => { outOfScope: boolean }[] | undefined) | undefined> {
    if (!deps.keywordIndex || !(stats instanceof IndexedTermStats)) return undefined;
    const index = await deps.keywordIndex();
    const s = stats;
    const docOf = (id: string) => {
      const c = index.chunkById.get(id) as { docId?: string } | undefined;
      return c?.docId ? index.docs?.find((d) => d.id === c.docId) : undefined;
    };
    return (term) => {
      const ids = s.holders(term, RARE_HOLDERS);
      if (ids.length > RARE_HOLDERS) return undefined;
      return ids.map((id) => {
        const doc = docOf(id);
        const p = doc ? provinceOfDoc(doc) : null;
        return { outOfScope: !!p && !named.includes(p) };
      });
    };
  }

  /** Provinces the question names for which the index holds no regulation (needs `keywordIndex` with docs). */
  async function provincesWithoutRegulation(normalizedQuestion: string): Promise<Province[]> {
    const named = provincesNamed(normalizedQuestion);
    if (!named.length || !deps.keywordIndex) return [];
    const docs = (await deps.keywordIndex()).docs;
    if (!docs) return [];
    const present = new Set(docs.map((d) => provinceOfDoc(d)?.name).filter((n): n is string => !!n));
    return named.filter((p) => !present.has(p.name));
  }

  /**
   * A question naming a province, whose best match in the whole corpus is another province's rule
   * by a wide margin (OUT_OF_SCOPE_DOMINANCE × the best passage in scope, the named province's own
   * rule or national law, BM25 scores of one raw keyword search): what it asks about is regulated
   * only there ("天津的快递三轮车最长几米" when only 浙江 sets a length), so nothing in scope answers
   * it. Returns that province, or null. Measured on the place questions of the three colloquial dev
   * sets and the old sets: at 1.3, 6 of 226 answerable and 29 of 61 unanswerable ones exceed it.
   */
  async function dominatingProvince(normalizedQuestion: string, named: readonly Province[]): Promise<Province | null> {
    if (!named.length) return null;
    const hits = await deps.retrieve(normalizedQuestion, {
      k: DOMINANCE_DEPTH,
      mode: "keyword",
      maxPerDoc: DOMINANCE_DEPTH,
      raw: true,
    });
    let inScope = 0;
    let outside: { score: number; p: Province } | null = null;
    for (const h of hits) {
      const p = provinceOfDoc(h.doc);
      if (!p || named.includes(p)) inScope = Math.max(inScope, h.score);
      else if (!outside || h.score > outside.score) outside = { score: h.score, p };
    }
    return outside && outside.score > OUT_OF_SCOPE_DOMINANCE * inScope ? outside.p : null;
  }

  async function standalone(question: string, history: Turn[], signal?: AbortSignal): Promise<Rewrite> {
    const statute = deps.statuteQueries ?? true;
    if (!deps.model || (!history.length && !statute)) return rewriteQuestion(question, history);
    const template = await loadPrompt(deps.promptsDir, "rewrite");
    return rewriteWithModel(deps.model, template, question, history, { signal, log, statute });
  }

  async function ask(question: string, options: AskOptions = {}): Promise<AskResponse> {
    const q = question.trim();
    if (!q) throw new AssistantError("The question is empty; ask something such as 快递企业停业要提前多久公告？");
    const history = options.history ?? [];
    const rewrite = await standalone(q, history, options.signal);
    const exclude = new Set(rewrite.excludeChunks);
    const stats = await corpusStats();
    let fused = await retrieveFused([rewrite.query, ...(rewrite.queries ?? [])], k + exclude.size + 3, stats);
    // "还有别的…" after a turn recorded without its citations: leave out the passages whose
    // sentences the previous answer already gave.
    const prev = history[history.length - 1];
    if (rewrite.rule === "more" && prev?.answer && !prev.citations?.length)
      fused = fused.filter((h) => !alreadyAnswered(h, prev.answer!));
    const normalized = fold(normalizeText(rewrite.query));
    // every query's list is scoped by its own words; the fused list by the question's (scope.ts)
    const named = provincesNamed(normalized);
    const inScope = (h: SearchHit) => {
      const p = provinceOfDoc(h.doc);
      return !p || !named.length || named.includes(p);
    };
    const hits = (await withPenalties(normalized, fused))
      .filter((h) => !exclude.has(h.chunk.id) && inScope(h))
      .slice(0, k);
    const extractive = extractiveAnswer(rewrite.query, hits, {
      stats,
      agreedChunk: await agreedFirst(rewrite.query, hits),
    });
    // A province named that has no regulation here: say so, and answer from national law (scope.ts).
    const unregulated = await provincesWithoutRegulation(normalized);
    const placeNote = unregulated.length
      ? `现有文件中没有${unregulated.map((p) => p.name).join("、")}的地方性法规，以下为国家层面的规定。\n`
      : "";
    // Contract fields first, then the extensions (../shared/CLI-CONTRACT.md, "Ask").
    const respond = (
      r: Pick<AskResponse, "answer" | "abstained" | "citations" | "via">,
      warnings: string[] = [],
      notice?: string,
    ): AskResponse => ({
      question: q,
      answer: capAnswer(r.answer),
      abstained: r.abstained,
      citations: r.citations,
      ...(rewrite.query !== q ? { standaloneQuestion: rewrite.query } : {}),
      via: r.via,
      ...(warnings.length ? { warnings } : {}),
      ...(notice ? { notice } : {}),
      support: round(extractive.support),
      threshold: anchored ? anchoredThreshold : threshold,
      unknownShare: round(unknown),
      anchored,
    });
    const abstain = (via: AskResponse["via"], warnings: string[] = [], reason?: string, note = "") => ({
      ...respond(
        {
          answer:
            (unregulated.length ? `现有文件中没有${unregulated.map((p) => p.name).join("、")}的地方性法规。` : "") +
            note +
            ABSTAIN_ANSWER,
          abstained: true,
          citations: [],
          via,
        },
        warnings,
      ),
      ...(reason ? { abstainReason: reason } : {}),
    });
    const terms = queryTerms(rewrite.query, stats);
    const unknown = unknownShare(terms, stats);
    const anchored = domainAnchors(terms, stats).length > 0;
    const gap = evidenceGap({
      question: normalized,
      terms,
      hits,
      scored: extractive.scored,
      picked: extractive.picked,
      unregulated,
      holders: await holdersFor(named),
      outOfScope: (h) => {
        const p = provinceOfDoc(h.doc);
        return !!p && !named.includes(p);
      },
    });
    if (gap) return abstain("extractive", [], gap);
    const elsewhere = await dominatingProvince(normalized, named);
    if (elsewhere)
      return abstain(
        "extractive",
        [],
        `other-province-rule:${elsewhere.name}`,
        `现有文件中只有${elsewhere.name}的地方性法规对此有规定，不适用于${named.map((p) => p.name).join("、")}。`,
      );
    if (
      !extractive.picked.length ||
      abstainOnSupport(
        { support: extractive.support, unknownShare: unknown, anchored },
        { threshold, lambda, anchoredThreshold },
      )
    )
      return abstain("extractive", [], "support");

    const fromExtractive = (warnings: string[] = [], notice?: string) =>
      respond(
        { answer: placeNote + extractive.answer, abstained: false, citations: extractive.citations, via: "extractive" },
        warnings,
        notice,
      );
    if (!deps.model) return fromExtractive();

    // Sources for the model: the top hits, plus any chunk the extractive answer relies on.
    const picked = new Set(extractive.picked.map((p) => p.hit.chunk.id));
    const sources = hits.filter((h, i) => i < maxSources || picked.has(h.chunk.id));
    try {
      const template = await loadPrompt(deps.promptsDir, "answer");
      const out = await llmAnswer(deps.model, template, rewrite.query, sources, { signal: options.signal });
      if (!out.ok) {
        const w = `The language model's answer was rejected (${out.reason}); showing the extractive answer instead.`;
        log(`warning: ${w}`);
        return fromExtractive([w], NOTICE_FALLBACK);
      }
      if (out.abstained) return abstain("llm", out.warnings);
      for (const w of out.warnings) log(`warning: ${w}`);
      return respond(
        { answer: placeNote + out.answer, abstained: false, citations: out.citations, via: "llm" },
        out.warnings,
        out.notice,
      );
    } catch (err) {
      if (options.signal?.aborted) throw err;
      if (!(err instanceof ProviderError)) throw err;
      const w = `The language model failed (${err.message}); showing the extractive answer instead.`;
      log(`warning: ${w}`);
      return fromExtractive([w], NOTICE_UNAVAILABLE);
    }
  }

  return { ask };
}

/** True when the previous answer already quoted a sentence of this passage. */
function alreadyAnswered(hit: SearchHit, previousAnswer: string): boolean {
  const said = previousAnswer.replace(/\[\d+\]/g, "");
  return chunkSentences(hit.chunk).some((s) => {
    const core = s.text
      .replace(/^第[〇零一二三四五六七八九十百千\d]+条\s*/u, "")
      .replace(/[。！？!?；;，,：:”’」』）)\s]+$/u, "");
    return Array.from(core).length >= 8 && said.includes(core);
  });
}

/** A question about a penalty (罚多少, 怎么处罚, 法律责任). */
const ASKS_PENALTY = /罚|处罚|处理|法律责任|后果|追究|处里|发款/;
/** Penalty articles are added for duty articles among this many top hits. */
const PENALTY_LINK_DEPTH = 5;

const sectionIndex = new WeakMap<object, Map<string, Chunk[]>>();
/** The chunks of one article of one document (memoised per loaded index). */
function sectionChunks(index: IndexedCorpus, docId: string, section: string): Chunk[] {
  let map = sectionIndex.get(index);
  if (!map) {
    map = new Map();
    for (const c of (index.chunks ?? []) as readonly Chunk[]) {
      if (!c.section) continue;
      const key = `${c.docId}\u0000${c.section}`;
      map.set(key, [...(map.get(key) ?? []), c]);
    }
    sectionIndex.set(index, map);
  }
  return map.get(`${docId}\u0000${section}`) ?? [];
}

/** Another province's rule scoring above this multiple of the best passage in scope answers instead (chosen on dev). */
const OUT_OF_SCOPE_DOMINANCE = 1.3;
/** Passages of the unscoped search compared. */
const DOMINANCE_DEPTH = 30;

/** A term in more chunks than this is common: where it occurs says nothing about the question. */
const RARE_HOLDERS = 5;

const round = (x: number) => Math.round(x * 1000) / 1000;
