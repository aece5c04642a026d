/**
 * Query terms and term coverage, the lexical evidence behind the extractive answer and abstention.
 *
 * Terms are the index tokenizer's jieba words (src/index/tokenize.ts, same dictionary and
 * stopwords) minus question words ("多久", "怎么样", …), each weighted by its inverse document
 * frequency from jieba's bundled general-Chinese IDF table, so that "停业" counts more than "企业".
 * Coverage of a text is the weighted share of query terms it contains; a term that is not contained
 * whole gets partial credit for the share of its character bigrams that are (so the query's
 * "快递企业" partly matches "经营快递业务的企业").
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { STOPWORDS, cjkNgrams, fold, getJieba } from "../../index/tokenize.js";

/** Words that shape a question but carry no content ("what", "how long", "please"). */
const QUESTION_WORDS: ReadonlySet<string> = new Set([
  "什么", "哪些", "哪个", "哪里", "哪儿", "怎么", "怎么样", "怎样", "如何", "是否", "多少", "多久", "多长",
  "多长时间", "几天", "几日", "几个", "为什么", "请问", "请", "一下", "吗", "呢", "吧", "啊", "呀",
  "要", "需要", "应该", "会", "能", "能否", "可否", "可不可以", "有没有", "是不是", "了", "过", "着",
  "我", "我们", "你", "你们", "他们", "它", "这个", "那个", "这些", "那些", "时候", "有", "没有", "哪", "谁",
  "规定", "要求", "情况", "还有", "别的", "其他", "其它", "另外", "此外", "那么", "那", "内容", "问题", "方面", "多", "提到", "说", "讲",
]);

const CJK_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const WORDISH = /[\p{L}\p{N}]/u;

let idfTable: Map<string, number> | undefined;
let idfDefault = 10;

/** jieba's IDF table (~270k words), loaded once. Unknown words get the median IDF. */
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
}

/** Content terms of a question (deduplicated, in order). Numbers and latin words are kept. */
export function queryTerms(question: string): QueryTerm[] {
  const seen = new Set<string>();
  const out: QueryTerm[] = [];
  for (const raw of getJieba().cut(fold(question), true)) {
    const t = raw.trim();
    if (!t || !WORDISH.test(t) || STOPWORDS.has(t) || QUESTION_WORDS.has(t) || seen.has(t)) continue;
    // A lone CJK character carries little meaning on its own (except in names); keep it lightly.
    seen.add(t);
    const single = Array.from(t).length === 1 && CJK_RE.test(t);
    out.push({ term: t, weight: single ? idf(t) * 0.3 : idf(t), bigrams: cjkNgrams(t, 2) });
  }
  return out;
}

/** Per-term match in [0, 1]: 1 when contained whole, else half the share of its bigrams contained. */
export function termMatch(term: QueryTerm, haystack: string): number {
  if (haystack.includes(term.term)) return 1;
  if (term.bigrams.length < 2) return 0;
  const hit = term.bigrams.filter((b) => haystack.includes(b)).length;
  return (0.5 * hit) / term.bigrams.length;
}

/** Weighted share of the query terms found in `text` (0 when the query has no content terms). */
export function coverage(terms: readonly QueryTerm[], text: string): number {
  const hay = fold(text);
  let total = 0;
  let got = 0;
  for (const t of terms) {
    total += t.weight;
    got += t.weight * termMatch(t, hay);
  }
  return total > 0 ? got / total : 0;
}
