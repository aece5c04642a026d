/**
 * The embedded default embedder: no network, no model weights.
 *
 * A text becomes a bag of features (jieba words, single CJK characters, character bigrams and
 * trigrams), each weighted by sublinear term frequency (1 + ln tf) times a static inverse document
 * frequency (jieba's bundled IDF table for words and characters; fixed weights for n-grams; the
 * characters give partial matches such as 停工 ~ 停止作业), and summed into a
 * fixed-size vector by signed feature hashing (FNV-1a; the sign from a second hash keeps
 * collisions unbiased). The vector is L2-normalised, so cosine similarity is a dot product.
 *
 * Written by hand because LangChain has no offline, weight-free embedder that handles Chinese
 * (its FakeEmbeddings are not semantic). The IDF table is static, so an embedding depends on its
 * text alone: unchanged chunks never need re-embedding when the corpus changes.
 */
import type { EmbeddingsParams } from "@langchain/core/embeddings";
import { idf as jiebaIdfBytes } from "@node-rs/jieba/dict.js";
import { cjkNgrams, words } from "../tokenize.js";
import { IdentifiedEmbeddings } from "./identified-embeddings.js";

/**
 * The provider every HashingEmbeddings declares; the version is the feature scheme's (a change to
 * the features is a new provider). The ingest workers rebuild an embedder that declares it from its
 * options (src/ingest/pipeline/ingest-worker.ts), so a subclass that computes other vectors declares
 * another provider.
 */
export const HASHING_PROVIDER = "hashing-v1";

export interface HashingEmbeddingsOptions extends EmbeddingsParams {
  /** Vector size (default 1024). */
  dimensions?: number;
  /** Feature-type weights (defaults chosen on the retrieval eval: words 1, bigrams 0.5, trigrams 0.3, characters 1). */
  wordWeight?: number;
  bigramWeight?: number;
  trigramWeight?: number;
  /** Single CJK characters (weighted by IDF): partial matches such as 停工 ~ 停止作业. 0 turns them off. */
  unigramWeight?: number;
}

/** Word -> IDF lookups of jieba's table. */
export interface IdfLookup {
  get(word: string): number | undefined;
}

/** One line "word idf" of the table: its word and value, or null for a line the table would skip. */
function parseIdfLine(line: string): [string, number] | null {
  const sp = line.lastIndexOf(" ");
  if (sp <= 0) return null;
  const v = Number(line.slice(sp + 1));
  return Number.isFinite(v) ? [line.slice(0, sp), v] : null;
}

/**
 * jieba's IDF table (~270k lines), looked up in the text itself for the first lookups and parsed
 * into a Map only once a process asks for many words: a one-shot search embeds one question (a
 * few dozen lookups) and no longer pays ~0.3-0.6 s of CPU to build the Map (cold start, issue 14);
 * an ingest builds it after LAZY_LOOKUPS distinct words (a lookup scans ~1-3 ms of text). Same values either way: the Map keeps a word's
 * last line, so the text is searched from its end (test: index-hashing-embeddings.test.ts).
 */
export class JiebaIdfTable implements IdfLookup {
  static readonly LAZY_LOOKUPS = 64;
  private full: Map<string, number> | null = null;
  private lookups = 0;
  private readonly memo = new Map<string, number | undefined>();
  constructor(private readonly text: string) {}

  get(word: string): number | undefined {
    if (this.full) return this.full.get(word);
    if (this.memo.has(word)) return this.memo.get(word);
    if (++this.lookups > JiebaIdfTable.LAZY_LOOKUPS) return this.parsed().get(word);
    const v = this.search(word);
    this.memo.set(word, v);
    return v;
  }

  /** The whole table as a Map (what get() answers from once built). */
  parsed(): Map<string, number> {
    if (!this.full) {
      const map = new Map<string, number>();
      for (const line of this.text.split("\n")) {
        const e = parseIdfLine(line);
        if (e) map.set(e[0], e[1]);
      }
      this.full = map;
      this.memo.clear();
    }
    return this.full;
  }

  /** The value of the last line whose word is `word`, by scanning the text backwards. */
  private search(word: string): number | undefined {
    if (!word) return undefined;
    const text = this.text;
    const needle = `${word} `;
    for (let end = text.length; end > 0; ) {
      const at = text.lastIndexOf(needle, end - 1);
      if (at < 0) return undefined;
      end = at;
      if (at > 0 && text[at - 1] !== "\n") continue; // not at a line start
      const nl = text.indexOf("\n", at);
      const e = parseIdfLine(text.slice(at, nl < 0 ? text.length : nl));
      if (e && e[0] === word) return e[1];
    }
    return undefined;
  }

  /** Median of every value (the weight of a word the table lacks); no Map built. */
  median(): number {
    const values: number[] = [];
    for (const line of this.text.split("\n")) {
      const e = parseIdfLine(line);
      if (e) values.push(e[1]);
    }
    const sorted = Float64Array.from(values).sort(); // numeric typed-array sort: ~15 ms instead of ~120 ms at cold start
    return sorted[sorted.length >> 1] ?? 10;
  }
}

let idfTable: { map: IdfLookup; median: number } | undefined;
/** jieba's IDF table (word -> idf) and its median, read once per process. */
function jiebaIdf(): { map: IdfLookup; median: number } {
  if (!idfTable) {
    const table = new JiebaIdfTable(Buffer.from(jiebaIdfBytes).toString("utf8"));
    idfTable = { map: table, median: table.median() };
  }
  return idfTable;
}

/**
 * FNV-1a 32-bit over the UTF-16 code units of `${kind}:${token}` (the feature key), seeded, with a
 * final avalanche (murmur3 fmix32) so nearby strings spread over the buckets: for two seeds at
 * once (bucket and sign), without building the key string.
 */
function fnv1aPair(kind: number, token: string, seedA: number, seedB: number, out: Uint32Array): void {
  let a = (0x811c9dc5 ^ seedA) >>> 0;
  let b = (0x811c9dc5 ^ seedB) >>> 0;
  a ^= kind;
  a = Math.imul(a, 0x01000193) >>> 0;
  b ^= kind;
  b = Math.imul(b, 0x01000193) >>> 0;
  a ^= 58; // ":"
  a = Math.imul(a, 0x01000193) >>> 0;
  b ^= 58;
  b = Math.imul(b, 0x01000193) >>> 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    a ^= c;
    a = Math.imul(a, 0x01000193) >>> 0;
    b ^= c;
    b = Math.imul(b, 0x01000193) >>> 0;
  }
  out[0] = fmix(a);
  out[1] = fmix(b);
}

/** MurmurHash3's 32-bit finaliser of each FNV-1a hash (exported for the tests' reference hash). */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

const countInto = (tokens: Iterable<string>): Map<string, number> => {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
};

export class HashingEmbeddings extends IdentifiedEmbeddings {
  readonly provider: string = HASHING_PROVIDER;
  readonly dimensions: number;
  readonly wordWeight: number;
  readonly bigramWeight: number;
  readonly trigramWeight: number;
  readonly unigramWeight: number;

  constructor(options: HashingEmbeddingsOptions = {}) {
    super(options);
    this.dimensions = options.dimensions ?? 1024;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 16)
      throw new RangeError(`HashingEmbeddings: dimensions must be an integer ≥ 16, got ${this.dimensions}`);
    this.wordWeight = options.wordWeight ?? 1;
    this.bigramWeight = options.bigramWeight ?? 0.5;
    this.trigramWeight = options.trigramWeight ?? 0.3;
    this.unigramWeight = options.unigramWeight ?? 1;
  }

  /** The vector size and the feature weights: vectors of two model ids are never mixed in one index. */
  get modelId(): string {
    return `d${this.dimensions}:w${this.wordWeight}:b${this.bigramWeight}:t${this.trigramWeight}${this.unigramWeight ? `:u${this.unigramWeight}` : ""}`;
  }

  /** Weighted features of a text (exposed for tests and diagnostics). */
  features(text: string): Map<string, number> {
    const { map, median } = jiebaIdf();
    const tf = new Map<string, number>();
    const bump = (key: string) => tf.set(key, (tf.get(key) ?? 0) + 1);
    for (const w of words(text)) bump(`w:${w}`);
    if (this.bigramWeight > 0) for (const g of cjkNgrams(text, 2)) bump(`b:${g}`);
    if (this.trigramWeight > 0) for (const g of cjkNgrams(text, 3)) bump(`t:${g}`);
    if (this.unigramWeight > 0) for (const g of cjkNgrams(text, 1)) bump(`u:${g}`);
    const out = new Map<string, number>();
    for (const [key, n] of tf) {
      const sub = 1 + Math.log(n);
      const kind = key[0];
      let w: number;
      if (kind === "w") w = this.wordWeight * ((map.get(key.slice(2)) ?? median) / median);
      else if (kind === "u") w = this.unigramWeight * ((map.get(key.slice(2)) ?? median) / median);
      else if (kind === "b") w = this.bigramWeight;
      else w = this.trigramWeight;
      out.set(key, sub * w);
    }
    return out;
  }

  embedText(text: string): number[] {
    // The same sums as over features(text), in the same order (words, bigrams, trigrams,
    // characters, each in first-seen order), without a "kind:token" string and two hash passes
    // per feature: ~30% less CPU per chunk at ingest. Identical vectors: test/index-hashing-embeddings.test.ts.
    const v = new Float64Array(this.dimensions);
    const { map, median } = jiebaIdf();
    const hashes = new Uint32Array(2);
    const add = (kind: number, counts: Map<string, number>, weightOf: (token: string) => number) => {
      for (const [token, n] of counts) {
        const w = (1 + Math.log(n)) * weightOf(token);
        fnv1aPair(kind, token, 0x9e3779b9, 0x7f4a7c15, hashes);
        v[hashes[0]! % this.dimensions]! += (hashes[1]! & 1 ? 1 : -1) * w;
      }
    };
    add(119 /* w */, countInto(words(text)), (t) => this.wordWeight * ((map.get(t) ?? median) / median));
    if (this.bigramWeight > 0) add(98 /* b */, countInto(cjkNgrams(text, 2)), () => this.bigramWeight);
    if (this.trigramWeight > 0) add(116 /* t */, countInto(cjkNgrams(text, 3)), () => this.trigramWeight);
    if (this.unigramWeight > 0) add(117 /* u */, countInto(cjkNgrams(text, 1)), (t) => this.unigramWeight * ((map.get(t) ?? median) / median));
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    // An empty / punctuation-only text gets the zero vector (cosine is then 0 against everything).
    return Array.from(v, (x) => (norm > 0 ? x / norm : 0));
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedText(t));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
