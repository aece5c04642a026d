/**
 * Okapi BM25 keyword index over pre-tokenised documents (see ./tokenize.ts).
 *
 * Hand-written because LangChain's BM25Retriever tokenises on white space, which leaves a Chinese
 * sentence as one "word" and yields NaN scores; MiniSearch could take a custom tokenizer but
 * cannot weight query terms (words vs. bigrams) or serialise postings this compactly.
 * The IDF is the BM25+ variant ln(1 + (N - df + 0.5) / (df + 0.5)), which is positive and finite
 * for every term, so scores are always finite and never negative.
 */

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation, 0..1 (default 0.75). */
  b?: number;
}

export interface Bm25Hit {
  id: string;
  score: number;
}

/** Serialised form: ids and lengths by position; postings as flat [docIndex, tf, docIndex, tf, ...]. */
export interface Bm25Json {
  version: 1;
  k1: number;
  b: number;
  ids: string[];
  lengths: number[];
  postings: Record<string, number[]>;
}

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  private readonly lengths = new Map<string, number>();
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly docTerms = new Map<string, string[]>();
  private totalLength = 0;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 >= 0) || !(this.b >= 0 && this.b <= 1)) throw new RangeError(`BM25: need k1 ≥ 0 and 0 ≤ b ≤ 1, got k1=${this.k1}, b=${this.b}`);
  }

  get size(): number {
    return this.lengths.size;
  }

  has(id: string): boolean {
    return this.lengths.has(id);
  }

  ids(): string[] {
    return [...this.lengths.keys()];
  }

  /** Adds (or replaces) a document given its terms, in order, repeats included. */
  add(id: string, terms: readonly string[]): void {
    this.remove(id);
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = new Map()));
      p.set(id, n);
    }
    this.docTerms.set(id, [...tf.keys()]);
    this.lengths.set(id, terms.length);
    this.totalLength += terms.length;
  }

  /** Removes a document; returns false when it was not there. */
  remove(id: string): boolean {
    const len = this.lengths.get(id);
    if (len === undefined) return false;
    for (const t of this.docTerms.get(id) ?? []) {
      const p = this.postings.get(t);
      p?.delete(id);
      if (p && p.size === 0) this.postings.delete(t);
    }
    this.docTerms.delete(id);
    this.lengths.delete(id);
    this.totalLength -= len;
    return true;
  }

  idf(term: string): number {
    const n = this.lengths.size;
    const df = this.postings.get(term)?.size ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Scores every document holding a query term. `query` maps term -> weight (a plain array counts
   * each repeat once more). `filter` is applied before the cut to `limit`.
   */
  search(query: ReadonlyMap<string, number> | readonly string[], options: { limit?: number; filter?: (id: string) => boolean } = {}): Bm25Hit[] {
    const weights = Array.isArray(query) ? countTerms(query as readonly string[]) : (query as ReadonlyMap<string, number>);
    const n = this.lengths.size;
    if (n === 0) return [];
    const avg = this.totalLength / n || 1;
    const scores = new Map<string, number>();
    for (const [term, wq] of weights) {
      const p = this.postings.get(term);
      if (!p || !(wq > 0)) continue;
      const idf = this.idf(term);
      for (const [id, tf] of p) {
        if (options.filter && !options.filter(id)) continue;
        const len = this.lengths.get(id) ?? 0;
        const s = (wq * idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * len) / avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    const hits = [...scores].map(([id, score]) => ({ id, score })).filter((h) => Number.isFinite(h.score) && h.score > 0);
    hits.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return options.limit === undefined ? hits : hits.slice(0, options.limit);
  }

  toJSON(): Bm25Json {
    const ids = [...this.lengths.keys()];
    const index = new Map(ids.map((id, i) => [id, i]));
    const postings: Record<string, number[]> = {};
    for (const [t, p] of this.postings) {
      const flat: number[] = [];
      for (const [id, tf] of p) flat.push(index.get(id)!, tf);
      postings[t] = flat;
    }
    return { version: 1, k1: this.k1, b: this.b, ids, lengths: ids.map((id) => this.lengths.get(id)!), postings };
  }

  static fromJSON(json: Bm25Json): Bm25Index {
    if (!json || json.version !== 1 || !Array.isArray(json.ids)) throw new Error("BM25 index: unsupported or corrupt JSON");
    const idx = new Bm25Index({ k1: json.k1, b: json.b });
    const terms = json.ids.map(() => [] as string[]);
    json.ids.forEach((id, i) => {
      const len = json.lengths[i] ?? 0;
      idx.lengths.set(id, len);
      idx.totalLength += len;
    });
    for (const [t, flat] of Object.entries(json.postings)) {
      const p = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const id = json.ids[flat[i]!]!;
        p.set(id, flat[i + 1]!);
        terms[flat[i]!]!.push(t);
      }
      idx.postings.set(t, p);
    }
    json.ids.forEach((id, i) => idx.docTerms.set(id, terms[i]!));
    return idx;
  }
}

function countTerms(terms: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}
