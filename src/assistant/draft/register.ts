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
 * Never touched: names (the people the notes name), figures, dates and quoted titles (“…”, 《…》) are masked
 * before any rule runs and put back after, so the register pass changes wording only, never a fact.
 *
 * Hand-written: no library models the register of Chinese office writing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

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
    if (!cls || !from) throw new Error(`${file}:${i + 1}: a rule is CLASS<TAB>COLLOQUIAL<TAB>WRITTEN; fix or remove the line.`);
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
const PROTECTED = /[“「《『][^”」》』]*[”」》』]|\d[\d.．,:：\-\/]*(?:万|亿)?(?:[%‰]|个百分点)?(?:年|月|日|号|时|点|分)?(?:\d[\d.]*(?:日|号))?/gu;

function escape(s: string): string {
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
  if (names.length) text = text.replace(new RegExp(names.map(escape).join("|"), "gu"), hide);
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
const ACTION_START = /^(?:加强|推进|落实|抓|做|保|守|强化|完成|开展|提升|规范|严|确保|维护|筑牢|压实|深化|坚持|健全|完善|优化|防|关心|关注|重视|注重|聚焦|突出|围绕|切实|全力|持续|着力|进一步|不断|认真|扎实|积极|狠抓)/;
/** A clause with these is a clause, not a bare noun phrase. */
const CLAUSE_MARK = /[要是不将已把对在有了过着得能会]/;

/** "安全。安全是底线…" / "快递小哥的权益，过节补贴…": the first clause is only a noun phrase → give it the verb its head takes. */
function headVerb(p: string, heads: Map<string, string>): string {
  const m = p.match(/^([^，。；：]{1,14})([，。；]|$)/u);
  if (!m) return p;
  const first = m[1]!;
  if (ACTION_START.test(first) || CLAUSE_MARK.test(first.replace(/的/g, ""))) return p;
  for (const [noun, verb] of heads) if (first.endsWith(noun)) return verb + p;
  return p;
}

/** "停业未备案的，下周约谈" → "对停业未备案的，下周约谈": a 的-phrase topic of a requirement is its object. */
const DE_TOPIC = /^(?!对|凡|有的|其中|其他的|别的|总的|是的|目的|好的)([^，。；：]{2,24}的)[，,](?=[^，。；]*[\p{Script=Han}])/u;

export interface RegisterOptions {
  /** Names and other spans kept exactly as written. */
  keep?: readonly string[];
  /** A numbered requirement point: the sentence-shape rules for points apply too. */
  point?: boolean;
}

/** The written register of one sentence or point of the notes' own words. Facts are masked, so only wording changes. */
export function writtenRegister(s: string, register: Register | undefined, options: RegisterOptions = {}): string {
  if (!register || !s.trim()) return s;
  const { text, spans } = mask(s, options.keep ?? []);
  let t = text;
  for (const r of register.rules) t = t.replace(r.from, r.to);
  t = tidy(t);
  if (options.point) {
    t = headVerb(t, register.heads);
    t = t.replace(DE_TOPIC, "对$1，");
  }
  return unmask(t, spans);
}
