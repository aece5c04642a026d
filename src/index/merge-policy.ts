/**
 * Keeps the number of segments bounded, log-structured as Lucene's tiered policy and Tantivy's
 * log merge policy do: segments fall into size tiers (live chunks, powers of MERGE_FACTOR); when
 * a tier holds MERGE_FACTOR segments they are merged into one of the next tier, and a segment
 * with more deleted than live chunks is rewritten without them. Every chunk is thus rewritten
 * about log_4(N) times over the life of the index, and an ingest that adds one document usually
 * merges nothing or a few small segments. A merge copies postings and vectors (nothing is
 * re-tokenised or re-embedded); an HNSW merge extends the biggest graph with hnswlib's
 * resizeIndex + addPoint instead of building a new one.
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { Bm25Index, isSet } from "./bm25-index.js";
import type { ManifestEntry, SegmentRef } from "./index-store.js";
import { openSegment, segmentDir, writeSegment, type Segment } from "./segment.js";
import { FlatVectorIndex, HnswVectorIndex, type VectorIndex } from "./vector-index.js";

export const MERGE_FACTOR = 4;
/**
 * No merge makes a segment bigger than this (Lucene's maxMergedSegmentMB): a merge holds its
 * segments in memory, and a 1M-chunk index stays ~10 segments of this size.
 */
export const MAX_MERGED_CHUNKS = 120_000;

const live = (r: SegmentRef) => r.chunks - r.deleted;
const tierOf = (r: SegmentRef) => Math.floor(Math.log(Math.max(1, live(r))) / Math.log(MERGE_FACTOR));

/** The segments to merge next (indexes into refs), or null. */
export function pickMerge(refs: readonly SegmentRef[], maxMerged = MAX_MERGED_CHUNKS): number[] | null {
  const byTier = new Map<number, number[]>();
  refs.forEach((r, i) => {
    byTier.set(tierOf(r), [...(byTier.get(tierOf(r)) ?? []), i]);
  });
  for (const [, list] of [...byTier].sort((a, b) => a[0] - b[0])) {
    if (list.length < MERGE_FACTOR) continue;
    const smallest = [...list].sort((a, b) => live(refs[a]!) - live(refs[b]!)).slice(0, MERGE_FACTOR);
    if (smallest.reduce((n, i) => n + live(refs[i]!), 0) <= maxMerged) return smallest.sort((a, b) => a - b);
  }
  const expunge = refs.findIndex((r) => r.deleted > 0 && r.deleted * 2 > r.chunks);
  return expunge >= 0 ? [expunge] : null;
}

export interface MergeInput {
  indexDir: string;
  embeddings: EmbeddingsInterface;
  /** Live segments in order; updated in place. */
  refs: SegmentRef[];
  tombstones: Map<string, Uint8Array>;
  /** Updated in place: entries of merged documents point into the new segment. */
  manifest: ManifestEntry[];
  log: (line: string) => void;
}

/** Drops fully deleted segments and runs merges until no tier is full. Returns whether anything was merged. */
export async function applyMergePolicy(input: MergeInput): Promise<boolean> {
  const { refs, tombstones } = input;
  for (let i = refs.length - 1; i >= 0; i--)
    if (refs[i]!.deleted >= refs[i]!.chunks) {
      tombstones.delete(refs[i]!.name);
      refs.splice(i, 1);
    }
  let merged = false;
  for (let pick = pickMerge(refs); pick; pick = pickMerge(refs)) {
    const chosen = pick.map((i) => refs[i]!);
    const segment = await mergeSegments(input, chosen);
    const at = pick[0]!;
    for (const i of [...pick].sort((a, b) => b - a)) refs.splice(i, 1);
    refs.splice(at, 0, { name: segment.name, chunks: segment.size, deleted: 0 });
    for (const r of chosen) tombstones.delete(r.name);
    const names = new Set(chosen.map((r) => r.name));
    for (const e of input.manifest) {
      if (!e.segment || !names.has(e.segment) || !e.docId) continue;
      const range = segment.docRanges.get(e.docId);
      if (!range) throw new Error(`merge lost document ${e.docId}`);
      e.segment = segment.name;
      e.first = range.first;
      e.chunks = range.count;
    }
    merged = true;
  }
  return merged;
}

async function mergeSegments(input: MergeInput, chosen: SegmentRef[]): Promise<Segment> {
  const total = chosen.reduce((n, r) => n + r.chunks - r.deleted, 0);
  input.log(`Merging ${chosen.length} segment(s) into one of ${total} chunks…`);
  const opened = await Promise.all(
    chosen.map((r) => openSegment(input.indexDir, r.name, input.embeddings, { prefetch: false })),
  );
  let parts = opened.map((segment, i) => {
    const deleted = input.tombstones.get(chosen[i]!.name) ?? null;
    const keep: number[] = [];
    for (let p = 0; p < segment.size; p++) if (!deleted || !isSet(deleted, p)) keep.push(p);
    return { segment, deleted, keep };
  });
  const kind = parts.find((p) => p.segment.vectors)?.segment.vectors?.kind;
  // an HNSW merge starts from the biggest graph that has no deletions: it goes first
  const base =
    kind === "hnsw" ? parts.filter((p) => !p.deleted).sort((a, b) => b.keep.length - a.keep.length)[0] : undefined;
  if (base) parts = [base, ...parts.filter((p) => p !== base)];
  const keys = await Promise.all(parts.map((p) => p.segment.keys()));
  const docs = parts.flatMap(({ segment, deleted }) =>
    segment.docs.filter((d) => {
      const r = segment.docRanges.get(d.id);
      return r && (!deleted || !isSet(deleted, r.first));
    }),
  );
  const chunks = parts.flatMap(({ segment, keep }) => keep.map((p) => segment.chunk(p)));
  const dimensions = parts[0]!.segment.info.dimensions;
  const bm25 = Bm25Index.merge(parts.map((p) => ({ index: p.segment.bm25, deleted: p.deleted })));
  let vectors: VectorIndex | null = null;
  if (kind === "flat")
    vectors = FlatVectorIndex.merge(
      parts.map((p) => ({
        index: p.segment.vectors as FlatVectorIndex,
        keep: p.keep,
        ids: p.keep.map((i) => p.segment.ids[i]!),
      })),
      dimensions,
    );
  else if (kind === "hnsw") {
    const rest = parts.filter((p) => p !== base).flatMap((p) => p.segment.vectors!.vectorsAt(p.keep));
    vectors = base
      ? await HnswVectorIndex.extend(input.embeddings, segmentDir(input.indexDir, base.segment.name), dimensions, rest)
      : await HnswVectorIndex.build(input.embeddings, rest, dimensions);
  }
  return writeSegment(input.indexDir, {
    docs,
    chunks,
    keys: parts.flatMap((p, i) => p.keep.map((k) => keys[i]![k]!)),
    bm25,
    vectors,
    dimensions,
  });
}
