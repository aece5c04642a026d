/**
 * Query terms and term coverage, the lexical evidence behind the extractive answer and abstention.
 *
 * Terms are the index tokenizer's jieba words (src/index/tokenize.ts, same dictionary and
 * stopwords) minus question words ("多久", "怎么样", …), each weighted by its inverse document
 * frequency over the indexed chunks (CorpusStats) or, without them, jieba's bundled general-Chinese
 * IDF table, so that "停业" counts more than "企业".
 * Coverage of a text is the weighted share of query terms it contains; a term that is not contained
 * whole gets partial credit for the share of its character bigrams that are (so the query's
 * "快递企业" partly matches "经营快递业务的企业").
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { normalizeText } from "../../ingest/normalize.js";
import { STOPWORDS, cjkNgrams, fold, getJieba } from "../../index/tokenize.js";
import { alternativesOf } from "../../retrieval/query-expansion.js";

/** Words that shape a question but carry no content ("what", "how long", "please"). */
const QUESTION_WORDS: ReadonlySet<string> = new Set([
  "什么",
  "哪些",
  "哪个",
  "哪里",
  "哪儿",
  "怎么",
  "怎么样",
  "怎样",
  "如何",
  "是否",
  "多少",
  "多久",
  "多长",
  "多长时间",
  "几天",
  "几日",
  "几个",
  "为什么",
  "请问",
  "请",
  "一下",
  "吗",
  "呢",
  "吧",
  "啊",
  "呀",
  "要",
  "需要",
  "应该",
  "会",
  "能",
  "能否",
  "可否",
  "可不可以",
  "有没有",
  "是不是",
  "了",
  "过",
  "着",
  "我",
  "我们",
  "你",
  "你们",
  "他们",
  "它",
  "这个",
  "那个",
  "这些",
  "那些",
  "时候",
  "有",
  "没有",
  "哪",
  "谁",
  "规定",
  "要求",
  "情况",
  "还有",
  "别的",
  "其他",
  "其它",
  "另外",
  "此外",
  "那么",
  "那",
  // quantity / time fillers around the asked-for value ("多少天之内", "最长多少天", "至少几次")
  "以后",
  "之后",
  "之内",
  "以内",
  "最长",
  "最多",
  "最少",
  "至少",
  "一般",
  "还",
  "单独",
  "被",
  "得到",
  "怎么办",
  "几年",
  "几次",
  "几天内",
  "多少钱",
  "多少天",
  "多少元",
  "多少次",
  "哪天",
  "哪一天",
  "起码",
  "想",
  "做",
  "干",
  "干什么",
  "咋办",
  "咋",
  "内容",
  "问题",
  "方面",
  "多",
  "提到",
  "说",
  "讲",
  // words about the asking, not the subject ("我们辖区…", "条例原文怎么写的", "下周去检查")
  "辖区",
  "条款",
  "法条",
  "原文",
  "条文",
  "同事",
  "领导",
  "下周",
  "下个月",
  "准备",
  "确认",
  "具体",
  "这块",
  "那块",
  "这边",
  "那边",
  "一般",
  "大概",
  "记得",
  "帮忙",
  "找下",
  "一下子",
  "硬性",
  "到底",
  "概念",
]);

const ASKED_QUANTITY =
  /(?:(?:多少|几)(?:个)?|多久|多长(?:时间|期限)?)((?:工作日|小时|天|日|年|月|周|次)?)(?:之内|以内|内)?/g; /** "A不A" questions (要不要, 能不能, 算不算, 赔不赔): the verb stays, its doubled form goes ("不要" is no content). */
const A_NOT_A = /([\u4e00-\u9fff])[不没]\1/g;

/**
 * Parts of speech (jieba's ICTCLAS tags) that carry no content in a question: pronouns (r), modal
 * particles (y), auxiliaries (u*), prepositions (p), conjunctions (c), adverbs (d), idioms (l, e.g.
 * "干什么"), localisers (f: 前/后/以后/之内), measure words (q), numerals (m, unless digits),
 * interjections/onomatopoeia (e, o), punctuation and unknown symbols (x), bound morphemes (zg).
 * The postal dictionary's own words have no tag and are kept.
 */
const DROP_TAGS = /^(r|y|u\w*|p|c|d|f|q|m|e|o|x|zg)$/;
const CJK_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const WORDISH = /[\p{L}\p{N}]/u;

let idfTable: Map<string, number> | undefined;
let idfDefault = 10;

/** jieba's IDF table (~270k words) for general Chinese, loaded once. Unknown words get the median IDF. */
export function generalIdf(term: string): number {
  return idf(term);
}

function idf(term: string): number {
  if (!idfTable) {
    idfTable = new Map();
    try {
      const require = createRequire(import.meta.url);
      const file = require.resolve("@node-rs/jieba/idf.txt");
      const values: number[] = [];
      for (const line of readFileSync(file, "utf8").split("\n")) {
        const sp = line.lastIndexOf(" ");
        if (sp <= 0) continue;
        const v = Number(line.slice(sp + 1));
        if (Number.isFinite(v)) {
          idfTable.set(line.slice(0, sp), v);
          values.push(v);
        }
      }
      values.sort((a, b) => a - b);
      idfDefault = values[Math.floor(values.length / 2)] ?? 10;
    } catch {
      // No table: every term weighs the same (length-based fallback below).
    }
  }
  const v = idfTable.get(term);
  if (v !== undefined) return v;
  return idfTable.size ? idfDefault : 5 + Math.min(term.length, 4);
}

export interface QueryTerm {
  term: string;
  weight: number;
  /** Character bigrams of the term (CJK only), for partial credit. */
  bigrams: string[];
  /** Wordings of the same thing in the documents (retrieval/thesaurus.tsv); any of them counts as the term. */
  alternatives: readonly string[];
  /** jieba's part-of-speech tag ("" for the postal dictionary's own words). */
  tag?: string;
}

/**
 * Corpus-specific term weights: a term every regulation uses ("快递企业") says little about which
 * passage answers, and a term the corpus never uses ("天气", "电话") is exactly what an unanswerable
 * question hinges on, so it weighs most. `idf` is ln(1 + N / (df + 1)) where df counts the chunks
 * whose (folded) text contains the term or any of its alternative wordings. Implementations:
 * CorpusStats (scans the texts; tests, small corpora) and IndexedTermStats (indexed-term-stats.ts:
 * the same figures from the keyword index's postings, what the asker uses).
 */
export interface TermStats {
  /** Number of chunks (0: no statistics, jieba's general IDF is used instead). */
  readonly size: number;
  idf(term: string, alternatives?: readonly string[]): number;
}

/** The smoothed IDF both TermStats implementations use. */
export const corpusIdf = (chunks: number, df: number): number => Math.log(1 + chunks / (df + 1));

/** TermStats by scanning every chunk's text once per new term (linear in the corpus). */
export class CorpusStats implements TermStats {
  private readonly texts: string[];
  private readonly memo = new Map<string, number>();
  constructor(texts: readonly string[]) {
    this.texts = texts.map((t) => fold(t));
  }
  get size(): number {
    return this.texts.length;
  }
  /** Smoothed inverse document frequency of a term (or any of its alternative wordings). */
  idf(term: string, alternatives: readonly string[] = []): number {
    const key = [term, ...alternatives].join("|");
    let v = this.memo.get(key);
    if (v === undefined) {
      const forms = [term, ...alternatives];
      const df = this.texts.reduce((n, t) => n + (forms.some((f) => t.includes(f)) ? 1 : 0), 0);
      v = corpusIdf(this.texts.length, df);
      this.memo.set(key, v);
    }
    return v;
  }
}

/**
 * Content terms of a question (deduplicated, in order). Numbers and latin words are kept. Weights
 * are the corpus IDF when `stats` is given (the asker passes the keyword index's figures), else jieba's
 * general-Chinese IDF.
 */
export function queryTerms(question: string, stats?: TermStats): QueryTerm[] {
  const seen = new Set<string>();
  const out: QueryTerm[] = [];
  // Normalised like the documents (traditional → simplified, pinyin glosses dropped), and the
  // interrogative of an asked-for quantity ("多少天之内" → "天之内", "几个小时" → "小时") blanked
  // out so jieba cannot glue its characters to content words; the unit stays a (light) term. No HMM: words outside the dictionary
  // fall apart into single characters (weighed lightly) instead of invented words ("要存", "前要").
  const q = fold(normalizeText(question))
    .replace(ASKED_QUANTITY, (_m, unit: string) => ` ${unit} `)
    .replace(A_NOT_A, (_m, verb: string) => ` ${verb} `);
  for (const { word, tag } of getJieba().tag(q, false)) {
    const t = word.trim();
    if (!t || !WORDISH.test(t) || STOPWORDS.has(t) || QUESTION_WORDS.has(t) || seen.has(t)) continue;
    const digits = /\d/.test(t);
    // Kept despite their tag: frequencies ("每天/r", "每周/r") and units ("小时", "公斤/q").
    const keep = digits || (tag === "r" && t.startsWith("每")) || (tag === "q" && Array.from(t).length > 1);
    if (!keep && DROP_TAGS.test(tag)) continue;
    seen.add(t);
    // A lone CJK character carries little meaning on its own; a verb less than a noun.
    const single = Array.from(t).length === 1 && CJK_RE.test(t);
    const alternatives = alternativesOf(t, q);
    const w = stats?.size ? stats.idf(t, alternatives) : idf(t);
    const factor = single ? 0.3 : tag.startsWith("v") && tag !== "vn" ? 0.7 : 1;
    out.push({ term: t, weight: w * factor, bigrams: cjkNgrams(t, 2), alternatives, tag });
  }
  return out;
}

/** Per-term match in [0, 1]: 1 when contained whole, else half the share of its bigrams contained. */
export function termMatch(term: QueryTerm, haystack: string): number {
  if (haystack.includes(term.term) || term.alternatives.some((a) => haystack.includes(a))) return 1;
  if (term.bigrams.length < 2) return 0;
  const hit = term.bigrams.filter((b) => haystack.includes(b)).length;
  return (0.5 * hit) / term.bigrams.length;
}

/**
 * Weighted share of the query terms found in `text` (0 when the query has no content terms). A term
 * found only in `context` (e.g. the document title) counts `contextFactor` of a match.
 */
export function coverage(
  terms: readonly QueryTerm[],
  text: string,
  context?: { text: string; factor: number },
): number {
  const hay = fold(text);
  const ctx = context ? fold(context.text) : "";
  let total = 0;
  let got = 0;
  for (const t of terms) {
    total += t.weight;
    const m = termMatch(t, hay);
    got += t.weight * (context && m < 1 ? Math.max(m, context.factor * termMatch(t, ctx)) : m);
  }
  return total > 0 ? got / total : 0;
}
