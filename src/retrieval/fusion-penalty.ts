/**
 * Penalty questions ("不做某事罚多少钱", "…怎么处理"): the penalty article is found through the
 * offence it punishes, item by item.
 *
 * A question asking about a penalty expands to 罚款/处/以下/以上/责令改正 (the thesaurus' penalty form
 * row). Every penalty article holds those words, and the long ones listing many offences hold them
 * most often, so on the question's own words they win whatever the offence (快递暂行条例 第四十一条,
 * 安全生产法 第一百零八条 for unrelated questions); and a long article's BM25 score is diluted by its
 * other offences, so the one offence the question names counts little.
 *
 * So, after ranking and before scope (scope.ts keeps the last word on places), for a question that
 * asks about a penalty:
 * - the offence is the question without the wordings of every answer-form row;
 * - each penalty article among the ranked candidates scores
 *     (IDF-weighted share of the offence's terms that its best item covers)
 *       × (BM25 score of the offence alone, of the article or of a duty article an item refers to),
 *   an item being an enumerated point or a clause between ；/。, and a duty article the article of the
 *   same regulation the item cites ("违反本条例第三十四条规定的", resolved at ingest: Chunk.refs),
 *   whose words then count for the item;
 * - that ranking of the penalty articles is fused with the search's ranking (reciprocal rank,
 *   fusion.ts) with PENALTY_FUSION_WEIGHT.
 * Only ranked candidates move (they passed the search's filters); the offence-only keyword search
 * lends its scores and the duty articles. Measured (embedded default, hybrid recall@1/@5, before →
 * after, together with the sense-conditioned thesaurus rows): shared dev .676/.927 → .695/.936,
 * ask-dev .624/.935 → .624/.930, ask-test (old test set, dev now) .474/.714 → .504/.748, retrieval.jsonl
 * .822/.967 → .836/.967, answer and answer-calibration unchanged.
 * Hand-written: no library scores statute items against their cross-referenced duties.
 */
import { referencedSections } from "../ingest/cross-references.js";
import type { Chunk } from "../ingest/types.js";
import { BIGRAM_PREFIX } from "../index/tokenize.js";
import { keywordQuery } from "./keyword-retriever.js";
import { reciprocalRankFusion } from "./fusion.js";
import type { LoadedIndex, ScoredId } from "./loaded-index.js";
import { thesaurus, type ThesaurusRow } from "./query-expansion.js";

/** Share of the best score a penalty article gains when its best item covers the whole offence (chosen on dev). */
export const PENALTY_FUSION_WEIGHT = 0.5;

/** RRF constant of the fusion of the ranking with the penalty articles' own ranking (fusion.ts). */
const PENALTY_RRF_K = 20;

/** How many chunks the content-only keyword search contributes. */
const CONTENT_DEPTH = 200;

/** A provision that sets a penalty or a legal consequence. */
const PENALTY = /罚款|处罚|处分|责令(?:限期)?改正|吊销|没收|责令停产停业|追究(?:刑事|法律)?责任|赔偿/;

/** Offence items of an article: enumerated points (（一）…), clauses between ；/。. */
function items(text: string): string[] {
  return text
    .split(/[；;。]|(?=[（(][一二三四五六七八九十]+[)）])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The thesaurus' penalty form rows: those whose statute wording is 罚款. */
function penaltyRows(rows: readonly ThesaurusRow[]): ThesaurusRow[] {
  return rows.filter((r) => r.kind === "form" && r.statute.includes("罚款"));
}

/** True when a normalised question asks about a penalty (an everyday wording of a penalty form row occurs in it). */
export function asksPenalty(normalizedQuery: string, rows: readonly ThesaurusRow[] = thesaurus()): boolean {
  return penaltyRows(rows).some((r) => r.everyday.some((e) => !e.startsWith("^") && normalizedQuery.includes(e)));
}

/** The question without the everyday wordings of every answer-form row (what it asks about, not how it asks). */
export function offenceText(normalizedQuery: string, rows: readonly ThesaurusRow[] = thesaurus()): string {
  const forms = rows
    .filter((r) => r.kind === "form")
    .flatMap((r) => r.everyday)
    .map((e) => e.replace(/^\^/, ""))
    .filter((e) => e && !/[.*+?()[\]{}\\]/.test(e))
    .sort((a, b) => b.length - a.length);
  let out = normalizedQuery;
  for (const e of forms) out = out.split(e).join(" ");
  return out;
}

type IndexView = Pick<LoadedIndex, "bm25" | "chunkById">;

export function applyPenaltyFusion(
  ranked: ScoredId[],
  normalizedQuery: string,
  index: IndexView,
  weight = PENALTY_FUSION_WEIGHT,
  rows: readonly ThesaurusRow[] = thesaurus(),
): ScoredId[] {
  if (weight <= 0 || !ranked.length || !asksPenalty(normalizedQuery, rows)) return ranked;
  const offence = offenceText(normalizedQuery, rows);
  const query = keywordQuery(offence);
  const terms = [...query]
    .map(([key, w]) => ({
      text: key.startsWith(BIGRAM_PREFIX) ? key.slice(BIGRAM_PREFIX.length) : key,
      w: w * index.bm25.idf(key),
    }))
    .filter((t) => t.w > 0 && t.text.length > 0);
  const total = terms.reduce((s, t) => s + t.w, 0);
  if (total <= 0) return ranked;
  const cover = (text: string) => terms.reduce((s, t) => s + (text.includes(t.text) ? t.w : 0), 0) / total;

  const content = new Map(index.bm25.search(query, { limit: CONTENT_DEPTH }).map((h) => [h.id, h.score]));
  // only the ranked candidates are re-ranked (they passed the search's filters); the content search
  // lends its scores and the duty articles
  const candidates = new Set(ranked.map((h) => h.id));
  const ids = new Set([...candidates, ...content.keys()]);
  const chunks = new Map<string, Chunk>();
  const bySection = new Map<string, Chunk>();
  for (const id of ids) {
    const c = index.chunkById.get(id);
    if (!c) continue;
    chunks.set(id, c);
    if (c.section) bySection.set(`${c.docId}\u0000${c.section}`, c);
  }
  const penalties: { id: string; score: number }[] = [];
  for (const [id, c] of chunks) {
    if (!candidates.has(id) || !PENALTY.test(c.text)) continue;
    let best = 0;
    let bm = content.get(id) ?? 0;
    for (const item of items(c.text)) {
      let s = cover(item);
      for (const sec of referencedSections(item, c.section)) {
        const duty = bySection.get(`${c.docId}\u0000${sec}`);
        if (duty && !PENALTY.test(duty.text)) {
          s = Math.max(s, cover(duty.text));
          bm = Math.max(bm, content.get(duty.id) ?? 0);
        }
      }
      best = Math.max(best, s);
    }
    const score = best * bm;
    if (score > 0) penalties.push({ id, score });
  }
  if (!penalties.length) return ranked;
  penalties.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return reciprocalRankFusion([ranked, penalties], PENALTY_RRF_K, [1, weight]).map(({ id, score }) => ({ id, score }));
}
