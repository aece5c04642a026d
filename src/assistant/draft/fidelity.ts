/**
 * Fidelity check: every date, number, person and organisation in a draft must appear in the notes.
 * Anything else is a violation (a warning in the default path; in the LLM path the sentence is
 * removed or the draft regenerated). Both sides are normalised (simplified characters, folded
 * width) before comparison; numbers compare by value (七十 = 70), dates by month and day (and the
 * year when the draft gives one).
 *
 * Extraction is by pattern (no NER model offline): dates (9月29日, 2015年9月29日, 九月二十九日),
 * Arabic numbers and Chinese-numeral quantities (五个, 第四届, 七十周年; the ordinals 一要/二是 are not
 * quantities), person names next to titles or speech verbs, organisations ending in 局/部/公司/办/厅/
 * 中心/司/委/院/集团 (taken from the last break word before them, so "召开", "听取了" are not part).
 */
import { normalizeText } from "../../ingest/normalize.js";
import { cleanNotes } from "./clean-notes.js";
import { findDates } from "./house-date.js";
import { CN_NUMERAL_CHARS, parseChineseNumeral } from "../../text/chinese-numerals.js";
import { findNameMentions, namesInList, parsePerson } from "./people.js";
import type { FidelityViolation } from "./types.js";

const MEASURE =
  "个|项|次|名|件|家|条|届|批|位|种|支|所|天|年|月|周年|方面|类|点|万|亿|千|百|人|吨|公里|小时|%|‰|倍|户|辆|架|处|起|轮|场|期|份|元";

/** Values of every number in a text (Arabic and Chinese-numeral quantities), dates excluded. */
export function numberValues(text: string): { text: string; value: number; index: number }[] {
  const out: { text: string; value: number; index: number }[] = [];
  const dateSpans = findDates(text).map((d) => [d.index, d.index + d.text.length] as const);
  const inDate = (i: number) => dateSpans.some(([a, b]) => i >= a && i < b);
  for (const m of text.matchAll(/\d+(?:[.,]\d+)*/g)) {
    if (inDate(m.index ?? 0)) continue;
    out.push({ text: m[0], value: Number(m[0].replace(/,/g, "")), index: m.index ?? 0 });
  }
  const cn = new RegExp(`([${CN_NUMERAL_CHARS}]+)(?:${MEASURE})`, "g");
  for (const m of text.matchAll(cn)) {
    const i = m.index ?? 0;
    if (inDate(i)) continue;
    const v = parseChineseNumeral(m[1]!);
    // 一个/一次/一起… are as often articles as counts, and 万/亿/千/百 alone are units: skip them
    if (v === null || v <= 1 || /^[万亿千百]$/.test(m[1]!)) continue;
    out.push({ text: m[0], value: v, index: i });
  }
  return out;
}

/** Words that end an organisation name to the left (the name starts after them). */
const BREAK_WORDS = [
  "召开",
  "会同",
  "联合",
  "听取了",
  "听取",
  "汇报了",
  "汇报",
  "主持",
  "出席",
  "参加",
  "参会",
  "组织",
  "举行",
  "举办",
  "以及",
  "和",
  "与",
  "及",
  "同",
  "由",
  "在",
  "向",
  "对",
  "了",
  "的",
  "是",
  "为",
  "将",
  "把",
  "被",
  "给",
  "从",
  "到",
  "请",
  "要",
  "等",
  "督促",
  "指导",
  "报送",
  "发至",
  "推动",
  "会议",
  "会上",
  "要求",
  "强调",
  "指出",
  // a deadline and a transfer before the office it goes to ("12月20日前报办公室": the office is 办公室)
  "前",
  "报",
  // a time word before the name ("去年天津市邮政管理局接到…")
  "去年",
  "今年",
  "明年",
  "前年",
  "当年",
  "上月",
  "本月",
  "下月",
  "目前",
  "此前",
  "近期",
  "已",
  "本文来源",
  "来源",
  "相关",
  "各级",
  "各",
  "全国",
  "所有",
  "有关",
];
const ORG_SUFFIX =
  /(?:邮政管理局(?!长)|管理局(?!长)|局(?!长)|(?<![干内全局外中东西南北头底细])部(?![门署分长])|公司|办公室|办(?![理法好事])|厅(?!长)|中心(?![局工任])|司(?![长机法])|委员会|委(?![托员])|院(?![长])|集团)/g;
const GENERIC_ORGS = new Set([
  "国家局",
  "省局",
  "市局",
  "各局",
  "本局",
  "中心",
  "总部",
  "总公司",
  "分公司",
  "子公司",
  "公司",
  "企业",
  "上级部门",
  "国务院",
]);

/** Organisation mentions: the run of characters before an org suffix, back to the nearest break word or punctuation. */
export function organisationMentions(text: string): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  for (const m of text.matchAll(ORG_SUFFIX)) {
    const end = (m.index ?? 0) + m[0].length;
    let start = m.index ?? 0;
    // extend left over CJK characters (and 区、市 brackets) up to punctuation
    while (start > 0 && /[\u4e00-\u9fff（）()]/.test(text[start - 1]!) && end - start < 24) start--;
    let name = text.slice(start, end);
    // cut at the last break word
    let cut = 0;
    for (const w of BREAK_WORDS) {
      const i = name.lastIndexOf(w, name.length - m[0].length - 1);
      if (i >= 0 && i + w.length > cut && i + w.length < name.length) cut = i + w.length;
    }
    name = name.slice(cut).replace(/^[（()）]+/, "");
    // "刘君（国家邮政局": an open bracket before the name starts it
    if (/[（(]/.test(name) && !/[）)]/.test(name.slice(name.search(/[（(]/))))
      name = name.slice(name.search(/[（(]/) + 1);
    if (name.length < 3 || GENERIC_ORGS.has(name)) continue;
    out.push({ text: name, index: start + cut });
  }
  return out;
}

export interface NotesFacts {
  /** The notes as given. */
  raw: string;
  text: string;
  compact: string;
  dates: { year?: number; month: number; day: number }[];
  numbers: Set<number>;
  names: Set<string>;
}

/** White space removed, full-width brackets folded (the published bulletins mix （） and ()). */
const compact = (s: string) => s.replace(/\s+/g, "").replace(/（/g, "(").replace(/）/g, ")");

export function notesFacts(notes: string): NotesFacts {
  const text = normalizeText(notes);
  const plain = cleanNotes(notes).text;
  const names = new Set<string>();
  for (const m of findNameMentions(text)) for (const c of m.candidates) names.add(c);
  for (const line of text.split("\n")) {
    const v = line.match(/^(?:[-*•]\s*)?(?:讲话|讲话人|主持|主持人|出席|出席领导|主讲)[:：]\s*(.+)$/);
    if (!v) continue;
    const p = parsePerson(v[1]!);
    if (p) names.add(p.name);
    for (const n of namesInList(v[1]!)) names.add(n);
  }
  return {
    raw: notes,
    text,
    compact: compact(text),
    // (and the dates the notes give in a form of their own: a chat log's "11-18 09:12" sender line)
    dates: [...findDates(text, { allowShort: true }), ...findDates(plain, { allowShort: true })],
    // figures the notes speak (百分之十一点五) count in the house form the draft writes them in (11.5%)
    numbers: new Set([...numberValues(text), ...numberValues(plain)].map((n) => n.value)),
    names,
  };
}

function sentenceAt(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf("。", index - 1), text.lastIndexOf("\n", index - 1)) + 1;
  const ends = [text.indexOf("。", index), text.indexOf("\n", index)].filter((i) => i >= 0);
  const end = ends.length ? Math.min(...ends) + 1 : text.length;
  return text.slice(start, end).trim();
}

/** Facts in `draft` that the notes do not contain. */
export function checkFidelity(draft: string, notes: string | NotesFacts): FidelityViolation[] {
  const facts = typeof notes === "string" ? notesFacts(notes) : notes;
  const d = normalizeText(draft);
  const out: FidelityViolation[] = [];
  const add = (kind: FidelityViolation["kind"], text: string, index: number) =>
    out.push({ kind, text, sentence: sentenceAt(d, index) });

  for (const date of findDates(d)) {
    const ok = facts.dates.some(
      (x) => x.month === date.month && x.day === date.day && (!date.year || !x.year || x.year === date.year),
    );
    const yearOk = !date.year || facts.dates.some((x) => x.year === date.year) || facts.numbers.has(date.year);
    if (!ok || !yearOk) add("date", date.text, date.index);
  }
  for (const n of numberValues(d)) {
    if (!facts.numbers.has(n.value) && !facts.compact.includes(n.text)) add("number", n.text, n.index);
  }
  for (const m of findNameMentions(d)) {
    if (m.candidates.some((c) => facts.names.has(c) || facts.compact.includes(c))) continue;
    add("person", m.candidates[0]!, m.index);
  }
  for (const o of organisationMentions(d)) {
    if (facts.compact.includes(compact(o.text))) continue;
    add("organisation", o.text, o.index);
  }
  return out;
}

/** One warning line per violation (Chinese, for the staff who read the draft). */
export function violationWarning(v: FidelityViolation): string {
  const kind = { date: "日期", number: "数字", person: "人名", organisation: "单位" }[v.kind];
  return `核对：草稿中的${kind}“${v.text}”在笔记中找不到（所在句：${v.sentence}）`;
}

/** A fact of the notes that a draft does not carry. */
export interface LostFact {
  kind: FidelityViolation["kind"];
  text: string;
  /** The notes' sentence it stands in (so staff can see why it was left out and put it back). */
  sentence: string;
}

/**
 * The other direction: every person, number, date and organisation of the notes must be in the draft.
 * Facts are taken from the notes in plain form (cleanNotes: shorthand resolved, spoken figures in house
 * form), so 林局 counts as 林国栋 and 百分之十一点五 as 11.5; numbers compare by value, dates by month
 * and day. Not facts: clock times (9:00), floors and rooms (3楼, 1号会议室), years standing alone.
 */
export function lostFacts(draft: string, notes: string): LostFact[] {
  const plain = cleanNotes(notes).text;
  const d = normalizeText(draft);
  const dc = compact(d);
  const out: LostFact[] = [];
  const seen = new Set<string>();
  const add = (kind: LostFact["kind"], text: string, index: number) => {
    if (seen.has(`${kind}:${text}`)) return;
    seen.add(`${kind}:${text}`);
    out.push({ kind, text, sentence: sentenceAt(plain, index) });
  };
  const draftDates = findDates(d);
  for (const x of findDates(plain)) {
    if (!draftDates.some((y) => y.month === x.month && y.day === x.day)) add("date", x.text, x.index);
  }
  const draftNumbers = new Set(numberValues(d).map((n) => n.value));
  for (const n of numberValues(plain)) {
    const before = plain.slice(Math.max(0, n.index - 1), n.index);
    const after = plain.slice(n.index + n.text.length, n.index + n.text.length + 4);
    const lineStart = n.index === 0 || plain[n.index - 1] === "\n";
    if (/[:：]/.test(before) || /^(?:[:：]\d|楼|层|号|点|时|年(?!度))/.test(after)) continue;
    if (lineStart && (/^[.、)）]/.test(after) || /^\d{1,2}\.\d{1,2}$/.test(n.text))) continue; // a list number, a date "9.18"
    if (draftNumbers.has(n.value) || dc.includes(n.text)) continue;
    // "主要做了三项工作：一是…": the count of the list that follows, which the draft numbers item by item
    if (
      /^[^，。；\n]{0,2}(?:项|条|点|个方面|方面|件事)[^，。；\n]{0,6}[：:]\s*(?:[一二三四五六七八九十][是要]|\d{1,2}[.、．)）]|[①-⑳]|[（(][一二三四五六七八九十][)）])/.test(
        plain.slice(n.index + (/\d$/.test(n.text) ? n.text.length : n.text.length - 1), n.index + n.text.length + 14),
      )
    )
      continue;
    add(
      "number",
      /\d$/.test(n.text) ? `${n.text}${after.match(/^(?:万|亿)?(?:周年|家次|[\u4e00-\u9fff%])?/)?.[0] ?? ""}` : n.text,
      n.index,
    );
  }
  for (const m of findNameMentions(plain)) {
    // "王梅在讲话中指出": the three-character reading may run into the next word
    if (m.candidates.some((c) => dc.includes(c) || (c.length === 3 && dc.includes(c.slice(0, 2))))) continue;
    // "李鹏通报": the third character starts the next word
    const name =
      m.candidates.find(
        (c) =>
          !(
            c.length === 3 &&
            /[通汇讲主出指强要说介表在作参和与等同]/.test(c[2]!) &&
            m.candidates.includes(c.slice(0, 2))
          ),
      ) ?? m.candidates[0]!;
    add("person", name, m.index);
  }
  for (const o of organisationMentions(plain)) {
    if (dc.includes(compact(o.text)) || /^[^（(]*[）)]/.test(o.text)) continue; // "市）邮政管理局" is a piece of 各省（区、市）邮政管理局
    add("organisation", o.text, o.index);
  }
  return out;
}

/** One warning line per fact left out. */
export function lostWarning(f: LostFact): string {
  const kind = { date: "日期", number: "数字", person: "人名", organisation: "单位" }[f.kind];
  return `未写入草稿：笔记中的${kind}“${f.text}”（笔记原句：${f.sentence}），该句未归入通稿的任何部分，请核对是否需要补入。`;
}
