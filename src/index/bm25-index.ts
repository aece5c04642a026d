/**
 * Okapi BM25 keyword index over pre-tokenised documents (see ./tokenize.ts).
 *
 * Hand-written because LangChain's BM25Retriever tokenises on white space, which leaves a Chinese
 * sentence as one "word" and yields NaN scores; MiniSearch could take a custom tokenizer but
 * cannot weight query terms (words vs. bigrams) or serialise postings this compactly.
 * The IDF is the BM25+ variant ln(1 + (N - df + 0.5) / (df + 0.5)), which is positive and finite
 * for every term, so scores are always finite and never negative.
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation, 0..1 (default 0.75). */
  b?: number;
}

/** Corpus statistics for scoring: documents, mean length, document frequency of a term. */
export interface Bm25Stats {
  n: number;
  avgdl: number;
  df(term: string): number;
}

/** Bit `i` of a tombstone bitmap (1 = deleted). */
export function isSet(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
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

/** Header of the binary form (bm25.meta.json); the arrays are in bm25.bin (see toBinary). */
export interface Bm25BinaryMeta {
  version: 2;
  k1: number;
  b: number;
  ids: string[];
  terms: string[];
  postings: number;
}

/**
 * Search-time form: compressed sparse postings in typed arrays (term -> slice of doc indices and
 * term frequencies) plus per-document length norms. Scoring a query walks only the postings of its
 * terms into one Float64Array accumulator; the filter runs once per matching document (not once
 * per posting) and the top `limit` are selected with a heap instead of sorting every match.
 * (Profiled in `npm run bench`: with nested Maps a query took ~50 ms at 10k chunks and loading the
 * index built ~3M Map entries per 10k chunks.)
 */
interface Compiled {
  ids: string[];
  lengths: Float64Array;
  totalLength: number;
  terms: Map<string, number>;
  /** Postings of term t are docs[offsets[t] .. offsets[t + 1]). */
  offsets: Int32Array;
  /** In memory, or null while they are read from `file` term by term (see openBinaryFile). */
  docs: Int32Array | null;
  tfs: Uint16Array | null;
  file?: PostingsFile;
}

/** Where the postings of an index opened from bm25.bin lie in the file (little-endian). */
interface PostingsFile {
  path: string;
  docsAt: number;
  tfsAt: number;
  /** Postings read so far, by term number. */
  read: Map<number, { docs: Int32Array; tfs: Uint16Array }>;
}

/** Reads bytes [position, position + bytes.length) of a file (open, read, close: no file stays open). */
function readAt(path: string, bytes: Uint8Array, position: number): void {
  const fd = openSync(path, "r");
  try {
    for (let done = 0; done < bytes.length; ) {
      const got = readSync(fd, bytes, done, bytes.length - done, position + done);
      if (got <= 0) throw new Error(`${path} ended early (truncated); run \`npm run ingest -- --rebuild\``);
      done += got;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Editable form used while building (ingest adds every chunk once): documents get append-only
 * slots, postings are flat [slot, tf, slot, tf, …] arrays per term, and a removed document's slot
 * is only marked dead (its postings are skipped when compiling), so neither adding nor removing
 * allocates a Map per term or per document.
 */
interface Editable {
  slotOf: Map<string, number>;
  slotIds: string[];
  slotLengths: number[];
  alive: boolean[];
  postings: Map<string, number[]>;
  live: number;
  totalLength: number;
}

const emptyEditable = (): Editable => ({
  slotOf: new Map(),
  slotIds: [],
  slotLengths: [],
  alive: [],
  postings: new Map(),
  live: 0,
  totalLength: 0,
});

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  /** Editable form (add/remove); built from `compiled` on the first edit after a load. */
  private mutable: Editable | null = emptyEditable();
  /** Search form; rebuilt lazily after an edit. */
  private compiled: Compiled | null = null;
  private idIndex: Map<string, number> | null = null;
  private scratch: { scores: Float64Array; touched: Int32Array; norms: Float64Array; avgdl: number } | null = null;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 >= 0) || !(this.b >= 0 && this.b <= 1))
      throw new RangeError(`BM25: need k1 ≥ 0 and 0 ≤ b ≤ 1, got k1=${this.k1}, b=${this.b}`);
  }

  get size(): number {
    return this.mutable ? this.mutable.live : this.compiled!.ids.length;
  }

  has(id: string): boolean {
    if (this.mutable) return this.mutable.slotOf.has(id);
    this.idIndex ??= new Map(this.compiled!.ids.map((x, i) => [x, i]));
    return this.idIndex.has(id);
  }

  ids(): string[] {
    return this.mutable ? this.mutable.slotIds.filter((_, i) => this.mutable!.alive[i]) : [...this.compiled!.ids];
  }

  /** Adds (or replaces) a document given its terms, in order, repeats included. */
  add(id: string, terms: readonly string[]): void {
    this.remove(id);
    const m = this.edit();
    const slot = m.slotIds.length;
    m.slotIds.push(id);
    m.slotLengths.push(terms.length);
    m.alive.push(true);
    m.slotOf.set(id, slot);
    m.live++;
    m.totalLength += terms.length;
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      const p = m.postings.get(t);
      if (p) p.push(slot, n);
      else m.postings.set(t, [slot, n]);
    }
  }

  /** Removes a document; returns false when it was not there. */
  remove(id: string): boolean {
    if (!this.has(id)) return false;
    const m = this.edit();
    const slot = m.slotOf.get(id)!;
    m.alive[slot] = false;
    m.slotOf.delete(id);
    m.live--;
    m.totalLength -= m.slotLengths[slot]!;
    return true;
  }

  /**
   * Positions (0..size-1, ascending) of the documents holding `term`, as a read-only view of the
   * postings (empty when none); `idAt` maps a position to its id. For callers that need document
   * frequencies or candidate sets without scoring (the answerer's term weights).
   */
  postings(term: string): Int32Array {
    const c = this.compile();
    const t = c.terms.get(term);
    return t === undefined ? EMPTY_POSTINGS : this.slice(c, t).docs;
  }

  /** The id of the document at a position returned by `postings`. */
  idAt(position: number): string | undefined {
    return this.compile().ids[position];
  }

  idf(term: string): number {
    const c = this.compile();
    const t = c.terms.get(term);
    const df = t === undefined ? 0 : c.offsets[t + 1]! - c.offsets[t]!;
    return idfOf(c.ids.length, df);
  }

  /**
   * Scores every document holding a query term. `query` maps term -> weight (a plain array counts
   * each repeat once more). `filter` is applied before the cut to `limit`.
   */
  search(
    query: ReadonlyMap<string, number> | readonly string[],
    options: { limit?: number; filter?: (id: string) => boolean } = {},
  ): Bm25Hit[] {
    const c = this.compile();
    const stats: Bm25Stats = {
      n: c.ids.length,
      avgdl: c.totalLength / c.ids.length || 1,
      df: (term) => this.liveDf(term, null),
    };
    return this.searchWith(query, stats, options);
  }

  /**
   * Scores with corpus statistics from outside (a segment of a segmented index: N, the mean length
   * and the document frequencies of every segment together), skipping documents whose bit is set
   * in `deleted` (the segment's tombstones).
   */
  searchWith(
    query: ReadonlyMap<string, number> | readonly string[],
    stats: Bm25Stats,
    options: { limit?: number; filter?: (id: string) => boolean; deleted?: Uint8Array | null } = {},
  ): Bm25Hit[] {
    const weights = Array.isArray(query)
      ? countTerms(query as readonly string[])
      : (query as ReadonlyMap<string, number>);
    const c = this.compile();
    const n = c.ids.length;
    if (n === 0 || stats.n === 0) return [];
    const { scores, touched } = this.scratch!;
    const norms = this.normsFor(stats.avgdl);
    const deleted = options.deleted ?? null;
    const k1p1 = this.k1 + 1;
    let nt = 0;
    for (const [term, wq] of weights) {
      const t = c.terms.get(term);
      if (t === undefined || !(wq > 0)) continue;
      const { docs, tfs } = this.slice(c, t);
      const idf = idfOf(stats.n, stats.df(term));
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        const s = (wq * idf * tf * k1p1) / (tf + norms[d]!);
        if (scores[d] === 0) touched[nt++] = d;
        scores[d]! += s;
      }
    }
    // collect (and reset the accumulator), filter once per document, keep the best `limit`
    const limit = options.limit ?? Infinity;
    const heap = new TopK(limit, c.ids);
    for (let i = 0; i < nt; i++) {
      const d = touched[i]!;
      const score = scores[d]!;
      scores[d] = 0;
      if (!(Number.isFinite(score) && score > 0)) continue;
      if (deleted && isSet(deleted, d)) continue;
      if (options.filter && !options.filter(c.ids[d]!)) continue;
      heap.push(d, score);
    }
    return heap.sorted().map(([d, score]) => ({ id: c.ids[d]!, score }));
  }

  /** Documents holding `term`, not counting those set in `deleted`. */
  liveDf(term: string, deleted: Uint8Array | null): number {
    const c = this.compile();
    const t = c.terms.get(term);
    if (t === undefined) return 0;
    const from = c.offsets[t]!;
    const to = c.offsets[t + 1]!;
    if (!deleted) return to - from;
    const { docs } = this.slice(c, t);
    let df = 0;
    for (let i = 0; i < docs.length; i++) if (!isSet(deleted, docs[i]!)) df++;
    return df;
  }

  /** Postings of `term` as local positions (read-only view, deleted documents included). */
  localPostings(term: string): Int32Array {
    return this.postings(term);
  }

  /** Ids by local position (the order documents were added), deleted ones included. */
  localIds(): readonly string[] {
    return this.compile().ids;
  }

  /** Number of documents and their total length, not counting those set in `deleted`. */
  liveTotals(deleted: Uint8Array | null): { n: number; totalLength: number } {
    const c = this.compile();
    if (!deleted) return { n: c.ids.length, totalLength: c.totalLength };
    let n = 0;
    let totalLength = 0;
    for (let d = 0; d < c.ids.length; d++)
      if (!isSet(deleted, d)) {
        n++;
        totalLength += c.lengths[d]!;
      }
    return { n, totalLength };
  }

  /**
   * One index holding the live documents of `parts` in order (postings copied and renumbered,
   * nothing re-tokenised): the merge of a segmented index.
   */
  static merge(
    parts: readonly { index: Bm25Index; deleted: Uint8Array | null }[],
    options: Bm25Options = {},
  ): Bm25Index {
    const ids: string[] = [];
    const lengths: number[] = [];
    const remaps: Int32Array[] = [];
    let totalLength = 0;
    for (const { index, deleted } of parts) {
      const c = index.compile();
      const remap = new Int32Array(c.ids.length).fill(-1);
      for (let d = 0; d < c.ids.length; d++) {
        if (deleted && isSet(deleted, d)) continue;
        remap[d] = ids.length;
        ids.push(c.ids[d]!);
        lengths.push(c.lengths[d]!);
        totalLength += c.lengths[d]!;
      }
      remaps.push(remap);
    }
    // term -> postings, in part order (so positions stay ascending)
    const byTerm = new Map<string, { docs: number[]; tfs: number[] }>();
    parts.forEach(({ index }, pi) => {
      const c = index.loaded();
      const remap = remaps[pi]!;
      for (const [term, t] of c.terms) {
        let list = byTerm.get(term);
        for (let i = c.offsets[t]!; i < c.offsets[t + 1]!; i++) {
          const d = remap[c.docs![i]!]!;
          if (d < 0) continue;
          if (!list) byTerm.set(term, (list = { docs: [], tfs: [] }));
          list.docs.push(d);
          list.tfs.push(c.tfs![i]!);
        }
      }
    });
    let total = 0;
    for (const l of byTerm.values()) total += l.docs.length;
    const terms = new Map<string, number>();
    const offsets = new Int32Array(byTerm.size + 1);
    const docs = new Int32Array(total);
    const tfs = new Uint16Array(total);
    let at = 0;
    let t = 0;
    for (const [term, l] of byTerm) {
      terms.set(term, t);
      offsets[t++] = at;
      docs.set(l.docs, at);
      tfs.set(l.tfs, at);
      at += l.docs.length;
    }
    offsets[t] = at;
    const idx = new Bm25Index({ k1: options.k1 ?? parts[0]?.index.k1, b: options.b ?? parts[0]?.index.b });
    idx.mutable = null;
    idx.setCompiled({ ids, lengths: Float64Array.from(lengths), totalLength, terms, offsets, docs, tfs });
    return idx;
  }

  /** Length norms k1·(1 − b + b·len/avgdl) for a mean length (cached for the last one asked). */
  private normsFor(avgdl: number): Float64Array {
    const s = this.scratch!;
    if (s.avgdl === avgdl) return s.norms;
    const c = this.compiled!;
    const avg = avgdl || 1;
    for (let d = 0; d < c.ids.length; d++) s.norms[d] = this.k1 * (1 - this.b + (this.b * c.lengths[d]!) / avg);
    s.avgdl = avgdl;
    return s.norms;
  }

  toJSON(): Bm25Json {
    const c = this.loaded();
    const postings: Record<string, number[]> = {};
    for (const [term, t] of c.terms) {
      const flat: number[] = [];
      for (let i = c.offsets[t]!; i < c.offsets[t + 1]!; i++) flat.push(c.docs![i]!, c.tfs![i]!);
      postings[term] = flat;
    }
    return { version: 1, k1: this.k1, b: this.b, ids: [...c.ids], lengths: Array.from(c.lengths), postings };
  }

  static fromJSON(json: Bm25Json): Bm25Index {
    if (json?.version !== 1 || !Array.isArray(json.ids)) throw new Error("BM25 index: unsupported or corrupt JSON");
    const idx = new Bm25Index({ k1: json.k1, b: json.b });
    const n = json.ids.length;
    const lengths = new Float64Array(n);
    let totalLength = 0;
    for (let i = 0; i < n; i++) totalLength += lengths[i] = json.lengths[i] ?? 0;
    const entries = Object.entries(json.postings);
    let total = 0;
    for (const [, flat] of entries) total += flat.length >> 1;
    const terms = new Map<string, number>();
    const offsets = new Int32Array(entries.length + 1);
    const docs = new Int32Array(total);
    const tfs = new Uint16Array(total);
    let at = 0;
    entries.forEach(([term, flat], t) => {
      terms.set(term, t);
      offsets[t] = at;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const d = flat[i]!;
        if (!(d >= 0 && d < n)) throw new Error("BM25 index: posting refers to a missing document");
        docs[at] = d;
        tfs[at++] = Math.min(flat[i + 1]!, 0xffff);
      }
    });
    offsets[entries.length] = at;
    idx.mutable = null;
    idx.setCompiled({
      ids: [...json.ids],
      lengths,
      totalLength,
      terms,
      offsets,
      docs: at === total ? docs : docs.slice(0, at),
      tfs: at === total ? tfs : tfs.slice(0, at),
    });
    return idx;
  }

  /**
   * Binary form for the index store: a small JSON header (ids, terms) and one little-endian buffer
   * holding lengths (Float64 × docs), offsets (Int32 × terms+1), docs (Int32 × postings) and
   * tfs (Uint16 × postings). Loading it is a few typed-array views instead of parsing ~140 MB of
   * JSON at 100k chunks (1.7 s of a 6.5 s cold start, `npm run bench`).
   */
  toBinary(): { meta: Bm25BinaryMeta; data: Buffer } {
    const c = this.loaded();
    const terms: string[] = new Array(c.terms.size);
    for (const [term, t] of c.terms) terms[t] = term;
    const n = c.ids.length;
    const p = c.docs!.length;
    const data = Buffer.alloc(n * 8 + (terms.length + 1) * 4 + p * 4 + p * 2);
    let at = 0;
    const put = (arr: Float64Array | Int32Array | Uint16Array) => {
      const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
      bytes.copy(data, at);
      if (!LITTLE_ENDIAN)
        arr.BYTES_PER_ELEMENT === 8
          ? data.subarray(at, at + bytes.length).swap64()
          : arr.BYTES_PER_ELEMENT === 4
            ? data.subarray(at, at + bytes.length).swap32()
            : data.subarray(at, at + bytes.length).swap16();
      at += bytes.length;
    };
    put(c.lengths);
    put(c.offsets.subarray(0, terms.length + 1));
    put(c.docs!);
    put(c.tfs!);
    return { meta: { version: 2, k1: this.k1, b: this.b, ids: [...c.ids], terms, postings: p }, data };
  }

  static fromBinary(meta: Bm25BinaryMeta, data: Buffer): Bm25Index {
    const { n, t, p, size } = binaryLayout(meta);
    if (data.length !== size) throw new Error(`BM25 index: data is ${data.length} bytes, expected ${size}`);
    // views when the buffer is 8-byte aligned and little-endian (readFile gives a large file its own buffer), else a copy
    let buf = data;
    if (buf.byteOffset % 8 !== 0 || !LITTLE_ENDIAN) {
      buf = Buffer.from(new ArrayBuffer(size));
      data.copy(buf);
    }
    let at = buf.byteOffset;
    const take = <T>(
      make: (ab: ArrayBufferLike, offset: number, length: number) => T,
      count: number,
      width: number,
      swap?: (b: Buffer) => void,
    ): T => {
      if (!LITTLE_ENDIAN && swap) swap(Buffer.from(buf.buffer, at, count * width));
      const out = make(buf.buffer, at, count);
      at += count * width;
      return out;
    };
    const lengths = take(
      (ab, o, l) => new Float64Array(ab, o, l),
      n,
      8,
      (b) => b.swap64(),
    );
    const offsets = take(
      (ab, o, l) => new Int32Array(ab, o, l),
      t + 1,
      4,
      (b) => b.swap32(),
    );
    const docs = take(
      (ab, o, l) => new Int32Array(ab, o, l),
      p,
      4,
      (b) => b.swap32(),
    );
    const tfs = take(
      (ab, o, l) => new Uint16Array(ab, o, l),
      p,
      2,
      (b) => b.swap16(),
    );
    return Bm25Index.fromParts(meta, lengths, offsets, { docs, tfs });
  }

  /**
   * Opens bm25.bin without reading its postings: the lengths and term offsets are read now (one
   * positioned read, ~1 MB per 50k chunks), each term's postings when a query first needs them.
   * A cold search reads the postings of its few dozen terms instead of the whole file (~50 MB per
   * 50k chunks; at 1M chunks the whole files were ~1 GB and took most of the 11 s an open took).
   */
  static openBinaryFile(meta: Bm25BinaryMeta, path: string): Bm25Index {
    const { n, t, p, size } = binaryLayout(meta);
    const fd = openSync(path, "r");
    let actual: number;
    try {
      actual = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    if (actual !== size) throw new Error(`BM25 index: data is ${actual} bytes, expected ${size}`);
    if (!LITTLE_ENDIAN) {
      const all = Buffer.alloc(size);
      readAt(path, all, 0);
      return Bm25Index.fromBinary(meta, all);
    }
    const head = new ArrayBuffer(n * 8 + (t + 1) * 4);
    readAt(path, new Uint8Array(head), 0);
    const lengths = new Float64Array(head, 0, n);
    const offsets = new Int32Array(head, n * 8, t + 1);
    const docsAt = n * 8 + (t + 1) * 4;
    return Bm25Index.fromParts(meta, lengths, offsets, {
      docs: null,
      tfs: null,
      file: { path, docsAt, tfsAt: docsAt + p * 4, read: new Map() },
    });
  }

  /** The postings of term number t (read from the file on first use when the index was opened from one). */
  private slice(c: Compiled, t: number): { docs: Int32Array; tfs: Uint16Array } {
    const from = c.offsets[t]!;
    const to = c.offsets[t + 1]!;
    if (c.docs && c.tfs) return { docs: c.docs.subarray(from, to), tfs: c.tfs.subarray(from, to) };
    const f = c.file!;
    let got = f.read.get(t);
    if (!got) {
      const docs = new Int32Array(to - from);
      const tfs = new Uint16Array(to - from);
      readAt(f.path, new Uint8Array(docs.buffer), f.docsAt + from * 4);
      readAt(f.path, new Uint8Array(tfs.buffer), f.tfsAt + from * 2);
      for (let i = 0; i < docs.length; i++)
        if (!(docs[i]! >= 0 && docs[i]! < c.ids.length))
          throw new Error(
            `${f.path}: posting refers to a missing document (damaged); run \`npm run ingest -- --rebuild\``,
          );
      f.read.set(t, (got = { docs, tfs }));
    }
    return got;
  }

  /** The compiled form with every posting in memory (merge, serialise, edit). */
  private loaded(): Compiled {
    const c = this.compile();
    if (!c.docs || !c.tfs) {
      const f = c.file!;
      const p = c.offsets[c.offsets.length - 1]!;
      const docs = new Int32Array(p);
      const tfs = new Uint16Array(p);
      readAt(f.path, new Uint8Array(docs.buffer), f.docsAt);
      readAt(f.path, new Uint8Array(tfs.buffer), f.tfsAt);
      c.docs = docs;
      c.tfs = tfs;
      f.read.clear();
    }
    return c;
  }

  /** The editable form, thawed from the compiled one when the index was loaded. */
  private edit(): Editable {
    if (!this.mutable) {
      const c = this.loaded();
      const m = emptyEditable();
      c.ids.forEach((id, i) => {
        m.slotOf.set(id, i);
        m.slotIds.push(id);
        m.slotLengths.push(c.lengths[i]!);
        m.alive.push(true);
      });
      m.live = c.ids.length;
      m.totalLength = c.totalLength;
      for (const [term, t] of c.terms) {
        const flat: number[] = [];
        for (let i = c.offsets[t]!; i < c.offsets[t + 1]!; i++) flat.push(c.docs![i]!, c.tfs![i]!);
        m.postings.set(term, flat);
      }
      this.mutable = m;
    }
    this.compiled = null;
    this.idIndex = null;
    this.scratch = null;
    return this.mutable;
  }

  private compile(): Compiled {
    if (this.compiled) return this.compiled;
    const m = this.mutable!;
    // live slots -> 0..n-1 in slot order (the order documents were added)
    const index = new Int32Array(m.slotIds.length).fill(-1);
    const ids: string[] = [];
    const lengths: number[] = [];
    m.slotIds.forEach((id, slot) => {
      if (!m.alive[slot]) return;
      index[slot] = ids.length;
      ids.push(id);
      lengths.push(m.slotLengths[slot]!);
    });
    let total = 0;
    for (const p of m.postings.values()) total += p.length >> 1;
    const terms = new Map<string, number>();
    const offsets: number[] = [];
    const docs = new Int32Array(total);
    const tfs = new Uint16Array(total);
    let at = 0;
    for (const [term, p] of m.postings) {
      const start = at;
      for (let i = 0; i < p.length; i += 2) {
        const d = index[p[i]!]!;
        if (d < 0) continue;
        docs[at] = d;
        tfs[at++] = Math.min(p[i + 1]!, 0xffff);
      }
      if (at === start) continue; // every document holding the term was removed
      terms.set(term, offsets.length);
      offsets.push(start);
    }
    offsets.push(at);
    this.setCompiled({
      ids,
      lengths: Float64Array.from(lengths),
      totalLength: m.totalLength,
      terms,
      offsets: Int32Array.from(offsets),
      docs: docs.subarray(0, at),
      tfs: tfs.subarray(0, at),
    });
    return this.compiled!;
  }

  /** The read-only index of a binary form: its header, document lengths and term offsets, and its postings. */
  private static fromParts(
    meta: Bm25BinaryMeta,
    lengths: Float64Array,
    offsets: Int32Array,
    postings: Pick<Compiled, "docs" | "tfs" | "file">,
  ): Bm25Index {
    if (offsets[meta.terms.length] !== meta.postings) throw new Error("BM25 index: corrupt offsets");
    let totalLength = 0;
    for (let i = 0; i < lengths.length; i++) totalLength += lengths[i]!;
    const idx = new Bm25Index({ k1: meta.k1, b: meta.b });
    idx.mutable = null;
    idx.setCompiled({
      ids: meta.ids,
      lengths,
      totalLength,
      terms: new Map(meta.terms.map((term, i) => [term, i])),
      offsets,
      ...postings,
    });
    return idx;
  }

  private setCompiled(c: Compiled): void {
    this.compiled = c;
    const n = c.ids.length;
    this.scratch = {
      scores: new Float64Array(n),
      touched: new Int32Array(n),
      norms: new Float64Array(n),
      avgdl: Number.NaN,
    };
  }
}

const EMPTY_POSTINGS = new Int32Array(0);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * The best `k` (doc index, score) pairs, best first: higher score, then smaller id (the order the
 * index always returned). A binary min-heap holds the current k best with the worst at its root.
 */
class TopK {
  private readonly d: number[] = [];
  private readonly s: number[] = [];
  constructor(
    private readonly k: number,
    private readonly ids: readonly string[],
  ) {}

  /** true when (da, sa) ranks below (db, sb). */
  private worse(da: number, sa: number, db: number, sb: number): boolean {
    return sa < sb || (sa === sb && this.ids[da]! > this.ids[db]!);
  }

  push(doc: number, score: number): void {
    const { d, s } = this;
    if (this.k <= 0) return;
    if (d.length < this.k) {
      d.push(doc);
      s.push(score);
      let i = d.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(d[i]!, s[i]!, d[p]!, s[p]!)) break;
        [d[i], d[p]] = [d[p]!, d[i]!];
        [s[i], s[p]] = [s[p]!, s[i]!];
        i = p;
      }
      return;
    }
    if (!this.worse(d[0]!, s[0]!, doc, score)) return;
    d[0] = doc;
    s[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < d.length && this.worse(d[l]!, s[l]!, d[m]!, s[m]!)) m = l;
      if (r < d.length && this.worse(d[r]!, s[r]!, d[m]!, s[m]!)) m = r;
      if (m === i) break;
      [d[i], d[m]] = [d[m]!, d[i]!];
      [s[i], s[m]] = [s[m]!, s[i]!];
      i = m;
    }
  }

  sorted(): [number, number][] {
    const out = this.d.map((doc, i) => [doc, this.s[i]!] as [number, number]);
    return out.sort(
      (a, b) => b[1] - a[1] || (this.ids[a[0]]! < this.ids[b[0]]! ? -1 : this.ids[a[0]]! > this.ids[b[0]]! ? 1 : 0),
    );
  }
}

function countTerms(terms: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** The counts a binary header gives and the data size they imply; throws on an unsupported or corrupt header. */
function binaryLayout(meta: Bm25BinaryMeta): { n: number; t: number; p: number; size: number } {
  if (meta?.version !== 2 || !Array.isArray(meta.ids) || !Array.isArray(meta.terms))
    throw new Error("BM25 index: unsupported or corrupt header");
  const n = meta.ids.length;
  const t = meta.terms.length;
  const p = meta.postings;
  return { n, t, p, size: n * 8 + (t + 1) * 4 + p * 6 };
}
