/**
 * Draft suite: `npm run -s eval -- draft [--set evals/draft.jsonl] [--json]`.
 *
 * Item: {"id", "file", "form"?} (file relative to the set; form bulletin|summary, else inferred), plus
 * this project's gold fields: "parts" (the parts the draft must have, in house order), "lead"
 * ({date, organiser, form} the lead paragraph must contain), "missing" (labels the warnings must name,
 * e.g. "时间", because the notes lack them), "reconstructs" ("2015"/"2014": notes rebuilt from that
 * shared bulletin), "expectForm". `output` is exactly what `npm run -s draft -- --json FILE` prints.
 *
 * Metrics (the part detectors and the numbering check below are written independently of the composer):
 * - structure: per draft, the share of required parts present AND in order (longest run of detected
 *   parts in house order ÷ required parts); mean over drafts.
 * - numbering: share of drafts with ordinals whose ordinals (一要/一是 at a paragraph or sentence
 *   start) are all one style and count 一, 二, 三… without gaps in each list.
 * - fidelity: total facts (dates, numbers, persons, organisations) in the drafts that are not in the
 *   notes (src/assistant/draft/fidelity.ts); must be 0 on the template path.
 * - overlap: copying from the two shared bulletins (the style examples): the share of a draft's
 *   character 8-grams (white space removed) that occur in a bulletin, counting only 8-grams that are
 *   NOT in the notes themselves; per draft the larger of the two bulletins; mean and max, over all
 *   drafts and over the new note sets (the two reconstructions share the bulletins' facts and phrasing
 *   by construction).
 * - warnings: recall of the expected "missing field" warnings, and warnings naming a field the
 *   notes do have (false alarms).
 *
 * Checks for sets in the format of ../shared/dev/notes.jsonl (people, numbers, dates, orgs, organiser,
 * meeting, as_written; `form` mentioning "summary" asks for the summary form), each pass/fail per draft
 * (`checks` in the item, `passed` = share of drafts passing all):
 * - titleLead: the title names the organiser and the meeting, and so does the first paragraph
 *   (a summary's opening needs the organiser only);
 * - nothingLost: every gold person, number, date and organisation is in the draft (numbers by value
 *   and unit, dates by month and day), or in a warning that names it;
 * - nothingInvented: no fidelity violation (src/assistant/draft/fidelity.ts);
 * - residue: none of the notes' form survives (RESIDUE below: dashes, emoji, ✔, list markers, table
 *   pipes, +/- figures, label colons, fillers, internal remarks, spaces between words, unresolved
 *   shorthand of a named person such as 林局/陈副/小郑, broken punctuation, a bracket cut at a join);
 * - stutter: no phrase repeated back to back (出席会议出席会议), no word said twice (研究研究), no
 *   character doubled across a word boundary (报送送, 一要要: jieba's segmentation decides where words
 *   end; a doubled measure or noun such as 年年 is reduplication, not a slip), no full name followed by
 *   its own shorthand (张某某张局), no speech credited to 会议 when the notes name the people;
 * - register: the body is written, not spoken (registerFound below: personal pronouns of speech
 *   我/我们/你们/大家 in the narrative, spoken particles and interjections as jieba tags them (吧, 呢,
 *   嘛, 嗯…) or at a clause end (啊, 哈…), 的话 clauses, question or exclamation marks, V+一下, spoken
 *   demonstratives 这个/那个, a numbered point opening with a bare topic word and a comma (一是派费，),
 *   a 把-clause ending in a bare transfer verb with no addressee (把方案报送。), a greeting (上午好, 同志们，),
 *   the host's words to the hall (a sentence opening with 请, a stage direction: 上台, 就位)). Independent of
 *   the composer's lexicon (prompts/draft-register.tsv): grammatical classes and jieba's tags;
 * - attribution (attributionFound below): speech credited to a person, to 他/她 or to 会议 (and the numbered
 *   points under it) is what the notes give that speaker (the passage found by four characters that occur once
 *   in the notes; the notes' speaker is the last gold person, by name or surname shorthand, they name as
 *   speaking before it: a speech verb, a turn's colon, 讲话; 会议要求/会议要点 give it to the meeting); no
 *   person made a topic (何思源方面，), no participants told as a report;
 * - numbering: numberingConsistent below;
 * - warningsTrue: no warning that a field is missing when the notes have it (meeting, organiser,
 *   date, chair, speaker, attendees, participants, requirements, source: by the gold or by the notes' own
 *   words; a speech turn is a line opening with a gold person and a colon, not a label line), no warning whose
 *   claim the draft contradicts ("导语未写出席情况" when the lead says who attended),
 *   and no "left out" warning for an item the draft does carry (nor for a piece of text that is not a
 *   fact of the gold but holds one the draft carries: "日前报办公室" when the gold organisation
 *   办公室 is in the draft).
 * These checks apply to every set; titleLead and nothingLost only where the gold gives the facts.
 */
import { readFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createAssistant } from "../../src/app.js";
import { checkFidelity } from "../../src/assistant/draft/fidelity.js";
import { findDates } from "../../src/assistant/draft/house-date.js";
import { parseChineseNumeral } from "../../src/text/chinese-numerals.js";
import { copiedShare } from "../../src/assistant/draft/overlap.js";
import type { DraftForm, DraftResponse } from "../../src/assistant/draft/types.js";
import { normalizeText } from "../../src/ingest/normalize.js";
import { getJieba } from "../../src/index/tokenize.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

const projectRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const ORDER: Record<DraftForm, string[]> = {
  bulletin: ["headline", "lead", "remarks", "requirements", "reports", "participation", "source"],
  summary: ["headline", "opening", "achievements", "problems", "nextSteps", "source"],
};

const ORD = /^([一二三四五六七八九十]{1,3})(要|是)/;
const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ordValue = (s: string) =>
  s.length === 1
    ? CN[s]!
    : s === "十"
      ? 10
      : s.startsWith("十")
        ? 10 + CN[s[1]!]!
        : CN[s[0]!]! * 10 + (CN[s[2] ?? ""] ?? 0);

/** Paragraph index where each part is found (-1 for the headline), or undefined. */
export function detectParts(
  r: Pick<DraftResponse, "title" | "text">,
  form: DraftForm,
  lead: { date?: string; organiser?: string; form?: string } = {},
): Record<string, number | undefined> {
  const ps = r.text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const find = (pred: (p: string, i: number) => boolean) => {
    const i = ps.findIndex(pred);
    return i >= 0 ? i : undefined;
  };
  const ordinalAt = (i: number) => ORD.test(ps[i] ?? "");
  if (form === "summary") {
    // a numbered heading followed by at least one item (a numbered point, or a single unnumbered one)
    const heading = (re: RegExp) =>
      find(
        (p, i) =>
          /^[一二三四五]、/.test(p) &&
          re.test(p) &&
          ps.slice(i + 1, i + 4).some((q) => ORD.test(q) || (!/^[一二三四五]、/.test(q) && !/[：:]$/.test(q))),
      );
    return {
      headline: /总结$/.test(r.title) ? -1 : undefined,
      opening: ps[0] && !/^[一二三四五]、/.test(ps[0]) ? 0 : undefined,
      achievements: heading(/成效|成绩|主要工作/),
      problems: heading(/问题|不足/),
      nextSteps: heading(/下一步|工作安排|计划/),
      source: find((p, i) => i === ps.length - 1 && /^（本文来源：.+）$/.test(p)),
    };
  }
  return {
    headline:
      r.title &&
      (!lead.organiser || r.title.includes(lead.organiser)) &&
      (/会/.test(r.title) || (!!lead.form && r.title.includes(lead.form)))
        ? -1
        : undefined,
    lead:
      ps[0] &&
      (!lead.date || ps[0].startsWith(lead.date)) &&
      (!lead.organiser || ps[0].includes(lead.organiser)) &&
      (!lead.form || ps[0].includes(lead.form))
        ? 0
        : undefined,
    remarks: find((p) => /^[\u4e00-\u9fff]{2,4}指出[，：]/.test(p)),
    requirements: find((p, i) => /(强调|要求)/.test(p) && !ORD.test(p) && ordinalAt(i + 1) && ordinalAt(i + 2)),
    // reports heard: "会议还听取了…", or what was reported told as such ("会上，X通报了…", "会议通报了有关情况：…")
    reports: find((p) => /^会议还听取了|^会议通报了|^会上，[^。]{0,30}(?:通报|汇报|介绍|发言)/.test(p)),
    participation: find((p) => /参会|参加了?(?:会议|培训|活动)/.test(p) && !/^会议由/.test(p)),
    source: find((p, i) => i === ps.length - 1 && /^（本文来源：.+）$/.test(p)),
  };
}

/** Share of required parts present and in order (longest increasing run of positions ÷ required). */
export function structureScore(found: Record<string, number | undefined>, required: string[], form: DraftForm): number {
  const seq = ORDER[form]
    .filter((p) => required.includes(p))
    .map((p) => found[p])
    .filter((x): x is number => x !== undefined);
  // longest strictly increasing subsequence (n is tiny)
  const best = seq.map(() => 1);
  for (let i = 0; i < seq.length; i++)
    for (let j = 0; j < i; j++) if (seq[j]! < seq[i]! && best[j]! + 1 > best[i]!) best[i] = best[j]! + 1;
  return required.length ? Math.max(0, ...best) / required.length : 1;
}

/** Ordinals at paragraph or sentence starts: one style, each list counting from 一 without gaps. */
export function numberingConsistent(text: string): { has: boolean; ok: boolean } {
  const hits = [...text.matchAll(/(?:^|(?<=[。；：，\n]))([一二三四五六七八九十]{1,3})(要|是)(?![否的])/gm)];
  if (!hits.length) return { has: false, ok: true };
  const styles = new Set(hits.map((h) => h[2]));
  let expected = 1;
  let ok = styles.size === 1;
  for (const h of hits) {
    const v = ordValue(h[1]!);
    if (v === 1) expected = 2;
    else if (v === expected) expected++;
    else ok = false;
  }
  return { has: true, ok };
}

const squash = (s: string) => normalizeText(s).replace(/\s+/g, "");

/** "386万件" → {value: 3860000, unit: "件"}; "4.3万多人" → 43000, "人"; "12305" → 12305, "". */
function goldNumber(s: string): { value: number; unit: string } | null {
  const m = s.match(/^(\d+(?:\.\d+)?)(万|亿)?(?:多|余)?(.*)$/);
  if (!m) return null;
  return { value: Number(m[1]) * (m[2] === "万" ? 1e4 : m[2] === "亿" ? 1e8 : 1), unit: m[3]! };
}

/** Every number in a text with the unit right after it (Arabic or Chinese numerals). */
function draftNumbers(text: string): { value: number; after: string }[] {
  const out: { value: number; after: string }[] = [];
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(万|亿)?(?:多|余)?/g)) {
    out.push({
      value: Number(m[1]) * (m[2] === "万" ? 1e4 : m[2] === "亿" ? 1e8 : 1),
      after: text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 4),
    });
  }
  for (const m of text.matchAll(/(百分之)?([零〇一二两三四五六七八九十百千万亿点]+)(?:多|余)?/g)) {
    const [int, frac] = m[2]!.split("点");
    const v = parseChineseNumeral(int!);
    if (v === null) continue;
    const value =
      frac && /^[零〇一二三四五六七八九]+$/.test(frac)
        ? Number(`${v}.${[...frac].map((c) => "零一二三四五六七八九".indexOf(c === "〇" ? "零" : c)).join("")}`)
        : v;
    out.push({ value, after: m[1] ? "%" : text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 4) });
  }
  return out;
}

function hasNumber(text: string, goldAsWritten: string): boolean {
  // (gold written in traditional characters, 8650萬件, is compared in the draft's simplified form)
  const gold = squash(goldAsWritten);
  if (text.includes(gold)) return true;
  const g = goldNumber(gold);
  if (!g) return false;
  return draftNumbers(text).some(
    (n) => Math.abs(n.value - g.value) < 1e-6 * Math.max(1, g.value) && (!g.unit || n.after.startsWith(g.unit)),
  );
}

function hasDate(text: string, goldAsWritten: string): boolean {
  const gold = squash(goldAsWritten);
  if (text.includes(gold)) return true;
  const g = findDates(gold)[0];
  if (!g) return false;
  return findDates(text).some(
    (d) => d.month === g.month && d.day === g.day && (!d.year || !g.year || d.year === g.year),
  );
}

/** Patterns of the notes' form that must not reach a draft (body; the title may carry the house "——X强调，" subtitle). */
export const RESIDUE: [string, RegExp][] = [
  ["dash", /——|—(?!—)|--/],
  ["emoji or check mark", /\p{Extended_Pictographic}|[✔✓☑✅👉‼❗⚠]/u],
  [
    "list marker",
    /(?:^|[。；：\n\s])(?:\d{1,2}\s*[)）.．、](?!\d)|[（(]\d{1,2}[)）]|[-*•·]\s)|[①-⑳]|(?:^|\n)\d{1,2}\s+[\u4e00-\u9fff]/,
  ],
  ["table", /\|/],
  ["+/- figure", /(?:同比|环比)?\s*[+＋]\s*\d|(?:同比|环比)\s*[-－−]\s*\d|(?<![\d\w])[-－−]\d+(?:\.\d+)?%/],
  // (a turn's label left inside a sentence: "…乱收费林海波补充：月底前…")
  ["speech label", /[\u4e00-\u9fff](?:补充|要求|强调|指出|通报|汇报)[:：](?=[^\n])/],
  ["label colon", /(?:^|[。；\n])[\u4e00-\u9fff]{1,6}(?:[（(][^）)]{1,12}[）)])?[:：](?=[^\n“”])/],
  ["filler", /[嗯呃]|(?:^|[，。：])(?:那个|这个|就是|啊|对|那)[，。]|好，我就|这么多。|……|说一下|我看看/],
  [
    "internal remark",
    /供写|内部(?:整理|记录|参考)|不对外|仅供参考|录音整理|未经本人审阅|局务会用|[（(](?:表|纪要|记录)[)）]/,
  ],
  ["space between words", /[\u4e00-\u9fff，。][ \t\u3000]+[\u4e00-\u9fff\d]|\d[ \t\u3000]+[\u4e00-\u9fff]/],
  ["broken punctuation", /[，。；：、][，。；：、]|^[，。；：]|[，；、]$/m],
];

/** A bracket opened and not closed in its paragraph, or closed and never opened (a cut at a join: 「讲话），」). */
function unbalancedBracket(text: string): string | undefined {
  for (const p of text.split(/\n+/)) {
    let depth = 0;
    for (const c of p) {
      if (c === "（" || c === "(") depth++;
      else if (c === "）" || c === ")") depth--;
      if (depth < 0) return p.slice(Math.max(0, p.indexOf(c) - 8), p.indexOf(c) + 1);
    }
    if (depth > 0)
      return p.slice(p.lastIndexOf("（") >= 0 ? p.lastIndexOf("（") : p.lastIndexOf("("), p.lastIndexOf("（") + 12);
  }
  return undefined;
}

function residueFound(r: Pick<DraftResponse, "title" | "text">, people: string[]): string[] {
  const out: string[] = [];
  const title = r.title.replace(/——[\u4e00-\u9fff]{2,4}强调，/, "");
  for (const [name, re] of RESIDUE) {
    const m = `${title}\n${r.text}`.match(re);
    if (m) out.push(`${name}: ${JSON.stringify(m[0])}`);
  }
  const ub = unbalancedBracket(`${title}\n${r.text}`);
  if (ub) out.push(`unbalanced bracket: ${JSON.stringify(ub)}`);
  const body = `${r.title}\n${r.text}`;
  for (const p of people) {
    const sur = p[0]!;
    const short = body.match(
      new RegExp(`${sur}局(?!长)|${sur}副(?![局处科主司厅部市省书巡])|(?<![大])小${sur}(?![区件时组型微])`),
    );
    if (short && !body.includes(`${short[0]}${p.slice(1)}`)) out.push(`shorthand: ${short[0]}`);
  }
  return out;
}

/** jieba's part-of-speech tags of a doubled character that make it reduplication (年年, 人人, 层层, 个个), not a slip. */
const REDUPLICABLE = /^(?:n|m|q|t|mq|ng|tg|nr|ns|nt|nz)$/;

/** Words and characters said twice: "研究研究", "报送送", "一要要" (jieba's word boundaries decide). */
export function doubledFound(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const toks = getJieba().tag(line, true);
    for (let i = 1; i < toks.length; i++) {
      const a = toks[i - 1]!.word;
      const b = toks[i]!.word;
      if (!/^[\u4e00-\u9fff]+$/u.test(a) || !/^[\u4e00-\u9fff]+$/u.test(b)) continue;
      // the same word twice ("研究研究"), or its last character said again as a word of its own ("报送|送")
      if (a === b && a.length >= 2) out.push(`doubled word: ${a}${b}`);
      else if (b.length === 1 && a.endsWith(b) && !REDUPLICABLE.test(toks[i]!.tag))
        out.push(`doubled character: ${a}${b}`);
    }
  }
  return out;
}

/** Quoted spans (slogans, titles: “零容忍”, 《…》) are the notes' own words; the register check skips them. */
const QUOTED = /“[^”]*”|「[^」]*」|《[^》]*》|"[^"\n]*"/g;

/** Spoken particles and interjections at a clause end, where jieba may not tag them (啊/哈/哦). */
const PARTICLE_END = /[\u4e00-\u9fff][啊吧呢嘛呀啦哈哦噢呗](?=[，。；：！？、,.;:!?\n]|$)/u;

/**
 * The written register of a draft's body: what speech leaves in a text when it is pasted, not reported.
 * Grammatical classes (personal pronouns, particles, punctuation of speech) and jieba's own tags — not
 * the composer's lexicon, so the check does not pass a draft for knowing only what the composer knows.
 * A summary is written in the unit's own voice: 我局/本局 are house form there and in a bulletin.
 */
export function registerFound(r: Pick<DraftResponse, "text">): string[] {
  const out: string[] = [];
  const body = r.text.replace(QUOTED, "“”");
  const add = (what: string, m: RegExpMatchArray | null | undefined) => {
    if (m) out.push(`${what}: ${JSON.stringify(m[0])}`);
  };
  // 我局/我省/我国 are the house forms of the first person; 自我 is a word of its own
  add("pronoun of speech", body.match(/我们|咱们?|你们|[你您]|大家|大伙|(?<![自])我(?![局省市区县国部厅司处科院])/u));
  add("spoken particle", body.match(PARTICLE_END));
  for (const t of getJieba().tag(body, true)) {
    // (而已 is written usage)
    if ((t.tag === "y" || t.tag === "e") && t.word !== "而已") {
      out.push(`spoken particle: ${JSON.stringify(t.word)} (${t.tag})`);
      break;
    }
  }
  add("的话 clause", body.match(/[\u4e00-\u9fff]{1,8}的话(?=[，,])/u));
  add("question or exclamation", body.match(/[^\n]{0,8}[？?！!]/u));
  const toks = getJieba().tag(body, true);
  for (let i = 1; i < toks.length; i++) {
    if (toks[i]!.word === "一下" && /^v/.test(toks[i - 1]!.tag)) {
      out.push(`V+一下: ${JSON.stringify(toks[i - 1]!.word + "一下")}`);
      break;
    }
  }
  add("spoken demonstrative", body.match(/这个|那个/u));
  // a greeting, or the host's own words to the hall: a request opening a sentence (请X宣读…, 请领导上台), a stage direction
  add("greeting", body.match(/(?:大家|各位|同志们)?(?:上午|下午|晚上)好|大家好|同志们[，：！]|各位领导[，、：]/u));
  add("host's request", body.match(/(?:^|[。！\n])请(?!示)[^。\n]{1,20}/mu));
  add("stage direction", body.match(/[^。\n，]{0,8}(?:上台|就位|就座|落座|入场|退场|起立)(?=[，。；]|$)/mu));
  // "一是派费，不得…": the point opens with a bare topic word and a comma (a house draft says 派费方面， / 保障派费…)
  for (const p of body.split(/\n+/)) {
    const m = p.match(/^[一二三四五六七八九十]{1,2}[是要]([\u4e00-\u9fff]{1,6})[，,]/u);
    // (X方面， is the house's way of naming a topic; X期间，/X以来，/X时， say when, an adverbial)
    if (!m || /[要是不将已把对在有了过着得能会应须的和与及为以前后]|方面$|期间$|以来$|时$|中$/u.test(m[1]!)) continue;
    // (after 一要 the head is what is to be done: a verb and its object, 一要规范末端派费，; only a lone noun, 一要派费，, is a topic)
    if (/^[一二三四五六七八九十]{1,2}要/.test(m[0]) && getJieba().tag(m[1]!, true).length > 1) continue;
    // only nouns (jieba: n, j abbreviations, f locality, vn verbal nouns, t time, nz, x words it does not
    // know): a head with a verb, adjective or adverb (抓好安全, 畅通申诉渠道, 严格值班) is a clause, not a topic
    // (a name, nr, is jieba's guess for an unknown verb such as 杜绝, never a topic after 一是)
    if (
      !getJieba()
        .tag(m[1]!, true)
        .every((t) => /^(?:n|nz|ng|j|f|vn|t|x)$/.test(t.tag))
    )
      continue;
    out.push(`bare topic head: ${JSON.stringify(m[0])}`);
    break;
  }
  // "把权益保障方案报送。": a transfer with no addressee (a house draft says 报送X, or 报送 whom)
  add("把 with no addressee", body.match(/把[^，。；：]{1,24}?(?:报送|上报|提交|报|交|送)(?=[，。；]|$)/mu));
  return out;
}

function stutterFound(r: Pick<DraftResponse, "title" | "text">, people: string[], notes: string): string[] {
  const out: string[] = [];
  const body = `${r.title}\n${r.text}`;
  const rep = body.match(/([\u4e00-\u9fff]{3,})[，、]?\1/u);
  if (rep) out.push(`repeated: ${rep[0]}`);
  out.push(...doubledFound(body));
  for (const p of people) {
    const m = body.match(new RegExp(`${p}(?:同志)?${p[0]}(?:局|副|处)`));
    if (m) out.push(`name and shorthand: ${m[0]}`);
  }
  // (unless the notes themselves say 会议要求)
  const credited = r.text.match(/会议(?:指出|强调|要求)/);
  if (people.length && credited && !/会议(?:指出|强调|要求|要点|明确|认为|决定|提出|部署)/.test(normalizeText(notes)))
    out.push("speech credited to 会议");
  return out;
}

/** A gold person's mentions in a text: the full name, or the shorthand of a surname no other gold person has (戴局, 林副, 小何, 易局长). */
function personMentions(text: string, people: string[]): { who: string; index: number; end: number }[] {
  const out: { who: string; index: number; end: number }[] = [];
  for (const p of people) {
    const unique = people.filter((q) => q[0] === p[0]).length === 1;
    // (a compound surname's shorthand too: 欧阳局 for 欧阳振东)
    const sh = "(?:副?局长|副?处长|副?科长|副?主任|局|副|处)";
    const alts = [
      p,
      ...(unique ? [`${p[0]}${sh}`, `小${p[0]}`, ...(p.length >= 3 ? [`${p.slice(0, 2)}${sh}`] : [])] : []),
    ];
    for (const m of text.matchAll(new RegExp(alts.join("|"), "gu")))
      out.push({ who: p, index: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** After a mention: what makes it the one speaking (a speech verb, a turn's colon, 讲话), title and bracket allowed between. */
const SPEAKS =
  /^[）)]?(?:[（(][^）)]{0,14}[）)])?(?:同志|副?局长|副?处长|副?科长|副?主任|书记)?(?:在讲话中|在会上|最后|随后|先|还|又|也|再次)?(?:指出|强调|要求|表示|通报|汇报|介绍|补充|发言|讲话|讲了|讲|说|提醒|部署|[:：])/u;

/** Who the notes say said what stands at `index` (squashed notes): the last speaker mention before it, or 会议 when the notes give it to the meeting. */
function notesSpeakerAt(notes: string, index: number, people: string[]): string | undefined {
  let who: string | undefined;
  let at = -1;
  for (const m of personMentions(notes, people)) {
    if (m.index > index || m.index <= at || !SPEAKS.test(notes.slice(m.end, m.end + 24).split("\n")[0]!)) continue;
    // an invitation or a look back is not the speaker's turn (请葛处长讲一下, 刚才范局长作了重要讲话)
    if (/(?:请|刚才|感谢)[^，,。；;：:\n]{0,12}$/.test(notes.slice(Math.max(0, m.index - 14), m.index))) continue;
    // a mention inside brackets ("（范局长讲话要点：…）") speaks only up to the closing bracket
    const line = notes.slice(notes.lastIndexOf("\n", m.index) + 1, m.index);
    const open = (line.match(/[（(]/g) ?? []).length > (line.match(/[）)]/g) ?? []).length;
    if (open) {
      const close = notes.slice(m.end).search(/[）)]/);
      // (not a label's annotation: 部署要求（白局长）：)
      if (close > 4 && m.end + close < index) continue;
    }
    who = m.who;
    at = m.index;
  }
  for (const m of notes.matchAll(/会议(?:指出|强调|要求|要点|明确|认为|决定|提出|部署)/gu))
    if ((m.index ?? 0) < index && (m.index ?? 0) > at) {
      who = "会议";
      at = m.index ?? 0;
    }
  return who;
}

/**
 * Attribution, as an editor reads it: speech the draft credits to a person, to 他/她 (the last person the paragraph
 * names) or to 会议 must be what the notes give to that speaker (the passage found by a stretch of four characters
 * that occurs once in the notes; the notes' speaker is the last one they name as speaking before it); numbered points
 * belong to whoever the paragraph introducing them credits. A person made a topic ("何思源方面，") and the
 * participants told as a report ("会议通报了有关情况：…参加") are wrong too.
 */
export function attributionFound(r: Pick<DraftResponse, "text">, notes: string, people: string[]): string[] {
  const out: string[] = [];
  if (!people.length) return out;
  // (line breaks kept: a turn and a label end at the line's end)
  const n = normalizeText(notes).replace(/[ \t\u3000]+/g, "");
  const count = (g: string) => n.split(g).length - 1;
  let pointsBy: string | undefined;
  let last: string | undefined;
  for (const p of r.text
    .split(/\n+/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    const topic = p.match(new RegExp(`(?:${people.join("|")})方面[，,]`, "u"));
    if (topic) out.push(`person made a topic: ${JSON.stringify(topic[0])}`);
    if (/^会议通报了有关情况/.test(p) && /参加|参会/.test(p))
      out.push(`participants told as a report: ${JSON.stringify(p.slice(0, 24))}`);
    const ord = /^[一二三四五六七八九十]{1,2}[是要]/.test(p);
    for (const sen of ord ? [p] : p.split(/(?<=。)/)) {
      const head = sen.match(/^(?:会上，)?([^，。：]{0,30}?)(指出|强调|要求|通报了?|汇报了?|补充|表示)[，：]/u);
      let who: string | undefined;
      let content = sen;
      if (ord) who = pointsBy;
      else if (head) {
        const named = people.find((q) => head[1]!.includes(q));
        who = named ?? (/^[他她]$/.test(head[1]!) ? last : /^会议$/.test(head[1]!) ? "会议" : undefined);
        content = sen.slice(head[0].length);
        if (/[：:]$/.test(sen.trim()) || /以下|几方面|几点/.test(content)) pointsBy = who;
      }
      for (const q of people) if (sen.includes(q)) last = q;
      if (!who) continue;
      const c = squash(content).replace(/[^\u4e00-\u9fff\d]/gu, "");
      let idx = -1;
      for (let i = 0; i + 4 <= c.length && idx < 0; i++)
        if (count(c.slice(i, i + 4)) === 1) idx = n.indexOf(c.slice(i, i + 4));
      if (idx < 0) continue;
      const said = notesSpeakerAt(n, idx, people);
      if (said && said !== who)
        out.push(`speech credited to ${who}, the notes give it to ${said}: ${JSON.stringify(content.slice(0, 16))}`);
    }
  }
  return [...new Set(out)];
}

/** A transcript's turn: a line opening with a gold person (or their surname's shorthand) and a colon. */
function turnLine(notes: string, people: string[]): boolean {
  return notes
    .split("\n")
    .some((l) =>
      personMentions(l.trim(), people).some(
        (m) =>
          m.index <= 10 &&
          !/^\s*(?:\d|[①-⑳]|[-*•])/.test(l) &&
          /^(?:[（(][^）)]{0,14}[）)])?[:：]/.test(l.trim().slice(m.end)),
      ),
    );
}

/** Field label in a warning (可写“X：”) → is it in the notes after all? */
function falseWarnings(warnings: string[], notes: string, item: EvalItem, draft: string): string[] {
  const n = squash(notes);
  const has: Record<string, boolean> = {
    会议: !!item.meeting,
    主办: !!item.organiser,
    单位: !!item.organiser,
    时间: findDates(n, { allowShort: true }).length > 0,
    主持: /主持/.test(n),
    // (a transcript's turn: a line opening with a person of the gold, by name or surname shorthand, and a colon;
    // a label line such as 参会： is not a turn)
    讲话:
      /讲话|讲了|讲一下|说了几点/.test(n) ||
      turnLine(normalizeText(notes), Array.isArray(item.people) ? (item.people as string[]) : []),
    // something the notes say was stressed or asked (他强调，…; 孔令辉要求各企业…)
    强调: /[\u4e00-\u9fff](?:强调|要求)[，,：:]?(?:要|各|一|严|加强|做好|抓|对|\d)/.test(n),
    // attendees other than the speaker (出席会议并讲话, 出席领导：X（讲话） name the speaker)
    出席: normalizeText(notes)
      .replace(/出席(?:会议)?并讲话/g, "")
      .split(/[；;、，,。\n]/)
      .some((seg) => /出席/.test(seg) && !/讲话/.test(seg)),
    参会: /参会|参加|来了|共\d+人/.test(n),
    来源: /来源/.test(n),
  };
  const out: string[] = [];
  // sets with gold "missing" labels (evals/draft.jsonl) say which fields the notes lack
  const missing = Array.isArray(item.missing) ? (item.missing as string[]) : null;
  const lead = draft.split(/\n+/).filter((p) => p.trim())[1] ?? "";
  for (const w of warnings) {
    const label = w.match(/可写“(.+?)：”/)?.[1];
    // (强调: the notes stress things; the warning is false when it says none were found, not when it says they were not numbered)
    if (label && (missing ? !missing.includes(label) : has[label] && (label !== "强调" || /具体事项/.test(w))))
      out.push(w);
    // a warning's claim about the draft must hold: "导语未写出席情况" when the lead says who attended is false
    else if (/导语未写出席情况/.test(w) && /出席/.test(lead)) out.push(w);
    // "left out" warnings must name something the draft does not carry: not even with a character or two
    // put in by the written register ("月底前报办公室" is carried as "月底前报送办公室"), nor a piece of text
    // around a gold fact the draft carries ("日前报办公室" around the gold organisation 办公室)
    const left = w.match(/(?:未写入|删去|略去)[^“]*“([^”]+)”/);
    if (!left) continue;
    const gold = ["people", "orgs"].flatMap((k) => (Array.isArray(item[k]) ? (item[k] as string[]) : []));
    const named = squash(left[1]!);
    const d = squash(draft);
    const loose = new RegExp([...named].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".{0,2}"), "u");
    if (
      loose.test(d) ||
      (!gold.some((g) => squash(g) === named) && gold.some((g) => named.includes(squash(g)) && d.includes(squash(g))))
    )
      out.push(w);
  }
  return out;
}

const CHECKS = [
  "titleLead",
  "nothingLost",
  "nothingInvented",
  "residue",
  "stutter",
  "register",
  "attribution",
  "numbering",
  "warningsTrue",
] as const;

export interface Checks {
  titleLead: boolean;
  nothingLost: boolean;
  nothingInvented: boolean;
  residue: boolean;
  stutter: boolean;
  register: boolean;
  attribution: boolean;
  numbering: boolean;
  warningsTrue: boolean;
  details: string[];
}

/** The automated checks of one draft against its notes and (when given) the set's gold facts. */
export function checkDraft(output: DraftResponse, notes: string, item: EvalItem, form: DraftForm): Checks {
  const details: string[] = [];
  const title = squash(output.title);
  const ps = output.text.split(/\n+/).filter((p) => p.trim());
  const lead = squash(ps[0] ?? "");
  const text = squash(`${output.title}\n${output.text}`);
  const warn = squash(output.warnings.join("\n"));
  const people = Array.isArray(item.people) ? (item.people as string[]) : [];
  let titleLead = true;
  for (const [k, v] of [
    ["organiser", item.organiser],
    ["meeting", item.meeting],
  ] as const) {
    if (typeof v !== "string" || !v) continue;
    const g = squash(v);
    if (!title.includes(g)) {
      titleLead = false;
      details.push(`title lacks ${k} ${v}`);
    }
    if ((form === "bulletin" || k === "organiser") && !lead.includes(g)) {
      titleLead = false;
      details.push(`lead lacks ${k} ${v}`);
    }
  }
  let nothingLost = true;
  const lost = (kind: string, g: string, ok: (s: string) => boolean) => {
    if (ok(text)) return;
    if (
      warn.includes(squash(g)) ||
      Object.entries((item.as_written ?? {}) as Record<string, string>).some(
        ([h, w]) => h === g && warn.includes(squash(w)),
      )
    )
      return;
    nothingLost = false;
    details.push(`lost ${kind} ${g}`);
  };
  for (const g of people) lost("person", g, (s) => s.includes(squash(g)));
  for (const g of Array.isArray(item.orgs) ? (item.orgs as string[]) : [])
    lost("organisation", g, (s) => s.includes(squash(g)));
  for (const g of Array.isArray(item.numbers) ? (item.numbers as string[]) : [])
    lost("number", g, (s) => hasNumber(s, g));
  for (const g of Array.isArray(item.dates) ? (item.dates as string[]) : []) lost("date", g, (s) => hasDate(s, g));
  const v = checkFidelity(`${output.title}\n${output.text}`, notes);
  for (const x of v) details.push(`invented ${x.kind} ${x.text}`);
  const res = residueFound(output, people);
  details.push(...res.map((x) => `residue ${x}`));
  const st = stutterFound(output, people, notes);
  details.push(...st.map((x) => `stutter ${x}`));
  const reg = registerFound(output);
  details.push(...reg.map((x) => `register ${x}`));
  const att = attributionFound(output, notes, people);
  details.push(...att.map((x) => `attribution ${x}`));
  const num = numberingConsistent(output.text);
  if (!num.ok) details.push("numbering mixed or skipped");
  const fw = falseWarnings(output.warnings, notes, item, `${output.title}\n${output.text}`);
  details.push(...fw.map((w) => `false warning: ${w}`));
  return {
    titleLead,
    nothingLost,
    nothingInvented: v.length === 0,
    residue: res.length === 0,
    stutter: st.length === 0,
    register: reg.length === 0,
    attribution: att.length === 0,
    numbering: num.ok,
    warningsTrue: fw.length === 0,
    details,
  };
}

async function bulletins(): Promise<{ name: string; text: string }[]> {
  const dir = join(projectRoot, "corpus");
  const names = (await readdir(dir)).filter((f) => /^\d{4}-\d{2}-\d{2} .+\.txt$/.test(f)).sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: normalizeText(await readFile(join(dir, name), "utf8")) })),
  );
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

const suite: Suite = {
  defaultSet: "evals/draft.jsonl",
  async run(items: EvalItem[], ctx): Promise<SuiteResult> {
    const assistant = createAssistant(ctx.config, { log: ctx.log });
    const examples = await bulletins();
    const out: SuiteResult["items"] = [];
    const structure: number[] = [];
    const overlapAll: number[] = [];
    const overlapNew: number[] = [];
    let numberingHas = 0;
    let numberingOk = 0;
    let violations = 0;
    let expectedMissing = 0;
    let foundMissing = 0;
    let falseAlarms = 0;
    let formRight = 0;
    const via: Record<string, number> = {};
    const checkPass = Object.fromEntries(CHECKS.map((k) => [k, 0])) as Record<(typeof CHECKS)[number], number>;
    let allPass = 0;
    for (const item of items) {
      const file = resolve(ctx.setDir, String(item.file));
      const notes = await readFile(file, "utf8");
      // "summary"/"bulletin", or a dev-set description that mentions a summary (../shared/dev/notes.jsonl)
      const form =
        item.form === "summary" || item.form === "bulletin"
          ? (item.form as DraftForm)
          : typeof item.form === "string" && /summary/i.test(item.form)
            ? "summary"
            : undefined;
      const output = await assistant.draft(notes, form ? { form } : {});
      const usedForm: DraftForm = output.form ?? form ?? "bulletin";
      const expectForm = (item.expectForm ??
        form ??
        (Array.isArray(item.parts) && item.parts.includes("achievements") ? "summary" : "bulletin")) as DraftForm;
      if (usedForm === expectForm) formRight++;
      via[output.via ?? "?"] = (via[output.via ?? "?"] ?? 0) + 1;
      const required = Array.isArray(item.parts) ? (item.parts as string[]) : ORDER[usedForm];
      const found = detectParts(output, usedForm, (item.lead ?? {}) as Record<string, string>);
      const s = structureScore(found, required, usedForm);
      structure.push(s);
      const num = numberingConsistent(output.text);
      if (num.has) {
        numberingHas++;
        if (num.ok) numberingOk++;
      }
      const v = checkFidelity(`${output.title}\n${output.text}`, notes);
      violations += v.length;
      const overlap = Math.max(
        0,
        ...examples.map((e) => copiedShare(`${output.title}\n${output.text}`, e.text, notes)),
      );
      overlapAll.push(overlap);
      if (!item.reconstructs) overlapNew.push(overlap);
      const missing = Array.isArray(item.missing) ? (item.missing as string[]) : [];
      const warned = new Set(output.warnings.map((w) => w.match(/可写“(.+?)：”/)?.[1]).filter((x): x is string => !!x));
      expectedMissing += missing.length;
      foundMissing += missing.filter((m) => warned.has(m)).length;
      // (only sets that say which fields their notes lack; elsewhere the checks' warningsTrue judges)
      if (Array.isArray(item.missing)) falseAlarms += [...warned].filter((w) => !missing.includes(w)).length;
      const c = checkDraft(output, notes, item, usedForm);
      for (const k of CHECKS) if (c[k]) checkPass[k]++;
      if (CHECKS.every((k) => c[k])) allPass++;
      out.push({
        id: item.id,
        output,
        checks: c,
        structure: s,
        missingParts: required.filter((p) => found[p] === undefined),
        numberingOk: num.ok,
        violations: v,
        overlap,
      });
      ctx.log(
        `${item.id}: checks ${CHECKS.filter((k) => !c[k]).join(",") || "all pass"}${c.details.length ? ` (${c.details.join("; ")})` : ""}`,
      );
      ctx.log(
        `${item.id}: structure ${s.toFixed(2)}, numbering ${num.has ? (num.ok ? "ok" : "MIXED") : "-"}, violations ${v.length}, overlap ${overlap.toFixed(3)}`,
      );
    }
    return {
      items: out,
      metrics: {
        drafts: items.length,
        checksPassed: allPass / Math.max(1, items.length),
        checks: Object.fromEntries(CHECKS.map((k) => [k, checkPass[k] / Math.max(1, items.length)])),
        via,
        formInferred: formRight / Math.max(1, items.length),
        structure: mean(structure),
        structureMin: structure.length ? Math.min(...structure) : 0,
        numberingConsistent: numberingHas ? numberingOk / numberingHas : 1,
        draftsWithOrdinals: numberingHas,
        fidelityViolations: violations,
        overlap: {
          meanAll: mean(overlapAll),
          maxAll: Math.max(0, ...overlapAll),
          meanNew: mean(overlapNew),
          maxNew: Math.max(0, ...overlapNew),
        },
        missingFieldWarnings: {
          expected: expectedMissing,
          recall: expectedMissing ? foundMissing / expectedMissing : 1,
          falseAlarms,
        },
      },
    };
  },
};

export default suite;
