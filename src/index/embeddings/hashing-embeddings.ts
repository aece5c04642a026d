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
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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

/** FNV-1a 32-bit over bytes[from, to). */
function fnvBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * The median of jieba's bundled table (@node-rs/jieba 2.0.3's idf.txt), recognised by its size and
 * a checksum of its lines taken while indexing them: computing it parses all 270k values (~0.1 s
 * of a cold search plus its garbage). Any other table's median is computed. Test:
 * index-hashing-embeddings.test.ts (this constant equals the computed median of that table).
 */
export const BUNDLED_IDF = { bytes: 6_200_957, checksum: 2_647_784_903, median: 11.9547675029 };

/**
 * jieba's IDF table (~270k lines "word value"), looked up in its bytes for the first lookups and
 * parsed into a Map only once a process asks for many words: a one-shot search embeds one question
 * (a few dozen lookups) and does not pay ~0.3-0.6 s of CPU to decode the text and build the Map
 * (cold start, issue 14); a big ingest builds it after LAZY_LOOKUPS distinct words. The byte lookup is
 * an open-addressing table of line starts by the hash of each line's word (one pass over the
 * bytes, no string made), each hit checked byte for byte. Same values either way: a word's last
 * line with a finite value, as the Map keeps (test: index-hashing-embeddings.test.ts).
 */
export class JiebaIdfTable implements IdfLookup {
  /**
   * A byte lookup costs a few µs, building the Map ~0.3 s of CPU (decoding 6 MB, 270k entries):
   * the Map pays from about this many distinct words (a big ingest), not for one question or the
   * few chunks of an added notice (issue 14: add-one ingest).
   */
  static readonly LAZY_LOOKUPS = 20_000;
  private full: Map<string, number> | null = null;
  private lookups = 0;
  private readonly memo = new Map<string, number | undefined>();
  private readonly bytes: Buffer;
  /** Open addressing: slot -> line start + 1 (0 = empty); `mask` = slots - 1. */
  private slots: Int32Array | null = null;
  private mask = 0;
  private checksum = 0;
  /**
   * `cacheFile`: where the line index is kept between processes (building it is one pass over
   * 6 MB, ~0.1-0.2 s on the shared 2-core machine; reading it back ~5 ms). A missing, stale or
   * damaged file is rebuilt, an unwritable place skipped; the file can only make a lookup miss,
   * never answer another word's value (every hit is compared byte for byte with the table).
   */
  constructor(
    table: string | Uint8Array,
    private readonly cacheFile?: string,
    private readonly lazyLookups = JiebaIdfTable.LAZY_LOOKUPS,
  ) {
    this.bytes =
      typeof table === "string"
        ? Buffer.from(table, "utf8")
        : Buffer.from(table.buffer, table.byteOffset, table.byteLength);
  }

  private static readonly CACHE_MAGIC = 0x1df0_0001;

  /** The line index from cacheFile when it was written for these bytes (header: magic, size, checksum, mask, hash of the slots). */
  private readCache(): boolean {
    if (!this.cacheFile) return false;
    try {
      const raw = readFileSync(this.cacheFile);
      if (raw.length < 20 || raw.length % 4 !== 0) return false;
      const all = new Int32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
      const [magic, size, checksum, mask, hash] = all;
      const slots = all.subarray(5);
      if (
        magic !== JiebaIdfTable.CACHE_MAGIC ||
        size !== this.bytes.length ||
        mask !== slots.length - 1 ||
        (mask & (mask + 1)) !== 0
      )
        return false;
      if (hashInts(slots) !== hash) return false;
      this.slots = slots;
      this.mask = mask!;
      this.checksum = checksum! >>> 0;
      return true;
    } catch {
      return false;
    }
  }

  private writeCache(): void {
    if (!this.cacheFile || !this.slots) return;
    try {
      const all = new Int32Array(this.slots.length + 5);
      all.set([JiebaIdfTable.CACHE_MAGIC, this.bytes.length, this.checksum | 0, this.mask, hashInts(this.slots)]);
      all.set(this.slots, 5);
      mkdirSync(dirname(this.cacheFile), { recursive: true });
      const tmp = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, new Uint8Array(all.buffer));
      renameSync(tmp, this.cacheFile);
    } catch {
      // a read-only install: the index is built per process
    }
  }

  get(word: string): number | undefined {
    if (this.full) return this.full.get(word);
    if (this.memo.has(word)) return this.memo.get(word);
    if (++this.lookups > this.lazyLookups) return this.parsed().get(word);
    const v = this.search(word);
    this.memo.set(word, v);
    return v;
  }

  /** The whole table as a Map (what get() answers from once built). */
  parsed(): Map<string, number> {
    if (!this.full) {
      const map = new Map<string, number>();
      for (const line of this.bytes.toString("utf8").split("\n")) {
        const e = parseIdfLine(line);
        if (e) map.set(e[0], e[1]);
      }
      this.full = map;
      this.memo.clear();
      this.slots = null;
    }
    return this.full;
  }

  /** Indexes every line with a word: one pass over the bytes, hashing each line as it goes. */
  private build(): Int32Array {
    if (this.readCache()) return this.slots!;
    const b = this.bytes;
    let lines = 1;
    for (let at = b.indexOf(10); at >= 0; at = b.indexOf(10, at + 1)) lines++;
    let size = 1;
    while (size < lines * 2) size <<= 1;
    const slots = new Int32Array(size);
    const mask = size - 1;
    let sum = 0;
    let start = 0;
    let h = 0x811c9dc5;
    // the hash of the line's bytes before its last space so far (-1: no space after the line's first byte)
    let atSpace = -1;
    const n = b.length;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? b[i]! : 10;
      if (c === 10) {
        if (atSpace !== -1) {
          sum = (sum + atSpace) >>> 0;
          let k = atSpace & mask;
          while (slots[k] !== 0) k = (k + 1) & mask;
          slots[k] = start + 1;
        }
        start = i + 1;
        h = 0x811c9dc5;
        atSpace = -1;
        continue;
      }
      if (c === 32 && i > start) atSpace = h >>> 0;
      h = Math.imul(h ^ c, 0x01000193);
    }
    this.mask = mask;
    this.checksum = sum;
    this.slots = slots;
    this.writeCache();
    return slots;
  }

  /** The value of the last line whose word is `word` and whose value is a finite number. */
  private search(word: string): number | undefined {
    if (!word) return undefined;
    const slots = this.slots ?? this.build();
    const b = this.bytes;
    const needle = Buffer.from(word, "utf8");
    let best = -1;
    let value: number | undefined;
    for (let i = fnvBytes(needle, 0, needle.length) & this.mask; slots[i] !== 0; i = (i + 1) & this.mask) {
      const start = slots[i]! - 1;
      const sp = start + needle.length;
      if (start <= best || b[sp] !== 32 || b.compare(needle, 0, needle.length, start, sp) !== 0) continue;
      let end = b.indexOf(10, sp);
      if (end < 0) end = b.length;
      if (b.lastIndexOf(32, end - 1) !== sp) continue; // the word is longer (holds a space)
      const v = Number(b.toString("utf8", sp + 1, end));
      if (Number.isFinite(v)) {
        best = start;
        value = v;
      }
    }
    return value;
  }

  /** Median of every value (the weight of a word the table lacks); no Map built. */
  median(): number {
    if (this.bytes.length === BUNDLED_IDF.bytes && BUNDLED_IDF.median > 0) {
      if (!this.slots) this.build();
      if (this.checksum === BUNDLED_IDF.checksum) return BUNDLED_IDF.median;
    }
    return this.computedMedian();
  }

  /** The median from every line's value (what median() answers for a table it does not know). */
  computedMedian(): number {
    const values: number[] = [];
    for (const line of this.bytes.toString("utf8").split("\n")) {
      const e = parseIdfLine(line);
      if (e) values.push(e[1]);
    }
    const sorted = Float64Array.from(values).sort(); // numeric typed-array sort: ~15 ms instead of ~120 ms at cold start
    return sorted[sorted.length >> 1] ?? 10;
  }

  /** Checksum of the indexed lines' words (BUNDLED_IDF.checksum for the bundled table). */
  linesChecksum(): number {
    if (!this.slots) this.build();
    return this.checksum;
  }
}

/** FNV-1a over 32-bit values (the cache file's check). */
function hashInts(a: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a[i]!, 0x01000193);
  return h | 0;
}

/** node_modules/.cache/postal-assistant/jieba-idf-SIZE-MTIME.bin (the convention build tools use), or undefined. */
function idfCacheFile(): string | undefined {
  try {
    const idfFile = join(dirname(createRequire(import.meta.url).resolve("@node-rs/jieba/dict.js")), "idf.txt");
    const st = statSync(idfFile);
    return join(
      dirname(dirname(dirname(idfFile))),
      ".cache",
      "postal-assistant",
      `jieba-idf-${st.size}-${Math.round(st.mtimeMs)}.bin`,
    );
  } catch {
    return undefined;
  }
}

let idfTable: { map: IdfLookup; median: number } | undefined;
/** jieba's IDF table (word -> idf) and its median, read once per process. */
function jiebaIdf(): { map: IdfLookup; median: number } {
  if (!idfTable) {
    const table = new JiebaIdfTable(jiebaIdfBytes, idfCacheFile());
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
    if (this.unigramWeight > 0)
      add(117 /* u */, countInto(cjkNgrams(text, 1)), (t) => this.unigramWeight * ((map.get(t) ?? median) / median));
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
