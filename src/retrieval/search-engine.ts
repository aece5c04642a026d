/**
 * The search service: the index loaded once, queries normalised like documents (traditional ->
 * simplified, pinyin and width folded), keyword / vector / hybrid ranking, kind and date filters
 * applied before the cut to k, at most `maxPerDoc` chunks per document (the engine's default, or
 * the search's own: the asker lets more passages of one law through). After ranking: territorial
 * scope (scope.ts), definitions (definitions.ts), the character fallback for unknown words
 * (char-fallback.ts), penalty articles by the offence
 * they punish (fusion-penalty.ts).
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { normalizeText } from "../ingest/normalize.js";
import { InputError, ProviderError } from "../errors.js";
import { type Chunk, DOC_KINDS, type DocKind, type DocumentMeta } from "../ingest/types.js";
import { definedOnly, fusionDefaultsFor, type HybridParams, hybridSearch, limitPerDoc } from "./hybrid-retriever.js";
import { keywordSearch } from "./keyword-retriever.js";
import { currentGenerationDir } from "../index/index-store.js";
import { loadIndex, type LoadedIndex, type ScoredId } from "./loaded-index.js";
import { vectorSearch } from "./vector-retriever.js";
import { DEFAULT_KEEP_ABOVE } from "./fusion.js";
import { applyScope, type ScopeParams } from "./scope.js";
import { applyDefinitions } from "./definitions.js";
import { applyCharFallback, CHAR_FALLBACK_WEIGHT } from "./char-fallback.js";
import { applyPenaltyFusion, PENALTY_FUSION_WEIGHT } from "./fusion-penalty.js";
import type { RetrievalMode, SearchHit, SearchOptions, SearchResponse } from "./types.js";

export interface SearchEngineOptions extends HybridParams {
  indexDir: string;
  embeddings: Embeddings;
  /** At most this many chunks of one document in the results (default 3). */
  maxPerDoc?: number;
  /** Mode when a search does not say (default hybrid). */
  defaultMode?: RetrievalMode;
  /** Chunks beyond maxPerDoc are kept when they score at least this share of the best (fusion.ts; 0: fixed cap). */
  keepAbove?: number;
  /** Score factor of the article defining a term a definition question names (definitions.ts; 1: off). */
  definitionFactor?: number;
  /** Weight of the character fallback for words no chunk contains (char-fallback.ts; 0: off). */
  charFallbackWeight?: number;
  /** Weight of a penalty article's offence match for penalty questions (fusion-penalty.ts; 0: off). */
  penaltyWeight?: number;
  /** Territorial scope (scope.ts; false: off, for measurements). */
  scope?: ScopeParams | false;
  /** Warnings, e.g. hybrid search answering from keywords alone while the embeddings endpoint is down. */
  log?: (line: string) => void;
}

export interface SearchEngine {
  readonly index: LoadedIndex;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks filter values; throws InputError naming the bad option. */
export function validateSearchOptions(o: SearchOptions): void {
  if (o.kind !== undefined && !DOC_KINDS.includes(o.kind as DocKind))
    throw new InputError("--kind", `must be one of ${DOC_KINDS.join(", ")}, got "${o.kind}"`);
  for (const key of ["since", "until"] as const) {
    const v = o[key];
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v))))
      throw new InputError(`--${key}`, `must be a date YYYY-MM-DD, got "${v}"`);
  }
  if (o.k !== undefined && (!Number.isInteger(o.k) || o.k < 1))
    throw new InputError("-k", `must be a whole number ≥ 1, got "${o.k}"`);
  if (o.maxPerDoc !== undefined && (!Number.isInteger(o.maxPerDoc) || o.maxPerDoc < 1))
    throw new InputError("maxPerDoc", `must be a whole number ≥ 1, got "${o.maxPerDoc}"`);
}

export function createSearchEngine(
  index: LoadedIndex,
  options: Omit<SearchEngineOptions, "indexDir" | "embeddings"> = {},
): SearchEngine {
  const maxPerDoc = options.maxPerDoc ?? 3;
  const fusion: HybridParams = { ...fusionDefaultsFor(index.meta.embedder.id), ...definedOnly(options) };
  return {
    index,
    async search(query, opts = {}) {
      validateSearchOptions(opts);
      const k = opts.k ?? 10;
      const mode = opts.mode ?? options.defaultMode ?? "hybrid";
      const q = normalizeText(query);
      if (!q) return [];
      const depth = Math.max(100, k * 10);
      const filters = { kind: opts.kind, since: opts.since, until: opts.until };
      let ranked: ScoredId[];
      if (mode === "keyword")
        ranked = keywordSearch(index, q, {
          ...filters,
          limit: depth,
          bigramWeight: options.bigramWeight,
          expansionWeight: options.expansionWeight,
        });
      else if (mode === "vector")
        ranked = await vectorSearch(index, q, {
          ...filters,
          limit: depth,
          vectorExpansionWeight: options.vectorExpansionWeight,
        });
      else {
        try {
          ranked = await hybridSearch(index, q, { ...fusion, ...filters, limit: k, depth });
        } catch (err) {
          // An embedding model is an option, never a requirement: with its endpoint down, answer from keywords.
          if (!(err instanceof ProviderError)) throw err;
          options.log?.(
            `warning: vector search unavailable (${err.message}); results are from the keyword index only.`,
          );
          ranked = keywordSearch(index, q, {
            ...filters,
            limit: depth,
            bigramWeight: options.bigramWeight,
            expansionWeight: options.expansionWeight,
          });
        }
      }
      if (!opts.raw) {
        ranked = applyPenaltyFusion(ranked, q, index, options.penaltyWeight ?? PENALTY_FUSION_WEIGHT);
        if (options.scope !== false) ranked = applyScope(ranked, q, (id) => index.docOf(id), options.scope);
        ranked = applyDefinitions(ranked, q, (id) => index.chunkById.get(id), options.definitionFactor);
        ranked = applyCharFallback(ranked, q, index, options.charFallbackWeight ?? CHAR_FALLBACK_WEIGHT);
      }
      const top = limitPerDoc(
        ranked,
        (h) => index.docOf(h.id)!.id, // docOf reads no chunk record
        opts.maxPerDoc ?? maxPerDoc,
        k,
        {
          // a cap the search asks for is kept as asked; the engine's own adapts (fusion.ts limitPerDoc)
          keepAbove: opts.maxPerDoc !== undefined ? 0 : (options.keepAbove ?? DEFAULT_KEEP_ABOVE),
        },
      );
      return top.map((h) => {
        const chunk = index.chunkById.get(h.id)!;
        return { chunk, doc: index.docById.get(chunk.docId)!, score: h.score };
      });
    },
  };
}

/** Opens the index in `indexDir` (IndexNotFoundError when there is none) and keeps it in memory. */
export async function openSearchEngine(
  options: SearchEngineOptions,
  previous?: LoadedIndex | null,
): Promise<SearchEngine> {
  return createSearchEngine(await loadIndex(options.indexDir, options.embeddings, previous), options);
}

/**
 * A search engine that follows the index on disk: before each search it reads the CURRENT pointer
 * (one small file) and, when another process (an `npm run ingest`, the bot's reindex) has switched
 * to a new generation, loads that one, reusing every segment it already has open (only the new
 * segments and the new tombstones are read). Long-running channels (the bot, the terminal chat) use this.
 */
export interface LiveSearchEngine {
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** The engine over the live generation (loaded or reloaded as needed). */
  current(): Promise<SearchEngine>;
}

export function openLiveSearchEngine(options: SearchEngineOptions): LiveSearchEngine {
  let engine: Promise<SearchEngine> | null = null;
  let loadedDir: string | null = null;
  const current = async (): Promise<SearchEngine> => {
    const dir = await currentGenerationDir(options.indexDir);
    if (!engine || (dir !== null && dir !== loadedDir)) {
      const previous = engine
        ? await engine.then(
            (e) => e.index,
            () => null,
          )
        : null;
      const opening = openSearchEngine(options, previous);
      engine = opening;
      try {
        loadedDir = (await opening).index.dir;
      } catch (err) {
        engine = null;
        throw err;
      }
    }
    return engine;
  };
  return {
    current,
    search: async (query, opts) => (await current()).search(query, opts),
  };
}

/** Where a hit comes from, as the CLI contract and the LangChain retrievers' metadata name it. */
export function hitSource(chunk: Chunk, doc: DocumentMeta) {
  return { docId: doc.id, title: doc.title, date: doc.date, kind: doc.kind, path: doc.path, section: chunk.section };
}

/** The CLI contract's JSON shape for a list of hits. */
export function toSearchResponse(query: string, hits: readonly SearchHit[]): SearchResponse {
  return {
    query,
    results: hits.map(({ chunk, doc, score }) => ({
      ...hitSource(chunk, doc),
      text: chunk.text,
      score: Number.isFinite(score) ? Math.round(score * 1e6) / 1e6 : 0,
      chunkId: chunk.id,
      chapter: chunk.chapter,
      lead: chunk.lead,
    })),
  };
}
