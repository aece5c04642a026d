/**
 * Retrieval suite: `npm run -s eval -- retrieval [--set evals/retrieval.jsonl] [--json]`.
 *
 * Item: {"id", "question", "gold": [{"title", "text"}]}. `output` is exactly what
 * `npm run -s search -- --json QUESTION` prints (k = 10, the configured mode, hybrid by default).
 * A result matches a gold entry when its title contains gold.title and its text contains
 * gold.text, both converted to simplified Chinese with all white space removed.
 * Metrics for keyword-only, vector-only and hybrid: recall@1, recall@5 (share of gold entries
 * found in the top 1 / 5) and MRR@10 (reciprocal rank of the first matching result).
 *
 * Index: so that the figures never depend on whatever INDEX_DIR happens to hold (a bench corpus,
 * a half-ingested folder), the suite indexes the documented corpus (corpus/ and ../shared/corpus)
 * itself, into a cache folder under the OS temp dir, one per embedder and checkout (worktrees of
 * the project with different ingest code must not share one). The ingest is incremental:
 * the first run embeds everything, later runs only hash the files and reuse the index.
 */
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RetrievalMode } from "../../src/retrieval/types.js";
import { createEmbeddings } from "../../src/index/embeddings/create-embeddings.js";
import { ingestCorpus } from "../../src/ingest/pipeline/ingest-corpus.js";
import { toSimplified } from "../../src/ingest/normalize.js";
import { openSearchEngine, toSearchResponse } from "../../src/retrieval/search-engine.js";
import type { SearchResultItem } from "../../src/retrieval/types.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

interface Gold {
  title: string;
  text: string;
}

const MODES: readonly RetrievalMode[] = ["keyword", "vector", "hybrid"];
const K = 10;
const projectRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const canon = (s: string) => toSimplified(s).replace(/\s+/g, "");

export function matchesGold(r: Pick<SearchResultItem, "title" | "text">, g: Gold): boolean {
  return canon(r.title).includes(canon(g.title)) && canon(r.text).includes(canon(g.text));
}

export interface ItemScores {
  /** 1-based rank of the first result matching any gold entry, or null. */
  firstRank: number | null;
  recallAt1: number;
  recallAt5: number;
  rrAt10: number;
}

export function scoreResults(
  results: readonly Pick<SearchResultItem, "title" | "text">[],
  gold: readonly Gold[],
): ItemScores {
  const rankOf = (g: Gold) => {
    const i = results.slice(0, K).findIndex((r) => matchesGold(r, g));
    return i < 0 ? null : i + 1;
  };
  const ranks = gold.map(rankOf);
  const found = ranks.filter((r): r is number => r !== null);
  const firstRank = found.length ? Math.min(...found) : null;
  const recall = (k: number) => (gold.length ? ranks.filter((r) => r !== null && r <= k).length / gold.length : 0);
  return { firstRank, recallAt1: recall(1), recallAt5: recall(5), rrAt10: firstRank ? 1 / firstRank : 0 };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

const suite: Suite = {
  defaultSet: "evals/retrieval.jsonl",

  async run(items: EvalItem[], ctx): Promise<SuiteResult> {
    const { config, log } = ctx;
    const embeddings = createEmbeddings(config.embeddings);
    const embedderId = embeddings.id;
    const indexDir = join(
      tmpdir(),
      `postal-assistant-eval-index-${createHash("sha256").update(`${embedderId}\n${projectRoot}`).digest("hex").slice(0, 10)}`,
    );
    const corpusDirs = [join(projectRoot, "corpus"), join(projectRoot, "../shared/corpus")].map(
      (d) => relative(process.cwd(), d) || ".",
    );
    log(`Indexing ${corpusDirs.join(" and ")} into ${indexDir} (incremental; embedder ${embedderId}).`);
    const report = await ingestCorpus({ corpusDirs, indexDir, embeddings, log });
    for (const f of report.failed) log(`failed: ${f.path}: ${f.reason}`);
    if (!report.written) throw new Error("the retrieval eval could not build an index; see the messages above");
    const engine = await openSearchEngine({
      indexDir,
      embeddings,
      maxPerDoc: config.retrieval.maxPerDoc,
      defaultMode: config.retrieval.mode,
    });
    log(
      `Index: ${engine.index.docs.length} documents, ${engine.index.chunks.length} chunks, embedder ${engine.index.meta.embedder.id}.`,
    );
    const out: SuiteResult["items"] = [];
    const per: Record<RetrievalMode, ItemScores[]> = { keyword: [], vector: [], hybrid: [] };
    // Items without gold sources (an answer set's unanswerable questions) have nothing to retrieve.
    const answerable = items.filter((item) => Array.isArray(item.gold) && item.gold.length > 0);
    if (answerable.length < items.length)
      log(`Skipping ${items.length - answerable.length} item(s) without gold sources (unanswerable).`);
    for (const item of answerable) {
      const question = String(item.question ?? "");
      const output = toSearchResponse(question, await engine.search(question, { k: K }));
      // An item without gold (only the contract's fields) is run and printed, and counts in no metric.
      if (!Array.isArray(item.gold)) {
        out.push({ id: item.id, output, scored: false });
        continue;
      }
      const gold = item.gold as Gold[];
      const ranks: Partial<Record<RetrievalMode, number | null>> = {};
      for (const mode of MODES) {
        const results =
          mode === (config.retrieval.mode ?? "hybrid")
            ? output.results
            : toSearchResponse(question, await engine.search(question, { k: K, mode })).results;
        const s = scoreResults(results, gold);
        per[mode].push(s);
        ranks[mode] = s.firstRank;
      }
      out.push({ id: item.id, output, goldRank: ranks });
    }
    const metrics: Record<string, Record<string, number>> = {};
    for (const mode of MODES) {
      metrics[mode] = {
        "recall@1": mean(per[mode].map((s) => s.recallAt1)),
        "recall@5": mean(per[mode].map((s) => s.recallAt5)),
        "mrr@10": mean(per[mode].map((s) => s.rrAt10)),
      };
    }
    return { items: out, metrics: { ...metrics, items: answerable.length, chunks: engine.index.chunks.length } };
  },

  format(result: SuiteResult): string {
    const m = result.metrics as Record<string, Record<string, number>>;
    const lines = [`${"mode".padEnd(8)}  recall@1  recall@5  MRR@10`];
    for (const mode of MODES) {
      const r = m[mode]!;
      lines.push(
        `${mode.padEnd(8)}  ${r["recall@1"]!.toFixed(3).padStart(8)}  ${r["recall@5"]!.toFixed(3).padStart(8)}  ${r["mrr@10"]!.toFixed(3).padStart(6)}`,
      );
    }
    const misses = result.items
      .filter((i) => i.scored !== false)
      .filter(
        (i) =>
          (i.goldRank as Record<string, number | null>).hybrid === null ||
          ((i.goldRank as Record<string, number>).hybrid ?? 99) > 5,
      );
    if (misses.length)
      lines.push(
        `hybrid misses in top 5: ${misses.map((i) => `${i.id}(${(i.goldRank as Record<string, number | null>).hybrid ?? "-"})`).join(" ")}`,
      );
    return lines.join("\n");
  },
};

export default suite;
