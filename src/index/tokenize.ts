/**
 * Chinese tokenizer for the keyword index and the hashing embedder.
 *
 * jieba (search mode: whole words plus their dictionary sub-words) with a postal user dictionary,
 * lower-cased, punctuation and a few function words dropped, PLUS character bigrams of every CJK
 * run, so that a word jieba segments differently in query and document still matches.
 * Callers pass text already normalised with ingest/normalize.ts (simplified characters, no
 * pinyin); this module only folds width/case (NFKC + lowercase), which is idempotent.
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { postalDictText } from "./postal-dict.js";

let jieba: Jieba | undefined;
/** The segmenter, loaded once per process (the dictionary takes ~100 ms to load). */
export function getJieba(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(postalDictText()));
  }
  return jieba;
}

export const STOPWORDS: ReadonlySet<string> = new Set([
  "的",
  "了",
  "和",
  "与",
  "及",
  "或",
  "等",
  "在",
  "是",
  "对",
  "为",
  "由",
  "将",
  "把",
  "被",
  "从",
  "向",
  "于",
  "以",
  "之",
  "其",
  "并",
  "也",
  "都",
  "而",
  "又",
  "就",
  "这",
  "那",
  "有",
  "个",
  "中",
  "上",
  "下",
  "吗",
  "呢",
  "吧",
  "啊",
  "么",
  "什么",
  "哪些",
  "怎么",
  "怎样",
  "如何",
  "是否",
  "多少",
  "几",
  "哪",
  "应当",
  "可以",
  "规定",
  "有关",
  "相关",
  "进行",
  "the",
  "of",
  "and",
  "a",
  "to",
  "in",
]);

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
/** A token worth keeping: letters or digits of any script. */
const WORDISH = /[\p{L}\p{N}]/u;

/** Width/case fold: full-width ASCII to half-width, lowercase. Idempotent. */
export function fold(text: string): string {
  // the embedder folds the same text for words and each n-gram size in a row: remember the last one
  if (text !== lastFoldIn) {
    lastFoldIn = text;
    lastFoldOut = text.normalize("NFKC").toLowerCase();
  }
  return lastFoldOut;
}
let lastFoldIn = "";
let lastFoldOut = "";

/**
 * jieba words (search mode) without punctuation, whitespace or stopwords. The array is shared
 * with later calls for the same text: callers must not modify it.
 *
 * Ingest segments each chunk text twice, for the embedder's word features and for the keyword
 * index terms (jieba was ~0.2 ms of ~0.7 ms CPU per chunk, `npm run bench`): the last
 * WORDS_MEMO texts' words are remembered, so the second pass costs a map lookup.
 */
export function words(text: string): readonly string[] {
  const hit = wordsMemo.get(text);
  if (hit) return hit;
  const out: string[] = [];
  for (const w of getJieba().cutForSearch(fold(text), true)) {
    const t = w.trim();
    if (!t || !WORDISH.test(t) || STOPWORDS.has(t)) continue;
    out.push(t);
  }
  if (wordsMemo.size >= WORDS_MEMO) wordsMemo.delete(wordsMemo.keys().next().value!);
  wordsMemo.set(text, out);
  return out;
}
/** At least one embedding batch of ingest (64 texts), so its index terms find their words here. */
export const WORDS_MEMO = 256;
const wordsMemo = new Map<string, readonly string[]>();

/** Overlapping character n-grams of every CJK run (runs shorter than n give nothing). */
export function cjkNgrams(text: string, n: number): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(CJK_RUN)) {
    // every character of CJK_RUN is in the BMP, i.e. one UTF-16 unit: slice the run directly
    const run = m[0];
    for (let i = 0; i + n <= run.length; i++) out.push(run.slice(i, i + n));
  }
  return out;
}

/** Prefix that keeps bigram terms apart from word terms in the keyword index. */
export const BIGRAM_PREFIX = "~";

export interface Tokens {
  words: readonly string[];
  bigrams: string[];
}

export function tokenize(text: string): Tokens {
  return { words: words(text), bigrams: cjkNgrams(text, 2) };
}

/** Index terms: words plus prefixed bigrams (what the BM25 index stores). */
export function indexTerms(text: string): string[] {
  const { words: w, bigrams } = tokenize(text);
  return [...w, ...bigrams.map((b) => BIGRAM_PREFIX + b)];
}

/** True when the string contains a CJK character. */
export const hasCjk = (s: string): boolean => CJK.test(s);
