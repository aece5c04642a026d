/**
 * Term weights for ask from the keyword index instead of a scan of every chunk per new term.
 *
 * The figure is the one CorpusStats (query-terms.ts) computes: df = chunks whose folded text
 * contains the term (or an alternative wording) as a substring. The index's word postings cannot
 * give that directly (its words are jieba search-mode tokens of title + chapter + lead + text, and
 * the answerer's POS-tagged words are not always index words), but its character-bigram postings
 * narrow it down: a chunk whose text contains a term holds every CJK bigram of the term, so the
 * intersection of those postings is a superset of the answer (a wording with other characters
 * between CJK runs, "进京邮(快)件", is narrowed by the bigrams of its runs). The candidates are then
 * checked for the substring:
 * - all of them when there are at most MAX_CHECKS (every term of a corpus up to that many chunks,
 *   e.g. the shipped one, and the specific terms — those that decide an answer — at any size), so
 *   the weights are exactly CorpusStats';
 * - otherwise a deterministic, evenly spread sample of MAX_CHECKS candidates, and df is the
 *   candidate count times the share found, when the sample found it at least MIN_SAMPLE_HITS times
 *   (a common term such as "企业" at 100k chunks: ~50k candidates; relative standard error of df
 *   ≤ 10%, i.e. ≤ ~0.1 nat of IDF for such a low-weight term); a term rarer than that among its
 *   candidates is counted exactly over all of them.
 * A term with one CJK character and no bigram ("办", "2024年") takes every chunk as a candidate, so
 * the same rule applies. Terms with no CJK character ("2024", "python") are counted by an exact
 * scan of the folded texts, memoised per term like CorpusStats (the folded texts are built on the
 * first such term).
 */
import { BIGRAM_PREFIX, cjkNgrams, fold } from "../../index/tokenize.js";
import { corpusIdf, type TermStats } from "./query-terms.js";
import type { DocumentMeta } from "../../ingest/types.js";

/** What this needs of the keyword index (src/index/bm25-index.ts Bm25Index provides it). */
export interface KeywordPostings {
  readonly size: number;
  /** Positions of the documents holding an index term (any order, no repeats). */
  postings(term: string): ArrayLike<number>;
  idAt(position: number): string | undefined;
}

/** The loaded index (src/retrieval/loaded-index.ts LoadedIndex has this shape). */
export interface IndexedCorpus {
  readonly bm25: KeywordPostings;
  readonly chunkById: ReadonlyMap<string, { text: string }>;
  /**
   * The chunks, usually in the keyword index's order (ingest adds them in this order): when the
   * chunk at a position has the position's id it is taken from here, which is much cheaper than a
   * lookup by id (measured at 100k chunks: ~1.5 µs a lookup, most of the cost of checking a term).
   */
  readonly chunks?: readonly { id: string; text: string }[];
  /** The documents (the asker names a province that has no regulation among them). */
  readonly docs?: readonly DocumentMeta[];
}

/** Same ranges as the tokenizer's CJK runs. */
const ONLY_CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
const HAS_CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
/** Candidates checked per term before sampling (see above). */
export const MAX_CHECKS = 1000;
/** Fewest sample hits for an estimate (relative standard error of df ≤ 1/√100 = 10%). */
const MIN_SAMPLE_HITS = 100;
const GOLDEN = (Math.sqrt(5) - 1) / 2;
/**
 * Characters NFKC turns into CJK ideographs (radicals, kanbun marks, enclosed and compatibility
 * ideographs; the two high surrogates cover U+1F200… and U+2F800…): a text holding one is folded
 * before the substring check, any other is checked as stored (folding cannot change its ideographs).
 */
const FOLDS_TO_CJK = /[\u2e80-\u2fdf\u3190-\u319f\u3200-\u33ff\uf900-\ufaff\ud83c\ud87e]/;

export class IndexedTermStats implements TermStats {
  readonly size: number;
  private readonly memo = new Map<string, number>();
  /** Chunk text by index position (filled on first use); "" when the chunk is unknown. */
  private readonly texts: (string | undefined)[];
  /** 0 unknown, 1 no character folds into a CJK ideograph, 2 some does. */
  private readonly foldFlags: Uint8Array;
  /** Per-position scratch for intersecting postings, and for the union over forms; left zeroed. */
  private readonly marks: Uint16Array;
  private readonly seen: Uint8Array;
  private folded: string[] | undefined;
  /** Terms whose df came from a full scan, and terms whose df was estimated from a sample. */
  readonly scanned = new Set<string>();
  readonly sampled = new Set<string>();

  private readonly maxChecks: number;

  private readonly minSampleHits: number;

  /** Options: candidates checked per term before sampling, fewest sample hits for an estimate. */
  constructor(
    private readonly corpus: IndexedCorpus,
    options: { maxChecks?: number; minSampleHits?: number } = {},
  ) {
    this.maxChecks = Math.max(1, options.maxChecks ?? MAX_CHECKS);
    this.minSampleHits = options.minSampleHits ?? MIN_SAMPLE_HITS;
    this.size = corpus.bm25.size;
    this.texts = new Array(this.size);
    this.foldFlags = new Uint8Array(this.size);
    this.marks = new Uint16Array(this.size);
    this.seen = new Uint8Array(this.size);
  }

  idf(term: string, alternatives: readonly string[] = []): number {
    const forms = [term, ...alternatives];
    const key = forms.join("|");
    let v = this.memo.get(key);
    if (v === undefined) {
      v = corpusIdf(
        this.size,
        forms.every((f) => HAS_CJK.test(f)) ? this.indexedDf(forms, key) : this.scanDf(forms, key),
      );
      this.memo.set(key, v);
    }
    return v;
  }

  /**
   * Ids of the chunks whose text contains `term` (with a CJK character; [] otherwise), at most
   * `limit` + 1 of them (more than `limit` means "common"): the asker checks where a specific term
   * of a question occurs (evidence.ts).
   */
  holders(term: string, limit = 20): string[] {
    if (!HAS_CJK.test(term)) return [];
    const c = this.candidates(term);
    const out: string[] = [];
    const count = c === null ? this.size : c.length;
    const cjkOnly = ONLY_CJK.test(term);
    for (let i = 0; i < count && out.length <= limit; i++) {
      const p = c === null ? i : c[i]!;
      if (this.contains(p, term, cjkOnly)) {
        const id = this.corpus.bm25.idAt(p);
        if (id !== undefined) out.push(id);
      }
    }
    return out;
  }

  /** Chunks whose text contains any of the forms (each with a CJK character). */
  private indexedDf(forms: readonly string[], key: string): number {
    // candidates: the union of each form's (null: every chunk)
    let all = false;
    let union: ArrayLike<number> = [];
    if (forms.length === 1) {
      const c = this.candidates(forms[0]!);
      if (c === null) all = true;
      else union = c;
    } else {
      const merged: number[] = [];
      for (const form of forms) {
        const c = this.candidates(form);
        if (c === null) {
          all = true;
          break;
        }
        for (let i = 0; i < c.length; i++) {
          const p = c[i]!;
          if (this.seen[p] === 0) {
            this.seen[p] = 1;
            merged.push(p);
          }
        }
      }
      for (const p of merged) this.seen[p] = 0;
      union = merged;
    }
    const count = all ? this.size : union.length;
    const at = (i: number) => (all ? i : union[i]!);
    const cjkOnly = forms.map((f) => ONLY_CJK.test(f));
    const holds = (p: number) => {
      for (let i = 0; i < forms.length; i++) if (this.contains(p, forms[i]!, cjkOnly[i]!)) return true;
      return false;
    };
    const n = this.maxChecks;
    if (count <= n) {
      let df = 0;
      for (let i = 0; i < count; i++) if (holds(at(i))) df++;
      return df;
    }
    let hits = 0;
    // a golden-ratio (Weyl) sequence of positions: spread over the candidates like a stride, but
    // not in step with periodic layouts (every 4th chunk of a law…); deterministic
    for (let j = 1; j <= n; j++) if (holds(at(Math.floor(((j * GOLDEN) % 1) * count)))) hits++;
    if (hits < this.minSampleHits) {
      // the term is rare among its candidates: an estimate would be far off in IDF (0 vs 1 hit is
      // ~4.6 nats at 100k chunks), so count exactly (once per term)
      let df = 0;
      for (let i = 0; i < count; i++) if (holds(at(i))) df++;
      return df;
    }
    this.sampled.add(key);
    return Math.round((hits * count) / n);
  }

  /** Positions holding every distinct CJK bigram of `form`; null when it has none (one CJK character). */
  private candidates(form: string): ArrayLike<number> | null {
    const bigrams = [...new Set(cjkNgrams(form, 2))];
    if (!bigrams.length) return null;
    const lists = bigrams.map((b) => this.corpus.bm25.postings(BIGRAM_PREFIX + b));
    if (lists.length === 1) return lists[0]!;
    if (lists.some((l) => l.length === 0)) return [];
    lists.sort((a, b) => a.length - b.length);
    const [first, ...rest] = lists as [ArrayLike<number>, ...ArrayLike<number>[]];
    const marks = this.marks;
    // marks[p] = how many lists so far hold p
    for (let i = 0; i < first.length; i++) marks[first[i]!] = 1;
    rest.forEach((list, j) => {
      for (let i = 0; i < list.length; i++) {
        const p = list[i]!;
        if (marks[p] === j + 1) marks[p] = j + 2;
      }
    });
    const out: number[] = [];
    const all = lists.length;
    for (let i = 0; i < first.length; i++) {
      const p = first[i]!;
      if (marks[p] === all) out.push(p);
      marks[p] = 0;
    }
    return out;
  }

  /** Whether the chunk's folded text contains `form`, folding only when it can matter. */
  private contains(p: number, form: string, cjkOnly: boolean): boolean {
    const text = this.textAt(p);
    if (!cjkOnly) return fold(text).includes(form);
    // folding never changes a CJK ideograph, so a match as stored is a match; otherwise fold only
    // a text with characters that NFKC turns into ideographs
    if (text.includes(form)) return true;
    if (this.foldFlags[p] === 0) this.foldFlags[p] = FOLDS_TO_CJK.test(text) ? 2 : 1;
    return this.foldFlags[p] === 2 && fold(text).includes(form);
  }

  private textAt(p: number): string {
    let t = this.texts[p];
    if (t === undefined) {
      const id = this.corpus.bm25.idAt(p);
      const same = this.corpus.chunks?.[p];
      t = this.texts[p] =
        (same && same.id === id ? same.text : id !== undefined ? this.corpus.chunkById.get(id)?.text : undefined) ?? "";
    }
    return t;
  }

  /** The CorpusStats scan, for wordings without a CJK character. */
  private scanDf(forms: readonly string[], key: string): number {
    this.scanned.add(key);
    if (!this.folded) {
      this.folded = new Array(this.size);
      for (let p = 0; p < this.size; p++) this.folded[p] = fold(this.textAt(p));
    }
    let df = 0;
    for (const t of this.folded) if (forms.some((f) => t.includes(f))) df++;
    return df;
  }
}
