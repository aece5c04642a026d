/**
 * Term weights for ask from the keyword index instead of a scan of every chunk per new term.
 *
 * The figures are the SAME as CorpusStats (query-terms.ts): df = chunks whose folded text contains
 * the term (or an alternative wording) as a substring. The index's word postings cannot give that
 * directly (its words are jieba search-mode tokens of title + chapter + lead + text, and the
 * answerer's POS-tagged words are not always index words), but its character-bigram postings
 * can: a chunk whose text contains a CJK term of two or more characters holds every bigram of the
 * term, so the intersection of those postings is a superset of the answer, and only those
 * candidates are checked for the substring. A two-character term costs one postings lookup plus
 * the check of its candidates (those whose title/lead alone holds it drop out).
 * A wording with other characters between or around CJK ones ("进京邮(快)件") is narrowed down the
 * same way by the bigrams of its CJK runs and checked against the folded text.
 * A single CJK character is looked up in a table of per-character document frequencies built by
 * one pass over the texts, the first time one is asked for (then O(1) for every character).
 * Only terms with no CJK bigram at all (digits, latin words: "2024", "python") and a single
 * character with alternative wordings fall back to a scan of the folded texts, memoised per term
 * like CorpusStats; the folded texts are built on the first such term only.
 */
import { BIGRAM_PREFIX, cjkNgrams, fold } from "../../index/tokenize.js";
import { corpusIdf, type TermStats } from "./query-terms.js";

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
}

/** Same ranges as the tokenizer's CJK runs (all in the BMP). */
const ONLY_CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
const isCjkCode = (c: number) => (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
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
  /** 0 unknown, 1 check as stored, 2 fold first. */
  private readonly foldFlags: Uint8Array;
  /** Per-position scratch for intersecting postings, and for the union over forms; left zeroed. */
  private readonly marks: Uint16Array;
  private readonly seen: Uint8Array;
  private folded: string[] | undefined;
  /** Terms whose df came from a scan (for tests and diagnostics). */
  readonly scanned = new Set<string>();

  constructor(private readonly corpus: IndexedCorpus) {
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
      let df: number;
      if (forms.every((f) => cjkNgrams(f, 2).length > 0)) df = this.indexedDf(forms);
      else if (forms.length === 1 && term.length === 1 && ONLY_CJK.test(term)) df = this.charDf(term.charCodeAt(0));
      else df = this.scanDf(forms, key);
      v = corpusIdf(this.size, df);
      this.memo.set(key, v);
    }
    return v;
  }

  /** Chunks whose text contains any of the forms (each with at least one CJK bigram). */
  private indexedDf(forms: readonly string[]): number {
    const hits: number[] = [];
    for (const form of forms) {
      const cjkOnly = ONLY_CJK.test(form);
      for (const p of this.candidates(form)) {
        if (this.seen[p] === 0 && (cjkOnly ? this.contains(p, form) : fold(this.textAt(p)).includes(form))) {
          this.seen[p] = 1;
          hits.push(p);
        }
      }
    }
    for (const p of hits) this.seen[p] = 0;
    return hits.length;
  }

  /** Positions holding every distinct bigram of `form`. */
  private candidates(form: string): number[] {
    const lists = [...new Set(cjkNgrams(form, 2))].map((b) => this.corpus.bm25.postings(BIGRAM_PREFIX + b));
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

  /** The chunk's text, folded only when folding could change its CJK characters. */
  private cjkText(p: number): string {
    const text = this.textAt(p);
    if (this.foldFlags[p] === 0) this.foldFlags[p] = FOLDS_TO_CJK.test(text) ? 2 : 1;
    return this.foldFlags[p] === 2 ? fold(text) : text;
  }

  private contains(p: number, form: string): boolean {
    return this.cjkText(p).includes(form);
  }

  private textAt(p: number): string {
    let t = this.texts[p];
    if (t === undefined) {
      const id = this.corpus.bm25.idAt(p);
      t = this.texts[p] = (id !== undefined ? this.corpus.chunkById.get(id)?.text : undefined) ?? "";
    }
    return t;
  }

  private charCounts: Uint32Array | undefined;
  /** Chunks whose text contains the CJK character `code` (table built on first use, one pass). */
  private charDf(code: number): number {
    if (!this.charCounts) {
      const counts = new Uint32Array(0x10000);
      const last = new Int32Array(0x10000).fill(-1);
      for (let p = 0; p < this.size; p++) {
        const t = this.cjkText(p);
        for (let i = 0; i < t.length; i++) {
          const c = t.charCodeAt(i);
          if (last[c] !== p && isCjkCode(c)) {
            last[c] = p;
            counts[c]!++;
          }
        }
      }
      this.charCounts = counts;
    }
    return this.charCounts[code]!;
  }

  /** The CorpusStats scan, for forms the bigram postings cannot narrow down. */
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
