/**
 * Spoken / jotted register → written register for the notes' own words in a draft (requirements, remarks,
 * what was reported, other people's requirements): 咱们 → 我们, 报数 → 报送数据, 每天 → 每日, particles
 * (吧/呢/啊/嘛) and hedges (大概/差不多) dropped, 不能/不准 → 不得, …
 *
 * The lexicon is data (`prompts/draft-register.tsv`: class, colloquial form, written form), so staff can
 * extend it without code; this module adds what a word list cannot say, the sentence-shape rules:
 * - a terse requirement whose topic is a 的-phrase ("停业未备案的，下周约谈") → "对停业未备案的，下周开展约谈";
 * - a point that is only a bare noun phrase ("安全。", "快递小哥的权益，…") gets the action verb its head
 *   noun takes (lexicon class "head": 安全 → 抓好安全, 权益 → 保障…的权益).
 *
 * - speech reported, not pasted: 我们 the speaker says of the bureau (去年我们接到…) → the organiser's name
 *   (option `us`; 我局 in a summary), 我们 of an exhortation (我们要…) → dropped, 大家/你们 → 各单位 (lexicon,
 *   `US` in a written form stands for `us`);
 * - a topic cut off by a comma from what it says: a bare noun phrase before a clause that opens with a modal
 *   or a deadline is its subject ("派费，不得层层克扣" → "派费不得层层克扣", "材料，12月20日前报送" →
 *   "材料于12月20日前报送"); a point that opens with a bare topic word before any other clause says so
 *   ("社保，企业要缴纳" → "社保方面，企业要缴纳");
 * - a 把-clause ending in a bare transfer verb (把方案报送。) → the verb and its object (报送方案。);
 * - a character doubled by a rule ("报送" + "送") is said once.
 *
 * Never touched: names (the people the notes name), figures, dates and quoted titles (“…”, 《…》) are masked
 * before any rule runs and put back after, so the register pass changes wording only, never a fact.
 *
 * Hand-written: no library models the register of Chinese office writing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getJieba } from "../../index/tokenize.js";

export interface RegisterRule {
  cls: string;
  from: RegExp;
  to: string;
}

export interface Register {
  rules: RegisterRule[];
  /** Head noun → action verb for bare noun-phrase points. */
  heads: Map<string, string>;
}

/** A Chinese character or a masked span (private-use characters stand for names, figures, quotes). */
const HAN = "[\\p{Script=Han}\\uE000-\\uF8FF]";

/** Parse the lexicon (see the header of prompts/draft-register.tsv). A bad line names itself and the fix. */
export function parseRegister(source: string, file = "draft-register.tsv"): Register {
  const rules: RegisterRule[] = [];
  const heads = new Map<string, string>();
  source.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith("#")) return;
    const [cls, from, to = ""] = line.split("\t");
    if (!cls || !from)
      throw new Error(`${file}:${i + 1}: a rule is CLASS<TAB>COLLOQUIAL<TAB>WRITTEN; fix or remove the line.`);
    if (cls === "head") {
      heads.set(from, to);
      return;
    }
    try {
      rules.push({ cls, from: new RegExp(from.replaceAll("HAN", HAN), "gu"), to });
    } catch (err) {
      throw new Error(`${file}:${i + 1}: ${(err as Error).message}; fix the pattern.`);
    }
  });
  return { rules, heads };
}

/** Load `promptsDir/draft-register.tsv`; a missing file means no register pass (the notes' words kept). */
export function loadRegister(promptsDir: string): Register | undefined {
  const file = join(promptsDir, "draft-register.tsv");
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return parseRegister(source, file);
}

/** Spans no rule may touch: quoted titles, figures and dates (digits with their units and date words). */
const PROTECTED =
  /[“「《『][^”」》』]*[”」》』]|\d[\d.．,:：\-/]*(?:万|亿)?(?:[%‰]|个百分点)?(?:年|月|日|号|时|点|分)?(?:\d[\d.]*(?:日|号))?/gu;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function mask(s: string, keep: readonly string[]): { text: string; spans: string[] } {
  const spans: string[] = [];
  const hide = (m: string) => {
    spans.push(m);
    return String.fromCharCode(0xe000 + spans.length - 1);
  };
  let text = s;
  const names = [...new Set(keep.filter((k) => k.length >= 2))].sort((a, b) => b.length - a.length);
  if (names.length) text = text.replace(new RegExp(names.map(escapeRegExp).join("|"), "gu"), hide);
  text = text.replace(PROTECTED, hide);
  return { text, spans };
}

function unmask(s: string, spans: string[]): string {
  return s.replace(/[\uE000-\uF8FF]/gu, (c) => spans[c.charCodeAt(0) - 0xe000] ?? c);
}

/** Punctuation left behind by a dropped word: "，，" "，。" a leading comma. */
function tidy(s: string): string {
  return s
    .replace(/([，,；;])[，,]+/g, "$1")
    .replace(/[，,]+([。；;！？])/g, "$1")
    .replace(/^[，,、\s]+/, "")
    .replace(/([。；])[，,]+/g, "$1");
}

/** Words that open a clause with an action already (加强…, 做好…): such a point needs no verb added. */
const ACTION_START =
  /^(?:加强|推进|落实|抓|做|保|守|强化|完成|开展|提升|规范|严|确保|维护|筑牢|压实|深化|坚持|健全|完善|优化|防|关心|关注|重视|注重|聚焦|突出|围绕|切实|全力|持续|着力|进一步|不断|认真|扎实|积极|狠抓)/;
/** A clause with these is a clause, not a bare noun phrase. */
const CLAUSE_MARK = /[要是不将已把对在有了过着得能会]/;

/** "安全。安全是底线…" / "快递小哥的权益，过节补贴…": the first clause is only a noun phrase → give it the verb its head takes. */
function headVerb(p: string, heads: Map<string, string>): string {
  const m = p.match(/^([^，。；：]{1,14})([，。；]|$)/u);
  if (!m) return p;
  const first = m[1]!;
  if (ACTION_START.test(first) || CLAUSE_MARK.test(first.replace(/的/g, ""))) return p;
  // (a written form with $ puts the noun phrase where $ stands: 物资 → 做好$储备 → 做好防汛物资储备)
  for (const [noun, verb] of heads)
    if (first.endsWith(noun)) return verb.includes("$") ? verb.replace("$", first) + p.slice(first.length) : verb + p;
  return p;
}

/** Characters that make a clause more than a noun phrase (a verb of saying, a modal, an aspect mark, a preposition). */
const NOT_NP = /[要是不将已把对在有了过着得能会应须为以被让使和与及或]|指出|强调|补充|表示|介绍|通报|汇报|认为|说/;
/** What opens the clause a cut-off topic is the subject of: a modal or negation, a deadline, or 要/须. */
const MODAL_START =
  /^(?:必须|务必|须|要(?!求)|应当|应(?!急)|不得|不要|不准|严禁|禁止|一律|立即|全部|均|尽快|抓紧|限期|按时|及时|确保|随意|擅自|私自|违规)/;
/** "去年有个别企业，随意关停": an existential 有 before the noun phrase ("有个别企业" is the subject). */
const EXISTENTIAL = /^(?:去年|今年|上月|本月|近期|目前|前期)?有(?:个别|少数|部分|一些|的)?(?=[\p{Script=Han}])/u;
const DEADLINE_START = /^(?:下周|本周|下月|本月|月底|年底|月内|年内|近期|节前|会后|当日)/;
/** A masked date ("12月20日前"), read from the spans. */
const DATE_SPAN = /^\d{1,2}月(?:\d{1,2}[日号])?|^\d{4}年/;
const TIME_WORD = /[年月日周天季期节时前后旺汛]/;

function isMask(c: string | undefined): boolean {
  return !!c && c >= "\uE000" && c <= "\uF8FF";
}

/**
 * jieba's tags of the words a bare noun phrase is made of: nouns (n, nz, ng, nt, ns), abbreviations (j),
 * locality (f), verbal and adjectival nouns (vn, an), time (t), numerals and measures (m, q), and words it does not know or has no tag
 * for (x, "": the postal dictionary's terms). 快递 is this domain's noun, though jieba tags it a verb.
 */
const NOUN_TAG = /^(?:n|nz|ng|nt|ns|j|f|vn|an|t|m|q|mq|x|)$/;

/** A bare noun phrase: Chinese characters (masked names/figures allowed inside), no verb, modal or function word. */
function nounPhrase(c: string, maxLen: number, oneWord = false): boolean {
  if (!oneWord && EXISTENTIAL.test(c)) c = c.replace(EXISTENTIAL, "");
  if (
    c.length < 2 ||
    c.length > maxLen ||
    !/^[\p{Script=Han}\uE000-\uF8FF、]+$/u.test(c) ||
    isMask(c[0]) ||
    /的$|方面$/.test(c)
  )
    return false;
  if (NOT_NP.test(c.replace(/[\uE000-\uF8FF]/gu, "")) || ACTION_START.test(c)) return false;
  const words = getJieba()
    .tag(c, true)
    .filter((w) => w.word !== "、");
  // (a point's head of one word is a topic whatever jieba calls it: "三是休息，…")
  if (oneWord && words.length === 1) return true;
  const noun = (w: { word: string; tag: string }) => w.word === "快递" || isMask(w.word[0]) || NOUN_TAG.test(w.tag);
  // (a verb between two nouns is a modifier, "派费指引标准": jieba tags 指引 a verb)
  return words.every(
    (w, i) =>
      noun(w) ||
      (i > 0 && i < words.length - 1 && /^v/.test(w.tag) && noun(words[0]!) && noun(words[words.length - 1]!)),
  );
}

/**
 * "派费，不得层层克扣" / "分拨中心消防通道，必须畅通" / "督导工作，下周启动": a noun phrase cut off by a comma from
 * the clause it is the subject of. The comma goes (and 于 comes before a date: "材料于12月20日前报送").
 */
function joinTopics(t: string, spans: string[]): string {
  return t.replace(/(?<=^|[，。；：])([^，。；：]+)，(?=[^，。；：])/gu, (m, c: string, off: number, all: string) => {
    const rest = all.slice(off + m.length);
    if (!nounPhrase(c, 12)) return m;
    if (MODAL_START.test(rest)) return c;
    if (/、/.test(c)) return m;
    if (DEADLINE_START.test(rest)) return c;
    const first = rest[0];
    if (
      isMask(first) &&
      DATE_SPAN.test(spans[first!.charCodeAt(0) - 0xe000] ?? "") &&
      /^.(?:前|后|起|内|之前)/u.test(rest)
    )
      return `${c}于`;
    return m;
  });
}

/**
 * "社保，企业要缴纳" → "社保方面，企业要缴纳": a point opening with a bare topic word (not a verb) names its topic;
 * a bare time or circumstance says when ("高温天气，做好…" → "高温天气期间，做好…").
 */
function topicHead(t: string, heads: Map<string, string>): string {
  // (a sheet's item label, "末端服务：新建…", is such a topic too)
  const m = t.match(/^([^，。；：:]+)[，：:](?=[^，。；：])/u);
  if (!m) return t;
  const head = m[1]!;
  const rest = t.slice(m[0].length);
  if (!nounPhrase(head, 6, true) || /、/.test(head) || /[\uE000-\uF8FF]/u.test(head)) return t;
  const verbs = new RegExp(`^(?:${[...new Set([...heads.values()].map((v) => v.replace("$", "")))].join("|")})`);
  if (ACTION_START.test(head) || verbs.test(head)) return t;
  // a time or a circumstance (高温天气, 春节) says when: "高温天气期间，做好…"; a time word alone (去年) stays
  if (TIME_WORD.test(head) || /天气$/.test(head)) {
    const words = getJieba().tag(head, true);
    if ((words.length === 1 && words[0]!.tag === "t") || /(?:期间|以来|时|中|下|内|底|初|末|前|后|里|间)$/.test(head))
      return t;
    return `${head}期间，${rest}`;
  }
  if (ACTION_START.test(rest)) return t;
  // ("收费工作，驿站乱收费的…": a topic too, 收费方面)
  return `${head.length > 2 ? head.replace(/工作$/, "") : head}方面，${rest}`;
}

/** "把权益保障方案报送。": a transfer with no addressee reads "报送权益保障方案。" (the verb before its object). */
function bareBa(t: string): string {
  return t.replace(/把([^，。；：把]{1,24}?)(报送|上报|提交)(?=[，。；]|$)/gu, "$2$1");
}

/** A character doubled by a rule ("报送" + "送" → "报送送"): said once, unless the input had that pair. */
function undouble(out: string, input: string): string {
  return out.replace(/(\p{Script=Han})\1/gu, (m, c: string) => (input.includes(m) ? m : c));
}

/** "停业未备案的，下周约谈" → "对停业未备案的，下周约谈": a 的-phrase topic of a requirement is its object. */
const DE_TOPIC =
  /^(?!对|凡|有的|其中|其他的|别的|总的|是的|目的|好的)([^，。；：]{2,24}的)[，,](?=[^，。；]*[\p{Script=Han}])/u;

export interface RegisterOptions {
  /** Names and other spans kept exactly as written. */
  keep?: readonly string[];
  /** A numbered requirement point: the sentence-shape rules for points apply too. */
  point?: boolean;
  /**
   * Whom the speaker's own 我们 means (the organiser, when the speaker speaks for it; 我局 in a summary):
   * the lexicon's `US`. Without it, rules that need it are skipped and 我们 stays.
   */
  us?: string;
}

/** The written register of one sentence or point of the notes' own words. Facts are masked, so only wording changes. */
export function writtenRegister(s: string, register: Register | undefined, options: RegisterOptions = {}): string {
  if (!register || !s.trim()) return s;
  const { text, spans } = mask(s, options.keep ?? []);
  // the organiser's name is a fact: it goes in masked too
  const us = options.us ? String.fromCharCode(0xe000 + spans.push(options.us) - 1) : undefined;
  let t = text;
  for (const r of register.rules) {
    if (r.to.includes("US") && !us) continue;
    t = t.replace(r.from, us ? r.to.replaceAll("US", us) : r.to);
  }
  t = tidy(t);
  if (options.point) {
    t = headVerb(t, register.heads);
    t = t.replace(DE_TOPIC, "对$1，");
  }
  t = joinTopics(t, spans);
  if (options.point) t = topicHead(t, register.heads);
  t = bareBa(t);
  t = undouble(t, text);
  return unmask(t, spans);
}
