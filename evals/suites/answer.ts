/**
 * Answer suite: `npm run -s eval -- answer [--set evals/answer.jsonl] [--json]`.
 *
 * Item: {"id", "question", "gold": [{"title", "text"}] | null, "facts": ["10日", …]}; null gold
 * means the answer must abstain. `output` is exactly what `npm run -s ask -- --json QUESTION` prints.
 *
 * Metrics (strings compared after conversion to simplified Chinese with all white space removed):
 * - citationHit: share of ANSWERABLE items whose citations include a gold source. A citation
 *   matches a gold entry when its title contains gold.title and the gold text occurs in the cited
 *   chunk (`chunkText`, the whole article / paragraph the quoted sentence comes from; the quote
 *   itself is used when chunkText is absent). An abstention scores 0.
 * - factHit: share of answerable items whose answer contains one of the item's `facts`
 *   (alternatives: "10日" or "十日"). An abstention scores 0.
 * - citationHitWhenAnswered / factHitWhenAnswered: the same over the answerable items that were
 *   answered (quality of the answers given, separate from over-abstention).
 * - abstention precision / recall / F1, positive class = abstained: precision = abstained on
 *   unanswerable / all abstentions; recall = abstained on unanswerable / all unanswerable.
 * - answeredRate: share of answerable items that got an answer.
 *
 * Index: the one in INDEX_DIR (default data/) when there is one; otherwise the documented corpus
 * (corpus/ and ../shared/corpus) is ingested once into a temporary folder (the log says so).
 * The language model is used when configured (LLM_PROVIDER); the figures in the README are
 * for the embedded default (no LLM).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createAssistant } from "../../src/app.js";
import type { AskResponse, Citation } from "../../src/assistant/ask/types.js";
import type { AppConfig } from "../../src/config/config.js";
import { createEmbeddings } from "../../src/index/embeddings/create-embeddings.js";
import { currentGenerationDir } from "../../src/index/index-store.js";
import { ingestCorpus } from "../../src/ingest/pipeline/ingest-corpus.js";
import { toSimplified } from "../../src/ingest/normalize.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

export interface Gold {
  title: string;
  text: string;
}

export interface AnswerItem extends EvalItem {
  question: string;
  /** Undefined: no gold (run and printed, in no metric). */
  gold?: Gold[] | null;
  facts?: string[];
}

const projectRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const canon = (s: string) => toSimplified(s).replace(/\s+/g, "");

export function citationMatches(c: Pick<Citation, "title" | "quote" | "chunkText">, g: Gold): boolean {
  return canon(c.title).includes(canon(g.title)) && canon(c.chunkText ?? c.quote).includes(canon(g.text));
}

export interface ItemScore {
  answerable: boolean;
  abstained: boolean;
  citationHit: boolean;
  factHit: boolean;
}

export function scoreItem(item: AnswerItem, out: AskResponse): ItemScore {
  const answerable = Array.isArray(item.gold);
  if (!answerable || out.abstained) return { answerable, abstained: out.abstained, citationHit: false, factHit: false };
  const citationHit = out.citations.some((c) => item.gold!.some((g) => citationMatches(c, g)));
  const answer = canon(out.answer);
  const factHit = (item.facts ?? []).some((f) => answer.includes(canon(f)));
  return { answerable, abstained: false, citationHit, factHit };
}

export interface AbstentionFigures {
  precision: number;
  recall: number;
  f1: number;
  /** Counts behind the figures. */
  abstainedUnanswerable: number;
  abstainedAnswerable: number;
  unanswerable: number;
  answerable: number;
}

/** Abstention precision/recall/F1 with abstained as the positive class. */
export function abstentionFigures(scores: readonly Pick<ItemScore, "answerable" | "abstained">[]): AbstentionFigures {
  const tp = scores.filter((s) => !s.answerable && s.abstained).length;
  const fp = scores.filter((s) => s.answerable && s.abstained).length;
  const unanswerable = scores.filter((s) => !s.answerable).length;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = unanswerable ? tp / unanswerable : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    precision,
    recall,
    f1,
    abstainedUnanswerable: tp,
    abstainedAnswerable: fp,
    unanswerable,
    answerable: scores.length - unanswerable,
  };
}

const share = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : 0);

/**
 * The index to evaluate on: INDEX_DIR when it holds one, else a temporary one built from the
 * documented corpus. Returns the config to use and a cleanup function.
 */
export async function indexForEval(
  config: AppConfig,
  log: (line: string) => void,
): Promise<{ config: AppConfig; cleanup: () => Promise<void> }> {
  const indexDir = resolve(config.indexDir);
  if (await currentGenerationDir(indexDir)) {
    log(`Using the index in ${config.indexDir}.`);
    return { config: { ...config, indexDir }, cleanup: async () => {} };
  }
  const tempDir = await mkdtemp(join(tmpdir(), "answer-eval-"));
  const corpusDirs = [join(projectRoot, "corpus"), join(projectRoot, "../shared/corpus")].map(
    (d) => relative(process.cwd(), d) || ".",
  );
  log(
    `No index in ${config.indexDir} (run \`npm run ingest -- --corpus corpus --corpus ../shared/corpus\` to build one); indexing ${corpusDirs.join(" and ")} into ${tempDir} for this run.`,
  );
  const report = await ingestCorpus({
    corpusDirs,
    indexDir: tempDir,
    embeddings: createEmbeddings(config.embeddings),
    log,
  });
  for (const f of report.failed) log(`failed: ${f.path}: ${f.reason}`);
  if (!report.written) throw new Error("the answer eval could not build an index; see the messages above");
  return { config: { ...config, indexDir: tempDir }, cleanup: () => rm(tempDir, { recursive: true, force: true }) };
}

function checkItem(item: EvalItem): AnswerItem {
  const it = item as AnswerItem;
  if (typeof it.question !== "string" || !it.question.trim()) throw new Error(`item ${item.id}: needs a "question"`);
  if (it.gold !== undefined && it.gold !== null && !Array.isArray(it.gold))
    throw new Error(`item ${item.id}: "gold" must be a list of {title, text} or null`);
  return it;
}

const suite: Suite = {
  defaultSet: "evals/answer.jsonl",

  async run(items: EvalItem[], ctx): Promise<SuiteResult> {
    const set = items.map(checkItem);
    const { config, cleanup } = await indexForEval(ctx.config, ctx.log);
    try {
      const assistant = createAssistant(config, { log: ctx.log });
      const outItems: SuiteResult["items"] = [];
      const scores: ItemScore[] = [];
      for (const item of set) {
        const output = await assistant.ask(item.question);
        // An item without gold (only the contract's fields) is run and printed, and counts in no metric.
        if (item.gold === undefined) {
          outItems.push({ id: item.id, output, scored: false });
          continue;
        }
        const score = scoreItem(item, output);
        scores.push(score);
        outItems.push({ id: item.id, output, score });
      }
      const answerable = scores.filter((s) => s.answerable);
      const answered = answerable.filter((s) => !s.abstained);
      const abst = abstentionFigures(scores);
      return {
        items: outItems,
        metrics: {
          items: scores.length,
          answerable: answerable.length,
          unanswerable: abst.unanswerable,
          citationHit: share(answerable.map((s) => s.citationHit)),
          factHit: share(answerable.map((s) => s.factHit)),
          answeredRate: share(answerable.map((s) => !s.abstained)),
          citationHitWhenAnswered: share(answered.map((s) => s.citationHit)),
          factHitWhenAnswered: share(answered.map((s) => s.factHit)),
          abstention: {
            precision: abst.precision,
            recall: abst.recall,
            f1: abst.f1,
            abstainedUnanswerable: abst.abstainedUnanswerable,
            abstainedAnswerable: abst.abstainedAnswerable,
          },
          via: config.llm
            ? `llm (${config.llm.provider}:${config.llm.model}) with extractive fallback`
            : "extractive (no LLM)",
        },
      };
    } finally {
      await cleanup();
    }
  },

  format(result) {
    const m = result.metrics as Record<string, unknown> & { abstention: AbstentionFigures };
    const pct = (x: unknown) => `${(100 * (x as number)).toFixed(1)}%`;
    const lines = [
      `answerer: ${m.via}`,
      `items: ${m.items} (${m.answerable} answerable, ${m.unanswerable} unanswerable)`,
      `citationHit (answerable, citations include a gold source): ${pct(m.citationHit)}`,
      `factHit (answerable, answer contains a gold fact): ${pct(m.factHit)}`,
      `answeredRate (answerable not abstained): ${pct(m.answeredRate)}`,
      `citationHit when answered: ${pct(m.citationHitWhenAnswered)}   factHit when answered: ${pct(m.factHitWhenAnswered)}`,
      `abstention precision: ${pct(m.abstention.precision)}  recall: ${pct(m.abstention.recall)}  F1: ${pct(m.abstention.f1)}  (${m.abstention.abstainedUnanswerable} of ${m.unanswerable} unanswerable abstained; ${m.abstention.abstainedAnswerable} answerable abstained)`,
    ];
    const misses = result.items
      .filter((i) => i.scored !== false)
      .filter((i) => {
        const s = i.score as ItemScore;
        return s.answerable ? !(s.citationHit && s.factHit) : !s.abstained;
      });
    if (misses.length) lines.push(`misses: ${misses.map((i) => i.id).join(" ")}`);
    return lines.join("\n");
  },
};

export default suite;
