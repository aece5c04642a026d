/**
 * What a question is about, and whether the evidence found holds it: the basis of abstention.
 *
 * Word overlap alone cannot tell "2017年的总结会上…" from the 2015 bulletin that shares all its
 * other words, or "许可证有效期几年" from the article about licences that gives no period. So
 * before the (calibrated) support threshold, the answer is refused when the evidence lacks what
 * the question hinges on:
 * - content: a question with no content term at all ("7", "？？") has nothing to answer;
 * - edition / year: "第五届…", "2019年…", "14年…" and the evidence is a bulletin of another
 *   edition or year (neither its date nor its text gives it);
 * - company: the question names an operator (顺丰, 中通 …) the evidence never mentions;
 * - quantity: the question asks for an amount of a kind (money, a period, a count, a speed, a
 *   size or weight, a rate), or a number of a unit (几张, 几米, 多少平方米), and no candidate
 *   sentence states one of that kind (a date is no period: "9月29日召开" says nothing of how long).
 * Past the gaps, abstain.ts decides on lexical support, more strictly for a question with no domain
 * anchor (domainAnchors).
 * The place a question names is handled by retrieval (src/retrieval/scope.ts drops other
 * provinces' rules) and by the asker (a province with no regulation here is said so).
 */
import type { SearchHit } from "../../retrieval/types.js";
import type { ScoredSentence } from "./extractive-answer.js";
import { fold, getJieba } from "../../index/tokenize.js";
import { alternativesOf } from "../../retrieval/query-expansion.js";
import { provincesNamed } from "../../retrieval/scope.js";
import { generalIdf, termMatch, type QueryTerm, type TermStats } from "./query-terms.js";

/** jieba IDF above which a noun is specific in general Chinese (态度 5.9, 等级 7.3; 头盔 8.4, 工装 11.3). */
export const SPECIFIC_IDF = 8;

export type EvidenceGap = "no-content" | "place" | "edition" | "year" | "company" | "quantity";

/** Express and postal operators staff name in questions (a named operator must be in the evidence). */
export const OPERATORS: readonly string[] = [
  "顺丰",
  "中通",
  "申通",
  "圆通",
  "韵达",
  "百世",
  "极兔",
  "德邦",
  "京东物流",
  "京东快递",
  "EMS",
  "邮政速递",
  "宅急送",
  "天天快递",
  "优速",
  "跨越速运",
];

const CN_DIGIT = "〇零一二三四五六七八九十百";
const EDITION = new RegExp(`第([${CN_DIGIT}\\d]+)届`, "g");
/** A 4-digit year, or a 2-digit one ("14年亚欧博览会") when not a duration ("10年内", "5年以上"). */
const YEAR4 = /(?<!\d)((?:19|20)\d{2})\s*年/g;
const YEAR2 = /(?<![\d.])([0-2]\d)年(?![内以后前左多来间度底初中末])/g;

interface QuantityKind {
  name: string;
  asks: { test(question: string): boolean };
  states: { test(sentence: string): boolean };
}

const AMOUNT_OF_MONEY = /(?:\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千万两]+)\s*(?:万)?元|倍|年收入|百分之/;
/** A penalty asked for is stated by a sentence that imposes one with an amount. */
const STATES_FINE = { test: (s: string) => /罚款|罚金|处以|并处|罚/.test(s) && AMOUNT_OF_MONEY.test(s) };

const NUM = `(?:\\d+(?:\\.\\d+)?|[${CN_DIGIT}千万两半]+)`;
/** Kinds of asked-for quantity, most specific first; the first kind asked is checked. */
export const QUANTITY_KINDS: readonly QuantityKind[] = [
  {
    name: "rate",
    asks: /费率|利率|税率|几个点|多少个点|[\u4e00-\u9fff]率(?:是|为|有)?多少|比例|百分之几|百分比|几成|几折/,
    states: new RegExp(`%|％|百分之|倍|${NUM}成`),
  },
  { name: "speed", asks: /时速|多快|速度多少|最高速度/, states: new RegExp(`${NUM}\\s*(?:公里|千米|km)`) },
  {
    name: "size",
    asks: /多宽|多高|多长(?!时间|期限|期|日子)|多重|多沉|限重|多少斤|多少公斤|多少千克|尺寸|体积/,
    states: new RegExp(`${NUM}\\s*(?:米|厘米|毫米|千克|公斤|克|吨|立方)`),
  },
  {
    name: "fine",
    asks: /罚多少|罚了多少|罚过多少|罚款多少|罚款上限|罚款下限|罚款大概|发款多少|罚几|罚款是多少/,
    states: STATES_FINE,
  },
  {
    name: "money",
    asks: /收不收费|收费吗|要不要钱|要钱吗|交不交钱|要不要交钱|多少钱|几块钱|多少(?:亿|万)?元|几元|多少万|收费标准|(?:费|价|价格|金额|基数|收入|工资|成本|资金|押金)(?:是|要|为|大概|一般|有)?(?:多少|几)|交多少|收多少|付多少|扣多少|抵扣多少|多少.{0,4}费|赔多少|注册资[金本]/,
    // a sum, or that there is none to pay ("免收车辆通行费", "不得收费")
    states: new RegExp(`${NUM}\\s*(?:万)?元|倍|年收入|免收|免缴|免费|免予|不得收费|不得收取|无偿`),
  },
  {
    name: "period",
    // "那几天" (those days) asks nothing
    asks: /(?<![那这头前后])几天|多少天|天数|(?<![那这头前后])几日|多少日|多久|多长时间|几个月|多少个月|几年|多少年|有效期|多少个工作日|几个工作日|几个小时|多少小时|几小时|几点|提前几|期限多长|时限多长/,
    states: new RegExp(`${NUM}\\s*(?:个)?(?:工作日|日|天|小时|个月|月|年|周|时|点)|即时|立即|及时|当日|当天|次日`),
  },
  {
    name: "date",
    asks: /哪天|哪一天|几号|几月几[日号]|哪年|哪一年|什么日子/,
    states: new RegExp(`${NUM}\\s*月\\s*${NUM}\\s*[日号]|${NUM}\\s*年`),
  },
  {
    name: "count",
    // "几个分拣中心", "多少名职工"; not "哪几家" (which ones) or "有几家" (some)
    asks: {
      test: (q: string) =>
        /多少次|多少件|多少万件|多少人|多少(?:个|台|名|位|辆|座|处|部|家|条)/.test(q) ||
        // "有几台安检机" counts; in a yes/no question 几 means "a few" ("能印上…几个字吗", "有几家企业被罚了吗")
        (!YES_NO.test(q) && /几次|几趟|几遍|几个人|(?<![哪])几(?:个|台|名|位|辆|座|处|部|家|条)/.test(q)),
    },
    states: new RegExp(`${NUM}\\s*(?:次|趟|遍|件|万件|人|名|个|台|位|辆|座|处|部|家|条)`),
  },
  // "办公电话是多少", "投诉号码是什么": a number to call or an address to write to
  {
    name: "contact",
    asks: /(?:电话|号码|手机|传真|邮箱|网址|热线)(?:号)?(?:是|为)?(?:多少|什么|啥|几)/,
    states: /\d{5,}|\d{3,4}-\d{4,}|@|www\.|https?:/,
  },
  // "业务量有多少", "一共收了多少": a figure, any unit
  {
    name: "figure",
    asks: /(?:量|数量|总数|总量|数)(?:是|有|预计有|大概|一共)?多少|一共.{0,6}多少|总共.{0,6}多少/,
    states: new RegExp(`${NUM}\\s*(?:万|亿)?\\s*(?:件|次|人|个|家|元|吨|票|%)`),
  },
];

/**
 * A multiple ("资费的三倍") is a sum only for what is paid back or fined; it is no price: "平信邮费是
 * 多少钱" is not answered by "按所收取资费的三倍赔偿".
 */
const MULTIPLE = new RegExp(`${NUM}\\s*倍`, "g");
const COMPENSATION = /赔|罚|补偿|退还|退回/;

/** A fee named in a question (超重费, 保管费, 手续费). */
const FEE = /[\u4e00-\u9fff]费(?!用)|收费|收钱/;

/** A yes/no question ("会不会…", "…吗"): a 几 in it means "several", not "how many". */
const YES_NO = /([\u4e00-\u9fff])[不没]\1|吗|么/;

/** Nouns naming an amount: 手续费, 利率, 业务量, 金额, 股价, 注册资金 … (the character they end in). */
const QUANTITY_NOUN_END = /[费价率量额税金资薪]$|(?<!期)期$/;
/** Too general to be what a sentence must name ("期限是多少天" is answered by "…之日起二十日内"). */
const GENERAL_NOUNS = new Set(["期限", "时限", "日期", "时期", "标准", "数量", "金额"]);
const BEFORE_ASKED =
  /^(.*?)(?:的)?(?:是|有|为|大概|一般|预计|要|能|得|最少|最多|至少|最低|最高|一共|总共|每[年月天日件次])*(?:百分之)?(?:多少|几)/;

/**
 * The noun an asked-for amount is of ("申请快递经营许可要交多少手续费" → 手续费, "有效申诉率是多少"
 * → 申诉率), or the thing a count counts ("一共安检了多少件快件" → 快件), when the question names
 * one; null otherwise.
 */
export function quantityNoun(question: string): string | null {
  const m = BEFORE_ASKED.exec(question.replace(/[，。？！、\s]/g, " "));
  const after = /(?:多少|几)([\u4e00-\u9fff]{1,4})/.exec(question)?.[1];
  const candidates: string[] = [];
  if (m?.[1]) {
    const ws = getJieba()
      .cut(m[1].trim().split(" ").pop() ?? "", false)
      .filter((w) => w.trim());
    const last = ws[ws.length - 1];
    if (last) candidates.push(Array.from(last).length === 1 && ws.length > 1 ? ws[ws.length - 2]! + last : last);
  }
  if (after) {
    const ws = getJieba()
      .cut(after, false)
      .filter((w) => w.trim());
    if (ws[0]) candidates.push(ws[0]);
    if (ws[0] && ws[1]) candidates.push(ws[0] + ws[1]);
  }
  const amountNoun = candidates.find(
    (c) => Array.from(c).length >= 2 && QUANTITY_NOUN_END.test(c) && !GENERAL_NOUNS.has(c) && !c.endsWith("期限"),
  );
  if (amountNoun) return amountNoun;
  // the thing counted right after a count's classifier ("多少件快件", "多少名职工"):
  // a sentence stating a count of something else does not answer. In a yes/no question
  // ("会不会几个部门一起…", "…几家企业吗") 几 means "several" and counts nothing.
  const counted = YES_NO.test(question)
    ? undefined
    : /(?:多少|几)(?:台|名|位|辆|座|处|部|家|条|件|次|个)(?![内前后以之左])([\u4e00-\u9fff]{1,8})/.exec(question)?.[1];
  if (counted) {
    // the noun phrase it starts with: nouns (the postal dictionary's words, untagged, are nouns), and
    // verbs modifying a noun after them (安检/vn 设备/n)
    const words = getJieba().tag(counted, false);
    const noun = (tag: string) => tag === "" || tag.startsWith("n");
    let end = -1;
    for (let i = 0; i < words.length && (noun(words[i]!.tag) || words[i]!.tag.startsWith("v")); i++)
      if (noun(words[i]!.tag)) end = i;
    const phrase = words
      .slice(0, end + 1)
      .map((w) => w.word)
      .join("");
    if (Array.from(phrase).length >= 2 && !GENERAL_NOUNS.has(phrase)) return phrase;
  }
  return null;
}

/** Units a period question asks in, and how a sentence states them ("几个小时" is not answered by "六天"). */
const PERIOD_UNITS: readonly (readonly [RegExp, RegExp])[] = [
  [/几个?小时|多少个?小时|几点/, new RegExp(`${NUM}\\s*(?:个)?(?:小时|时)|\\d{1,2}[:：]\\d{2}|即时|立即`)],
  [
    /几个?工作日|多少个?工作日|(?<![那这头前后])几天|多少天|几日|多少日|提前几/,
    new RegExp(`${NUM}\\s*(?:个)?(?:工作日|日|天)|即时|立即|及时|当日|当天|次日`),
  ],
  [/几个月|多少个月/, new RegExp(`${NUM}\\s*(?:个)?月`)],
  [/几年|多少年/, new RegExp(`${NUM}\\s*年`)],
];

/** A deadline asked ("几天内", "提前几天", "多久", "期限"): "立即/及时/当日" answer it; a length ("多少天年假") only a number does. */
const ASKS_DEADLINE =
  /(?:几|多少)\s*个?\s*(?:工作日|天|日|小时|月)\s*(?:之内|以内|内|前|后)|提前|多久|何时|什么时候|最迟|最晚|期限|时限|几点/;
const INSTANT = /\|即时|\|立即|\|及时|\|当日|\|当天|\|次日/g;

/** For a period question with a unit, the pattern a stating sentence must match (null: any period). */
export function periodUnit(question: string): RegExp | null {
  const unit = PERIOD_UNITS.find(([asks]) => asks.test(question))?.[1] ?? null;
  if (!unit || ASKS_DEADLINE.test(question)) return unit;
  return new RegExp(unit.source.replace(INSTANT, ""));
}

/** Ordinals ("第七十七条", "第四届", "第2款") number things; they state no count or period. */
const ORDINAL = new RegExp(`第${NUM}\\s*(?:条|款|项|章|节|届|次|批|号|期|部分)`, "g");

/** Calendar dates ("9月29日", "2015年9月") and anniversaries ("70周年"): when something happened, not how long it lasted. */
const CALENDAR_DATE = new RegExp(
  `(?:${NUM}\\s*年\\s*)?${NUM}\\s*月\\s*(?:${NUM}\\s*[日号])?|${NUM}\\s*年\\s*(?=${NUM}\\s*月)|${NUM}\\s*周年`,
  "g",
);

/** Whether a sentence states a quantity of the kind asked (its ordinals aside; for a period, its dates aside). */
export function statesQuantity(kind: QuantityKind, sentence: string): boolean {
  const text = sentence.replace(ORDINAL, " ");
  return kind.states.test(kind.name === "period" ? text.replace(CALENDAR_DATE, " ") : text);
}

/**
 * The unit a question asks a number of, when no kind above covers it: 几张, 几米, 多少平方米, 几级
 * (jieba tags the word after 几/多少 as a measure word, q). A sentence answering states a number of
 * that unit. Not in a yes/no question (几 means "a few" there).
 */
const TIME_UNIT = /^(?:天|日|周|月|年|小时|时|分钟|秒|工作日|星期|礼拜)$/;

export function askedUnit(question: string): string | null {
  if (YES_NO.test(question) || askedQuantity(question)) return null;
  // "哪几家" asks which ones; units of time are the period kind's ("开办后几天内" is answered by "20日内")
  for (const m of question.matchAll(/(?<!哪)(?:几|多少)(?!个)([\u4e00-\u9fff]{1,4})/g)) {
    const first = getJieba().tag(m[1]!, false)[0];
    if (first && first.tag === "q" && Array.from(first.word).length <= 3 && !TIME_UNIT.test(first.word))
      return first.word;
  }
  return null;
}

/** The kind of quantity the question asks for, or null. */
export function askedQuantity(question: string): QuantityKind | null {
  return QUANTITY_KINDS.find((k) => k.asks.test(question)) ?? null;
}

/** Years a question names (4-digit, or 20xx for "14年"). */
export function yearsNamed(question: string): string[] {
  const out = new Set<string>();
  for (const m of question.matchAll(YEAR4)) out.add(m[1]!);
  for (const m of question.matchAll(YEAR2)) out.add(`20${m[1]}`);
  return [...out];
}

export function editionsNamed(question: string): string[] {
  return [...question.matchAll(EDITION)].map((m) => `第${m[1]!}届`);
}

/** "70周年", "六十周年": which anniversary an event was (the evidence must be about that one). */
export function anniversariesNamed(question: string): string[] {
  return [...question.matchAll(new RegExp(`([${CN_DIGIT}\\d]+)周年`, "g"))].map((m) => `${m[1]!}周年`);
}

export function operatorsNamed(question: string): string[] {
  const q = question.toUpperCase();
  return OPERATORS.filter((o) => q.includes(o));
}

/** The text of a hit that can hold the fact asked: title, date, chapter, lead and text. */
const hitText = (h: SearchHit) =>
  [h.doc.title, h.doc.date ?? "", h.chunk.chapter ?? "", h.chunk.lead ?? "", h.chunk.text].join("\n");

export interface EvidenceInput {
  /** Normalised question. */
  question: string;
  terms: readonly QueryTerm[];
  /** The hits the answer may cite, best first. */
  hits: readonly SearchHit[];
  /** Scored sentences of those hits. */
  scored: readonly ScoredSentence[];
  /** The sentences the answer would quote. */
  picked?: readonly ScoredSentence[];
  /** How many of the top hits count as evidence (default 3). */
  depth?: number;
  /** Provinces the question names that have no regulation in the index. */
  unregulated?: readonly { name: string; short: string }[];
  /** How many of the top hits may hold a term of the question (default 10). */
  termDepth?: number;
  /**
   * The chunks holding a term (undefined: too many to matter), each saying whether its document
   * is a provincial rule out of the question's scope.
   */
  holders?: (term: string) => readonly { outOfScope: boolean }[] | undefined;
  /** A hit from a provincial rule out of the question's scope (any province's when it names none). */
  outOfScope?: (hit: SearchHit) => boolean;
}

/** The question asks for the named place's own rule ("按河南的规定", "湖南省邮政条例", "浙江条例"). */
function asksLocalRule(question: string, places: readonly { name: string; short: string }[]): boolean {
  const names = places.flatMap((p) => [p.name, p.short]).join("|");
  return new RegExp(
    `(?:${names})[省市]?(?:的|这边|那边|当地)?(?:地方)?(?:邮政|快递|快递业)?(?:通信|促进)?(?:条例|办法|规定|法规)`,
  ).test(question);
}

/**
 * jieba tags of a term that names a thing: nouns, the postal dictionary's words (""), and set
 * phrases (l, i), which is how jieba tags some compound nouns (无人机/l).
 */
const NAMES_A_THING = (tag: string | undefined) =>
  tag === undefined || tag === "" || tag.startsWith("n") || tag === "l" || tag === "i";

/** The first gap found between what the question is about and the evidence, or null. */
export function evidenceGap(input: EvidenceInput): EvidenceGap | `other-province:${string}` | null {
  const { question, terms } = input;
  if (!terms.some((t) => /[\p{L}]/u.test(t.term))) return "no-content";
  const top = input.hits.slice(0, input.depth ?? 3);
  const texts = top.map(hitText);
  const editions = [...editionsNamed(question), ...anniversariesNamed(question)];
  if (editions.length && !editions.every((e) => texts.some((t) => t.includes(e)))) return "edition";
  const years = yearsNamed(question);
  // a year matters for what happened (bulletins, notices); regulations are in force whatever the year
  const dated = top.filter((h) => h.doc.kind !== "regulation");
  if (
    years.length &&
    dated.length &&
    !years.every((y) => dated.some((h) => (h.doc.date ?? "").startsWith(y) || hitText(h).includes(`${y}年`)))
  )
    return "year";
  if (years.length && !dated.length && years.some((y) => !texts.some((t) => t.includes(y)))) {
    // a year named with only regulations found: fine unless the question is about an event of that year
    if (/会|活动|博览会|通报|总结|讲话|主持|召开/.test(question)) return "year";
  }
  const operators = operatorsNamed(question);
  if (operators.length && !operators.every((o) => texts.some((t) => t.toUpperCase().includes(o)))) return "company";
  if (input.unregulated?.length && asksLocalRule(question, input.unregulated)) return "place";
  // a term of the question the evidence lacks, found in the corpus only in rules of provinces out
  // of scope (other provinces', or any province's when the question names none): the rule asked
  // about is another province's, not this one's
  if (input.holders) {
    const evidence = input.hits
      .slice(0, input.termDepth ?? 10)
      .filter((h) => !input.outOfScope?.(h))
      .map((h) => fold(hitText(h)));
    for (const t of terms) {
      if (
        Array.from(t.term).length < 2 ||
        !/[\p{L}]/u.test(t.term) ||
        /\d/.test(t.term) ||
        provincesNamed(t.term).length
      )
        continue;
      // a thing (noun) specific in general Chinese too (工装, 头盔, 无人机; not 态度, 等级, 最低)
      if (!NAMES_A_THING(t.tag) || generalIdf(t.term) < SPECIFIC_IDF) continue;
      // the noun an asked amount is of ("法定期限是多少天") is checked with the quantity, not here
      if (new RegExp(`${t.term}(?:是|为|有|一般|大概)?(?:多少|几|多长|多久)`).test(question)) continue;
      if (evidence.some((e) => termMatch(t, e) === 1)) continue;
      const docs = input.holders(t.term);
      if (docs?.length && docs.every((d) => d.outOfScope)) return `other-province:${t.term}`;
    }
  }
  const kind = askedQuantity(question);
  if (kind) {
    // the passages the answer quotes must state it (another passage found stating some amount does not answer)
    const ids = new Set(input.picked?.length ? input.picked.map((p) => p.hit.chunk.id) : top.map((h) => h.chunk.id));
    // …of the thing asked about: "手续费是多少" is not answered by a sentence stating a fine
    const about = quantityNoun(question);
    const forms = about ? [about, ...alternativesOf(about, question)] : [];
    const unit = kind.name === "period" ? periodUnit(question) : null;
    const states = input.scored.some(
      (s) =>
        ids.has(s.hit.chunk.id) &&
        statesQuantity(kind, s.sentence.text) &&
        (kind.name !== "money" ||
          COMPENSATION.test(question) ||
          statesQuantity(kind, s.sentence.text.replace(MULTIPLE, " "))) &&
        (!unit || unit.test(s.sentence.text)) &&
        (!forms.length || forms.some((f) => s.sentence.text.includes(f))),
    );
    if (!states) return "quantity";
    // a fee the quantity is about ("超过多少公斤要加收超重费"): the stating passage must speak of a fee
    if (
      kind.name !== "money" &&
      kind.name !== "fine" &&
      FEE.test(question) &&
      !input.scored.some(
        (s) => ids.has(s.hit.chunk.id) && statesQuantity(kind, s.sentence.text) && /费|收取|收费/.test(s.sentence.text),
      )
    )
      return "quantity";
  }
  const unit = askedUnit(question);
  if (unit) {
    const ids = new Set(input.picked?.length ? input.picked.map((p) => p.hit.chunk.id) : top.map((h) => h.chunk.id));
    const states = new RegExp(`${NUM}\\s*${unit}`);
    if (!input.scored.some((s) => ids.has(s.hit.chunk.id) && states.test(s.sentence.text.replace(ORDINAL, " "))))
      return "quantity";
  }
  return null;
}

/** Chunks holding the term or one of its thesaurus wordings: the document frequency back from the smoothed IDF (query-terms.ts corpusIdf). */
function corpusDf(t: QueryTerm, stats: TermStats): number {
  return Math.round(stats.size / Math.expm1(stats.idf(t.term, t.alternatives)) - 1);
}

/** Share of the question's term weight in terms (or their thesaurus wordings) no chunk contains. */
export function unknownShare(terms: readonly QueryTerm[], stats: TermStats | undefined): number {
  if (!stats?.size || !terms.length) return 0;
  const total = terms.reduce((a, t) => a + t.weight, 0);
  if (!(total > 0)) return 0;
  const unknown = terms.filter((t) => corpusDf(t, stats) < 1);
  return unknown.reduce((a, t) => a + t.weight, 0) / total;
}

/** A domain anchor is rare in general Chinese (jieba IDF at least this: 快递 10.0, 邮筒, 信报箱; not 企业 4.2, 规定)… */
export const ANCHOR_GENERAL_IDF = 7;
/** …and common in the corpus (in at least this share of the chunks). */
export const ANCHOR_CORPUS_SHARE = 0.005;

/**
 * The question's terms that are characteristic of this corpus (rare in general Chinese, common
 * here: 快递, 邮政, 信报箱, 安全生产, 罚款): a question naming one is about what the documents are
 * about, however everyday the rest of its wording. A question with none ("下周上海会不会下雪",
 * "推荐一本Python书") is off the corpus's subject, and its lexical support must outweigh its unknown
 * words (abstain.ts). Measured on the three colloquial dev sets: 8–13 % of the answerable and
 * 12–17 % of the unanswerable questions have none; on answer-calibration, 1 of 42 and 9 of 24.
 */
export function domainAnchors(terms: readonly QueryTerm[], stats: TermStats | undefined): string[] {
  if (!stats?.size) return [];
  return terms
    .filter(
      (t) =>
        Array.from(t.term).length >= 2 &&
        generalIdf(t.term) >= ANCHOR_GENERAL_IDF &&
        corpusDf(t, stats) / stats.size >= ANCHOR_CORPUS_SHARE,
    )
    .map((t) => t.term);
}
