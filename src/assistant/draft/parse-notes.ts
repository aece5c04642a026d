/**
 * Notes → structured fields. Two kinds of notes are read:
 *
 * - light structure: labelled lines (会议: …, 时间: …, 主持: …, 强调: … followed by a list), where a
 *   label's value is the rest of its line plus the unlabelled lines under it;
 * - free text: sentences classified by their verbs (召开, 指出, 强调/要求, 听取, 参会, 来源) and
 *   scalar fields found by pattern (dates, "X主持", "X出席会议并讲话", "会同…在…召开…").
 *
 * Labels win over patterns; patterns only fill what the labels left empty. Nothing is guessed
 * beyond the notes: a field that cannot be found stays undefined and the composer warns about it.
 * Text is normalised first (traditional → simplified, pinyin glosses dropped, full-width digits folded).
 */
import { normalizeText } from "../../ingest/normalize.js";
import { cleanNotes } from "./clean-notes.js";
import { findDates, spanEnd } from "./house-date.js";
import { isListLine, LIST_MARKER, splitInlineOrdinals, stripOrdinal, type OrdinalStyle } from "./ordinals.js";
import { parsePerson, TITLES } from "./people.js";
import type { DraftForm, MeetingNotes, Person, SummaryNotes } from "./types.js";

const TITLE_RE = `(?:${[...TITLES].sort((a, b) => b.length - a.length).join("|")})`;

type Field =
  | "headline"
  | "meeting"
  | "date"
  | "place"
  | "form"
  | "organiser"
  | "coOrganisers"
  | "purpose"
  | "speaker"
  | "attendees"
  | "chair"
  | "remarks"
  | "requirements"
  | "reports"
  | "others"
  | "participation"
  | "source"
  | "subtitle"
  | "unit"
  | "period"
  | "subject"
  | "overview"
  | "achievements"
  | "problems"
  | "nextSteps"
  | "signoff"
  | "meetingDemands";

/** Label (as staff write it) → field. Longer labels first when matching. */
const LABELS: Record<string, Field> = {
  标题: "headline",
  题目: "headline",
  会议: "meeting",
  会议名称: "meeting",
  名称: "meeting",
  主题: "meeting",
  会议主题: "meeting",
  时间: "date",
  日期: "date",
  会议时间: "date",
  地点: "place",
  会议地点: "place",
  形式: "form",
  会议形式: "form",
  方式: "form",
  主办: "organiser",
  主办单位: "organiser",
  组织: "organiser",
  组织单位: "organiser",
  召开单位: "organiser",
  召开: "organiser",
  单位: "unit",
  会同: "coOrganisers",
  联合: "coOrganisers",
  协办: "coOrganisers",
  目的: "purpose",
  主旨: "purpose",
  议题: "purpose",
  任务: "purpose",
  讲话: "speaker",
  讲话人: "speaker",
  主讲: "speaker",
  讲话领导: "speaker",
  出席并讲话: "speaker",
  出席会议并讲话: "speaker",
  出席: "attendees",
  出席领导: "attendees",
  主持: "chair",
  主持人: "chair",
  指出: "remarks",
  讲话要点: "remarks",
  要点: "remarks",
  讲话内容: "remarks",
  观点: "remarks",
  强调: "requirements",
  要求: "requirements",
  部署: "requirements",
  工作要求: "requirements",
  听取: "reports",
  汇报: "reports",
  会议还听取: "reports",
  交流发言: "reports",
  其他: "others",
  会上: "others",
  另外: "others",
  此外: "others",
  活动: "others",
  参会: "participation",
  参会人员: "participation",
  参加: "participation",
  分会场: "participation",
  主会场: "participation",
  参会范围: "participation",
  来源: "source",
  出处: "source",
  本文来源: "source",
  副题: "subtitle",
  副标题: "subtitle",
  核心要求: "subtitle",
  期间: "period",
  时期: "period",
  年度: "period",
  总结期间: "period",
  工作: "subject",
  总结主题: "subject",
  工作主题: "subject",
  总体: "overview",
  概述: "overview",
  总体情况: "overview",
  综述: "overview",
  填报: "signoff",
  审核: "signoff",
  整理: "signoff",
  制表: "signoff",
  执笔: "signoff",
  撰稿: "signoff",
  填表: "signoff",
  填报人: "signoff",
  审核人: "signoff",
  执笔人: "signoff",
  撰稿人: "signoff",
  填表人: "signoff",
  参会单位: "participation",
  出席单位: "participation",
  与会人员: "participation",
  参会对象: "participation",
  召开时间: "date",
  会议日期: "date",
  主办方: "organiser",
  领导讲话: "speaker",
  主讲人: "speaker",
  会议要点: "requirements",
  会议要求: "meetingDemands",
  会议强调: "meetingDemands",
  会议决定: "meetingDemands",
  会议确定: "meetingDemands",
  会议明确: "meetingDemands",
  重点工作: "achievements",
  重点工作进展: "achievements",
  工作进展: "achievements",
  主要工作进展: "achievements",
  主要指标: "overview",
  成绩: "achievements",
  成效: "achievements",
  主要成绩: "achievements",
  工作成绩: "achievements",
  完成情况: "achievements",
  成果: "achievements",
  主要工作: "achievements",
  问题: "problems",
  不足: "problems",
  存在问题: "problems",
  存在的问题: "problems",
  存在不足: "problems",
  存在的不足: "problems",
  不足之处: "problems",
  下一步: "nextSteps",
  计划: "nextSteps",
  下一步工作: "nextSteps",
  工作计划: "nextSteps",
  打算: "nextSteps",
  下一步打算: "nextSteps",
};

const LIST_FIELDS = new Set<Field>([
  "remarks",
  "requirements",
  "reports",
  "others",
  "participation",
  "achievements",
  "problems",
  "nextSteps",
]);

interface Block {
  field: Field;
  /** Text on the label line after the colon. */
  head: string;
  /** Following lines (list markers kept). */
  lines: string[];
  /** The word before the label (马军胜强调: → 马军胜). */
  who?: string;
  label: string;
}

const LABEL_LINE = /^\s*(?:[-*•]\s*)?[【[]?([\u4e00-\u9fff]{1,14})[】\]]?\s*[:：]\s*(.*)$/;

function matchLabel(line: string): { field: Field; head: string; who?: string; label: string } | null {
  const m = line.match(LABEL_LINE);
  if (!m) return null;
  const word = m[1]!;
  if (word in LABELS) return { field: LABELS[word]!, head: m[2]!.trim(), label: word };
  // "主要工作和成效", "问题和不足", "成绩与经验": labels joined by 和/及/与 are the first one's field
  const joined = word.split(/[和及与]/);
  if (joined.length === 2 && joined.every((x) => x in LABELS) && LABELS[joined[0]!] !== "date")
    return { field: LABELS[joined[0]!]!, head: m[2]!.trim(), label: word };
  // 下季度打算 / 下半年计划 / 下一步工作安排
  if (
    /^(?:下(?:一步|步|一阶段|阶段|季度|半年|月|年度?)|[一二三四]季度|下半年|明年|\d{4}年)(?:工作)?(?:打算|计划|安排|重点|思路)$/.test(
      word,
    )
  )
    return { field: "nextSteps", head: m[2]!.trim(), label: word };
  // "马军胜强调：" / "马军胜指出：" / "市场监管处处长孟雪补充："
  const v = word.match(/^(.{2,12}?)(指出|强调|要求|补充)$/);
  const who = v ? parsePerson(v[1]!) : null;
  if (v && who)
    return { field: v[2] === "补充" ? "others" : LABELS[v[2]!]!, head: m[2]!.trim(), who: v[1]!, label: v[2]! };
  return null;
}

/** Ensure a point ends with sentence punctuation (only punctuation is ever added). */
export function sentence(s: string): string {
  const t = s.trim().replace(/[，,;；、\s]+$/, "");
  // a closing quote or bracket ends a sentence only after 。！？ ("…“三项制度”" and "…（8月16日…）" still need one)
  if (/[”」』）)]$/.test(t) && !/^[（(].*[）)]$/.test(t)) return /[。！？][”」』）)]$/.test(t) ? t : `${t}。`;
  return !t || /[。！？）)：:]$/.test(t) ? t : `${t}。`;
}

function stripEnd(s: string): string {
  return s.trim().replace(/[。；;，,\s]+$/, "");
}

export interface ParsedNotes {
  /** The normalised notes (what fidelity is checked against). */
  text: string;
  blocks: Block[];
  /** Lines outside any labelled block. */
  free: string[];
  labels: string[];
}

export function splitNotes(raw: string): ParsedNotes {
  const text = normalizeText(raw);
  const blocks: Block[] = [];
  const free: string[] = [];
  let current: Block | null = null;
  let blank = false;
  for (const line of text.split("\n")) {
    if (!line.trim()) {
      blank = true;
      continue;
    }
    const label = matchLabel(line);
    const list = isListLine(line) || !!stripOrdinal(line).style;
    if (current && !label) {
      const hasContent = !!current.head || current.lines.length > 0;
      const hasList = current.lines.some((l) => isListLine(l) || !!stripOrdinal(l).style);
      // A block goes on with list lines; with plain lines only while it has no list yet and no blank
      // line came between (so "会上，…" after a list of requirements is free text again).
      const goesOn = list
        ? !(blank && !LIST_FIELDS.has(current.field))
        : !hasList && !(blank && hasContent) && (LIST_FIELDS.has(current.field) || !hasContent);
      // a new speech verb ("张国强强调，…") starts a part of its own
      // a jotted line with a label of its own ("快递进村：本月新增站点36个") after someone's remark is not more of the remark
      // a sentence that reports or speaks is not more of a participants line ("会议先由莫建华通报…")
      const ownVerb =
        !list &&
        (current.field === "participation" || current.field === "attendees") &&
        /通报|汇报|介绍|发言|指出|强调|要求|讲话|召开|主持/.test(line);
      const ownLabel =
        ownVerb ||
        (!list &&
          hasContent &&
          (current.field === "remarks" || current.field === "others") &&
          /^[\u4e00-\u9fff]{2,10}[:：]\S/.test(line.trim()));
      if (
        ownLabel ||
        !goesOn ||
        (!list &&
          /^[\u4e00-\u9fff]{2,4}(?:强调|要求|指出)[，,：:]/.test(line.trim()) &&
          parsePerson(line.trim().match(/^[\u4e00-\u9fff]{2,4}?(?=强调|要求|指出)/)?.[0] ?? ""))
      )
        current = null;
    }
    blank = false;
    if (label) {
      current = { ...label, lines: [] };
      blocks.push(current);
    } else if (current) current.lines.push(line.trim());
    else {
      current = null;
      // notes typed without punctuation ("市局召开了调度会 王局长主持"): a space between words is a pause
      free.push(line.trim().replace(/(?<=[\u4e00-\u9fff）)%])\s+(?=[\u4e00-\u9fff（(])/g, "，"));
    }
  }
  return { text, blocks, free, labels: blocks.map((b) => b.label) };
}

/** Items of a list block: list lines become items; other lines are items of their own. */
function listItems(
  block: Block,
  options: { split?: boolean } = {},
): { lead: string; items: string[]; style?: OrdinalStyle } {
  const split = options.split ?? true;
  const items: string[] = [];
  let style: OrdinalStyle | undefined;
  let lead = block.head;
  for (const line of block.lines) {
    const s = stripOrdinal(line);
    style ??= s.style;
    if (isListLine(line) || s.style || !items.length) items.push(s.text);
    else items[items.length - 1] += s.text; // continuation of the previous item
  }
  if (!split) {
    // the speaker's paragraphs as written: list markers go, inline 一是…二是… stays
    return {
      lead: "",
      items: [lead, ...block.lines.map((l) => (isListLine(l) ? l.replace(LIST_MARKER, "") : l).trim())].filter(Boolean),
    };
  }
  if (!block.lines.length && lead) {
    const inline = splitInlineOrdinals(lead);
    if (inline) return { lead: inline.lead, items: inline.items, style: inline.style };
    // "要做好A，要加强B，要维护C。": parallel 要-clauses are the points
    const clauses = lead.replace(/[。；;]$/, "").split(/[，,；;](?=要)/);
    if (clauses.length >= 2 && clauses.every((c) => c.startsWith("要")))
      return { lead: "", items: clauses.map((c) => c.trim()) };
    const s = stripOrdinal(lead);
    return { lead: "", items: [s.text], style: s.style };
  }
  if (items.length && !block.lines.some(isListLine) && !style) {
    // plain paragraphs under the label; an inline 一要…二要… run inside them is still split
    const inline = splitInlineOrdinals([lead, ...items].join(""));
    if (inline) return { lead: inline.lead, items: inline.items, style: inline.style };
  }
  const s = stripOrdinal(lead);
  if (s.style) {
    items.unshift(s.text);
    lead = "";
    style ??= s.style;
  }
  return { lead, items: items.filter(Boolean), style };
}

function scalar(block: Block): string {
  return [block.head, ...block.lines.map((l) => stripOrdinal(l).text)].filter(Boolean).join("");
}

const FORMS = [
  "电视电话会议",
  "视频会议",
  "视频调度会",
  "座谈会",
  "推进会",
  "现场会",
  "部署会",
  "调度会",
  "总结会",
  "联席会议",
  "专题会议",
  "工作会议",
  "培训班",
  "研讨会",
  "务虚会",
  "办公会",
  "党组会",
  "会议",
];

export function findForm(s: string): string | undefined {
  return FORMS.find((f) => s.endsWith(f)) ?? FORMS.find((f) => s.includes(f));
}

function dateField(s: string, allowShort: boolean): MeetingNotes["date"] {
  const d = findDates(s, { allowShort })[0];
  if (!d) return undefined;
  const end = spanEnd(s.slice(d.index + d.text.length), d);
  return { text: d.text, ...(d.year ? { year: d.year } : {}), month: d.month, day: d.day, ...(end ? { end } : {}) };
}

const SPEECH =
  /(?:^|[，,。])\s*([\u4e00-\u9fff]{2,4}?)(?:同志)?(?:在讲话中)?(指出|强调|要求|评价|表示|认为|说)[，,：:]/;

/** Remove "马军胜指出，" (the composer writes its own), keep everything else as written. */
function stripSpeechVerb(s: string, verbs: string): { text: string; who?: string; verb?: string } {
  const m = s.match(new RegExp(`^\\s*([\\u4e00-\\u9fff]{2,4}?)(?:同志)?(?:在讲话中)?(${verbs})[，,：:]\\s*`));
  if (m && parsePerson(m[1]!)) return { text: s.slice(m[0].length), who: m[1]!, verb: m[2]! };
  const m2 = s.match(new RegExp(`^\\s*(?:他|会议)(${verbs})[，,：:]\\s*`));
  if (m2) return { text: s.slice(m2[0].length), verb: m2[1]! };
  return { text: s };
}

function sentences(line: string): string[] {
  return (
    line
      .match(/[^。！？]+[。！？]?[”」]?/g)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? []
  );
}

/** Meeting-note labels whose value is one line (trailing punctuation dropped), and the field each fills; the first wins. */
const MEETING_LINES: Partial<
  Record<Field, "headline" | "meeting" | "form" | "organiser" | "coOrganisers" | "purpose" | "subtitle">
> = {
  headline: "headline",
  meeting: "meeting",
  form: "form",
  organiser: "organiser",
  unit: "organiser",
  coOrganisers: "coOrganisers",
  purpose: "purpose",
  subtitle: "subtitle",
};

/** Meeting notes → fields (labels first, then free-text patterns for what is still missing). */
export function parseMeetingNotes(raw: string): MeetingNotes & { notesText: string } {
  const p = splitNotes(cleanNotes(raw).text);
  const n: MeetingNotes & { notesText: string } = {
    notesText: p.text,
    remarks: [],
    requirements: [],
    reports: [],
    others: [],
    participation: [],
    briefings: [],
  };
  let speakerWho: string | undefined;
  const reqBlocks: { who?: string; block: Block }[] = [];
  const remarkBlocks: { who?: string; block: Block }[] = [];
  for (const b of p.blocks) {
    const value = scalar(b);
    const line = MEETING_LINES[b.field];
    if (line) {
      n[line] ??= stripEnd(value);
      continue;
    }
    switch (b.field) {
      case "date":
        n.date ??= dateField(value, true);
        if (!n.date) n.date = undefined;
        break;
      // "济南，省局1号会议室": the city is the place a bulletin names
      case "place":
        n.place ??= stripEnd(value)
          .split(/[，,；;]/)[0]!
          .replace(/[（(][^）)]*[)）]$/, "");
        break;
      case "speaker": {
        // "讲话: 国家邮政局局长马军胜" or "讲话:" followed by remarks
        const person = parsePerson(b.head);
        if (person) n.speaker ??= person;
        const rest = person ? b.lines : [b.head, ...b.lines].filter(Boolean);
        if (rest.length)
          n.remarks.push(
            ...listItems({ ...b, head: "", lines: rest }, { split: false }).items.map(
              (r) => stripSpeechVerb(r, "指出").text,
            ),
          );
        break;
      }
      case "attendees": {
        // "省局局长 邵明远（讲话）；省局二级巡视员 袁晓岚", "易少华（局长，讲话）、陶建新": the one marked 讲话 is the
        // speaker, one marked 主持 the chair (the title the bracket gives stays theirs)
        const others: string[] = [];
        const marks = /[（(][^（）()]*(?:讲话|主持)[)）]/.test(value);
        const sep = marks && !/[；;]/.test(value) ? "、" : "，";
        for (const part of stripEnd(value)
          .split(marks ? /[；;、]/ : /[；;]/)
          .map((x) => x.trim())
          .filter(Boolean)) {
          const role = roleMark(part);
          if (role?.role === "speaker") n.speaker ??= role.person;
          else if (role?.role === "chair") n.chair ??= role.person;
          else others.push(part.replace(/\s+/g, ""));
        }
        if (others.length) n.attendees ??= others.join(sep);
        break;
      }
      case "chair": {
        const c = parsePerson(value);
        if (c) n.chair ??= c;
        break;
      }
      case "source":
        n.source ??= stripEnd(value.replace(/^[（(]?(?:本文)?来源[:：]/, "").replace(/[）)]$/, ""));
        break;
      case "remarks":
        remarkBlocks.push({ who: b.who, block: b });
        break;
      case "requirements":
        reqBlocks.push({ who: b.who, block: b });
        break;
      case "meetingDemands":
        n.others.push(`${b.label}，${value.replace(/^[，,]/, "")}`);
        break;
      case "reports":
        n.reports.push(
          ...[b.head, ...b.lines]
            .filter(Boolean)
            .map((l) => stripEnd(stripOrdinal(l).text.replace(/^会议还听取了?/, ""))),
        );
        break;
      case "participation": {
        // "参会：严子健、麦颖珊（主持）、…": a participant marked 主持/讲话 is the chair/speaker; the mark goes
        const marked = [b.head, ...b.lines].filter(Boolean).map((l) =>
          stripEnd(stripOrdinal(l).text).replace(/[^；;、，,：:]+?[（(][^（）()]*?(?:主持|讲话)[)）]/g, (m) => {
            const role = roleMark(m);
            if (role?.role === "speaker") n.speaker ??= role.person;
            else if (role?.role === "chair") n.chair ??= role.person;
            return role ? m.replace(/[（(][^（）()]*?(?:主持|讲话)[)）]/, "") : m;
          }),
        );
        n.participation.push(...marked);
        break;
      }
      case "others":
        if (b.who) n.others.push(`${b.who}${b.label}，${value}`);
        else n.others.push(...[b.head, ...b.lines].filter(Boolean).map((l) => stripOrdinal(l).text));
        break;
      // a summary's labels in meeting notes (问题：…, 成效：…): what was reported, not dropped
      case "problems":
      case "achievements":
      case "nextSteps":
      case "overview":
        if (value.trim()) n.briefings!.push(`〔数〕${b.label}方面，${value.replace(/^[，,]/, "")}`);
        break;
      default:
        break; // summary-only fields
    }
  }
  // the speaker: from the labels, else from the free text, else whoever the first list of points is by
  // (else the first person whose words the notes give, in their order)
  const firstWho = p.blocks.find((b) => b.who && (b.field === "remarks" || b.field === "requirements"))?.who;
  const mainWho = n.speaker?.name ?? freeSpeaker(p.free.join("\n"))?.name ?? speakerWho ?? firstWho;
  const byOther = (who: string | undefined) => {
    const by = who ? parsePerson(who) : null;
    return !!(who && mainWho && by && by.name !== mainWho && !who.includes(mainWho));
  };
  for (const { who, block: b } of remarkBlocks) {
    const { lead, items } = listItems(b, { split: false });
    const said = [lead, ...items].filter(Boolean).map((r) => stripSpeechVerb(r, "指出").text);
    // another person's remarks ("孙晓红：下周开始…" in a chat) are theirs, not the speaker's
    if (byOther(who)) n.others.push(`${who}指出，${said.join("")}`);
    else {
      if (who) speakerWho ??= who;
      n.remarks.push(...said);
    }
  }
  for (const { who, block: b } of reqBlocks) {
    const { lead, items, style } = listItems(b);
    const by = who ? parsePerson(who) : null;
    // (after the meeting's own points, 会议要点, a person's requirements are theirs)
    if (
      who &&
      ((mainWho && by && by.name !== mainWho && !who.includes(mainWho)) || (n.requirementsBy === "会议" && !n.speaker))
    ) {
      // another person's requirements (the chair's 要求 at the end): a paragraph of their own
      const body = [lead, ...items]
        .filter(Boolean)
        .map((x) => stripEnd(x))
        .join("；");
      n.others.push(`${who}${b.label}，${body}`);
      continue;
    }
    if (who) speakerWho ??= who;
    // (会议要点: the meeting's points, not the speaker's)
    if (/^会议/.test(b.label) && !who) n.requirementsBy ??= "会议";
    n.requirementsVerb ??= b.label === "要求" || /^会议/.test(b.label) ? "要求" : "强调";
    if (lead) {
      const s = stripSpeechVerb(lead, "强调|要求");
      n.requirementsLead ??= s.text;
      if (s.verb) n.requirementsVerb = s.verb;
    }
    n.requirements.push(...items);
    if (style) n.ordinalStyle ??= style;
  }
  // free "others" give way only to an explicit 其他：/会上：/另外： block
  freeText(
    p.free,
    n,
    p.blocks.some((b) => b.field === "others" && !b.who),
  );
  // no organiser named: a bare 市局/省局 the notes use stands for it (the composer warns it is a short name)
  if (!n.organiser) {
    const b = p.text.match(/(?<![\u4e00-\u9fff个各全本该两三四五六七八九十\d])(市局|省局|区局|县局)/);
    if (b) n.organiser = b[1];
  }
  if (!n.speaker && speakerWho) n.speaker = parsePerson(speakerWho) ?? undefined;
  // still no organiser, and the notes speak as 我局/我们 (a host's script): the bureau the chair's post names
  if (!n.organiser && /我局|我们召开|本局/.test(p.text)) {
    const b = (n.chair?.title ?? "").match(/^([\u4e00-\u9fff]{2,16}?邮政管理局)/)?.[1];
    if (b) n.organiser = b;
  }
  // a speaker or chair named without a post: the post the notes give them elsewhere ("柳州市邮政管理局局长梁秀英")
  for (const who of [n.speaker, n.chair]) {
    if (!who || who.title) continue;
    const m = p.text.match(
      new RegExp(`(?:^|[，,、；;：:\\s（(])([^，,、；;：:\\s（()）]{0,16}?${TITLE_RE})${who.name}`),
    );
    if (m && !/同志$/.test(m[1]!)) who.title = m[1]!;
  }
  if (!n.form && n.meeting) n.form = findForm(n.meeting);
  return n;
}

/** "易少华（局长，讲话）", "副局长莫建华（主持）": a person with a role mark in brackets (the rest of the bracket is their title). */
function roleMark(part: string): { role: "speaker" | "chair"; person: Person } | null {
  const m = part.replace(/\s+/g, "").match(/^(.*?)[（(]([^（）()]*?)[，,、]?(讲话|并讲话|作讲话|主持|主持人)[)）]$/);
  if (!m) return null;
  const title = m[2]!.replace(/[，,、]$/, "");
  const person = parsePerson(title ? `${m[1]}（${title}）` : m[1]!) ?? parsePerson(m[1]!);
  if (!person) return null;
  if (title && !person.title) person.title = title;
  return { role: /主持/.test(m[3]!) ? "chair" : "speaker", person };
}

/** "周建华局长讲话", "市局局长何志远出席并讲话": the speaker named in free text. */
function freeSpeaker(all: string): Person | null {
  const speakerM = all.match(
    /([^，,。；\n]*?)(?:出席会议并|出席并|在会上)?(?:作(?:重要)?讲话|讲话|作(?:工作)?报告)(?=[，,。；\n]|$)/,
  );
  if (speakerM) {
    const p = parsePerson(speakerM[1]!.replace(/^.*?(?:由)/, "").trim());
    if (p) return p;
  }
  const m = all.match(SPEECH);
  return m ? parsePerson(m[1]!) : null;
}

/** Fill what the labels left empty from unlabelled text. */
function freeText(lines: string[], n: MeetingNotes, othersLabelled = false): void {
  const all = lines.join("\n");
  if (!all.trim()) return;
  if (!n.date) {
    n.date =
      dateField(all, false) ??
      (lines.map((l) => l.match(/^\s*(\d{1,2}[./]\d{1,2})(?=\s|[，,])/)?.[1]).find(Boolean)
        ? dateField(lines.map((l) => l.match(/^\s*(\d{1,2}[./]\d{1,2})/)?.[1] ?? "").join(" "), true)
        : undefined);
  }
  // "9月29日，国家邮政局[会同X][在Y]召开Z会议，…"
  const held = all.match(
    /(?:^|[。\n])([^。\n]*?)(?:组织)?(?:召开|举行|举办)了?([^，,。；\n（(]{2,80}?(?:会议|座谈会|推进会|现场会|部署会|调度会|总结会|研讨会|培训班|会))(?=[，,。；\n（(]|$)/,
  );
  if (held) {
    let left = held[1]!;
    for (const d of findDates(left, { allowShort: true })) left = left.replace(d.text, "");
    left = left.replace(/^[\s，,]*(?:(?:上午|下午|晚上|当天|近日|日前)[，,]?)*/, "").replace(/[，,\s]+$/, "");
    const place = left.match(/在([\u4e00-\u9fff]{2,12}?)(?:市|省|县|区)?$/);
    if (place) {
      n.place ??= left.slice((place.index ?? 0) + 1);
      left = left.slice(0, place.index);
    }
    const co = left.match(/^(.*?)(?:会同|联合)(.+)$/);
    if (co) {
      n.coOrganisers ??= co[2]!.trim();
      left = co[1]!;
    }
    left = left.replace(/^.*[，,]/, "").trim();
    // (a pronoun is not an organiser: 我们/我局 召开 is the host's bureau, found below)
    if (left && left.length <= 30 && !/^(?:我们|我局|本局|咱们)$/.test(left)) n.organiser ??= left;
    n.meeting ??= held[2]!.trim();
    // purpose right after the meeting name: "…会议，全面总结…，鼓舞干劲。"
    const after = all.slice((held.index ?? 0) + held[0].length).match(/^[，,]([^。\n]*?)(?:。|\n|$)/);
    if (after && !/出席|主持|讲话|参加/.test(after[1]!)) n.purpose ??= after[1]!.trim();
    // "…出席会议并讲话，就做好…工作进行专题部署"
    const on = all.slice(held.index ?? 0).match(/[，,](就[^。，\n]+?(?:进行|作出|作了)[^。，\n]*?(?:部署|安排))/);
    if (on) n.purpose ??= on[1]!;
  }
  // minutes as spoken: "在市局三楼会议室开的全市…推进会，洛阳市邮政管理局召集的"; "X牵头，会同Y召开"
  if (!n.meeting) {
    const m = all.match(/(?:开的|开了|召开的)([^，,。；\n]{2,40}?(?:会议|会))(?=[，,。；\n]|$)/);
    if (m) n.meeting = m[1]!.trim();
  }
  if (!n.organiser) {
    const m = all.match(
      /(?:^|[，,。；\n])(?:由)?([\u4e00-\u9fff]{2,20}?(?:邮政管理局|管理局|公司|中心))(?:召集|牵头|主办|组织)(?:的)?(?=[，,。；\n]|$|会同|召开)/,
    );
    if (m) n.organiser = m[1]!;
  }
  if (!n.coOrganisers) {
    const m = all.match(/会同([^，,。；\n]{2,30}?)(?:召开|举行|举办|共同召开)/);
    if (m) n.coOrganisers = m[1]!.trim();
  }
  if (!n.place) {
    const m =
      all.match(/在([^，,。；\n]{2,20}?(?:会议室|报告厅|会场|礼堂))/) ??
      all.match(/(?:^|[，,。\n])([^，,。；\n]{2,16}?(?:会议室|报告厅|礼堂))(?=[，,。；\n])/);
    if (m) n.place = m[1]!.trim();
  }
  if (!n.speaker) n.speaker = freeSpeaker(all) ?? undefined;
  // "…推进会（视频）": the kind of meeting in brackets after its name
  if (!n.form && n.meeting) {
    const k = all.match(
      new RegExp(`${n.meeting.replace(/[.*+?^\${}()|[\]\\]/g, "\\$&")}[（(](视频|电视电话|现场|线上)(?:会议?)?[)）]`),
    );
    if (k) n.form = `${k[1]}会议`;
  }

  if (!n.chair) {
    const m =
      all.match(/(?:会议由|由)([^，,。；\n]{2,20}?)主持/) ??
      all.match(/(?:^|[，,。；\n])(?:主持人?[:：为是])?([^，,。；\n]{2,20}?)主持(?:会议|了会议)?/);
    const p = m ? parsePerson(m[1]!) : null;
    if (p) n.chair = p;
  }
  if (!n.attendees) {
    const m = all.match(
      /(?:^|[，,。；\n])([^，,。；\n]{2,60}?)(?:出席了?|参加了?)(?:会议|本次会议)(?!并)(?=[，,。；\n]|$)/,
    );
    if (m && !/讲话/.test(m[1]!) && !/负责人|代表|人员|会场|[在于]/.test(m[1]!)) n.attendees = m[1]!.trim();
  }
  if (!n.source) {
    const m = all.match(/(?:本文)?来源[:：]\s*([^）)\n。]+)/);
    if (m) n.source = stripEnd(m[1]!);
  }
  classify(lines, n, othersLabelled);
}

/** "刘君强调下一步要做好四个方面的工作：" (no comma after the verb). */
const REQ_START = /^\s*[\u4e00-\u9fff]{2,4}?(?:同志)?(?:强调|要求)(?:指出)?(?:下一步|今后|当前)?要[^。]*[：:]$/;

type Cls =
  | "lead"
  | "remark"
  | "requirement"
  | "report"
  | "participation"
  | "source"
  | "other"
  | "briefing"
  | "skip"
  | "person";

/** A figure with its unit (386万件, 15.2%, 436家次). */
const FIGURE = /\d+(?:\.\d+)?(?:万|亿)?(?:件|个|家次|家|起|元|%|人|台|处|组|副|辆|吨|次|条|项|所)/;

/** Reported at the meeting: 通报, 汇报, 介绍, 交流, 发言 (not the speech itself). */
const BRIEFING = /通报|汇报|介绍了?|交流(?:了|发言)?|作了?(?:表态|交流)?发言|发言/;

/** 的都来了 / 参加 → "…参加会议" (the participants line of the house style). */
export function participationText(s: string): string {
  let t = stripEnd(s)
    .replace(/的?都来了$|都到了$/, "")
    .replace(/(?:参加|出席)$/, "")
    .replace(/^参加(?:今天|本次)?会议的(?:还)?有/, "")
    .replace(/[；;]/g, "，");
  if (!/参加|参会|列席|出席|在[主分]会场/.test(t)) t = `${t}参加会议`;
  return t;
}

/** Sentence-level classification of free text into remarks, requirements, reports, participation, others. */
function classify(lines: string[], n: MeetingNotes, othersLabelled: boolean): void {
  const want = {
    remark: !n.remarks.length,
    requirement: !n.requirements.length,
    report: !n.reports.length,
    participation: !n.participation.length,
    other: !othersLabelled,
  };
  let state: Cls | null = null;
  let leadDone = false;
  const remarks: string[] = [];
  const reqs: string[] = [];
  let reqLead = "";
  const reports: string[] = [];
  const part: string[] = [];
  const others: string[] = [];
  const briefings: string[] = [];
  const speaker = n.speaker?.name;
  for (const line of lines) {
    if (isListLine(line) || stripOrdinal(line).style) {
      const s = stripOrdinal(line);
      if (state === "remark" && /[：:]$/.test(remarks[remarks.length - 1] ?? "") && !reqs.length) {
        // "刘君强调下一步要做好四个方面的工作：" followed by a list: that sentence leads the requirements
        reqLead += remarks.pop()!;
        state = "requirement";
      }
      if (state === "requirement") {
        reqs.push(s.text);
        if (s.style) n.ordinalStyle ??= s.style;
      } else if (state === "report") reports.push(stripEnd(s.text));
      else if (state === "participation") part.push(stripEnd(s.text));
      else others.push(s.text);
      continue;
    }
    let para: Cls | null = null;
    let paraText = "";
    const flush = () => {
      if (!para || !paraText) return;
      if (para === "remark") remarks.push(paraText);
      else if (para === "other") others.push(paraText);
      paraText = "";
    };
    for (const s0 of sentences(line)) {
      let cls: Cls;
      let s = s0;
      // another person's words ("最后王晓燕要求各企业…", "陈海燕补充：…", "会议要求：…")
      const by = s.match(
        /^(?:最后|随后|会上|会议最后|接着|另外)?[，,]?\s*(.{2,12}?)(?:最后|随后|还|又|再次|也|会上)?(要求|补充|强调|指出)[，,：:]?/,
      );
      const byP = by ? parsePerson(by[1]!) : null;
      const other =
        (by && byP && speaker && byP.name !== speaker && !by[1]!.includes(speaker)) ||
        (by && by[1] === "会议" && by[2] === "要求");
      const fact = s.match(/^([\u4e00-\u9fff]{2,10})[:：](.+)$/);
      if (/(?:本文)?来源[:：]/.test(s)) cls = "source";
      // an agenda item or a jotted line that only names the speech ("邵明远局长讲话", "赵立伟讲话")
      else if (
        /^[\u4e00-\u9fff]{2,10}?(?:局长|副局长)?(?:作)?讲话[。]?$/.test(s) &&
        (leadDone || (speaker && s.includes(speaker)))
      )
        cls = "skip";
      else if (other && !(!leadDone && /召开|举行|举办|主持/.test(s))) {
        cls = "person";
        s = `${by![1]}${by![2]}，${s.slice(by![0].length)}`;
      } else if (!leadDone && /召开|举行|举办|出席|主持|会同/.test(s) && !/指出|强调|要求/.test(s)) {
        cls = "lead";
        // who took part, inside the lead sentence
        for (const c of s.replace(/[。]$/, "").split(/[，,]/))
          if (/参加|参会|都来了|到会|列席/.test(c) && !/主持|讲话|出席/.test(c)) part.push(participationText(c));
      } else if (!leadDone && (findDates(s).length || /^\d{1,2}[./]\d{1,2}(?![\d.])/.test(s)) && s.length < 40)
        cls = "lead";
      else if (/(?:^|[，,])(?:会议还|会上还|会议)?听取了?/.test(s)) cls = "report";
      // "他强调，一要…": the speaker named in the sentence before goes on, with requirements
      else if (
        /^(?:他|她)(?:还|又|也|再次)?(?:强调|要求)[，,：:]/.test(s) &&
        !reqs.length &&
        (state === "remark" || para === "remark")
      )
        cls = "requirement";
      else if (BRIEFING.test(s) && !/讲话/.test(s) && !(SPEECH.test(s) && /强调|要求/.test(s.match(SPEECH)![2]!))) {
        cls = "briefing";
        // ("会议先由莫建华通报…": the one reporting opens the sentence)
        s = s
          .replace(/^(?:会议)?(?:先是|首先|先|然后|接着|随后)?[，,]?由(?=[\u4e00-\u9fff]{2,16}?(?:通报|汇报|介绍))/, "")
          .replace(/^(?:先是|首先|然后|接着|随后)[，,]?/, "")
          .replace(/(通报|汇报|介绍)([^：:，,。]{0,16})[:：]/, "$1$2，");
      } else if (
        fact &&
        !/^(?:会议|时间|地点|主持|讲话|备注)/.test(fact[1]!) &&
        !/(?:指出|强调|要求|补充|表示|说)$/.test(fact[1]!) &&
        !parsePerson(fact[1]!)
      ) {
        cls = "briefing";
        s = `〔数〕${fact[1]}方面，${fact[2]}`;
      } else if (
        /分会场|主会场|参会|参加(?:了)?(?:会议|本次会议)|^参加(?:今天|本次)?会议的(?:还)?有|(?:共|约)?\d+(?:余|多)?人(?:参加|参会)[。]?$/.test(
          s,
        )
      )
        cls = "participation";
      else if (FIGURE.test(s) && !SPEECH.test(s) && !/要求|强调|指出|必须|不准|严禁|[要须]/.test(s)) {
        // a line of figures with no one saying it ("4月全市快递8630万件，同比增长11.4%")
        cls = "briefing";
        s = `〔数〕${s}`;
      } else if (((SPEECH.test(s) && /强调|要求/.test(s.match(SPEECH)![2]!)) || REQ_START.test(s)) && !reqs.length)
        cls = "requirement";
      // a jotted line among the figures reported, said by no one and asking nothing ("海宁、桐乡两个分拨中心，电动车违规充电"):
      // part of what was reported, not a paragraph of its own
      // (a jotting: a line with no full stop; prose after a report, "会后，与会人员察看了…。", is narrative)
      else if (
        state === "briefing" &&
        para === null &&
        !/。/.test(line) &&
        !/^(?:会后|会前|当日|当天|随后|此后)/.test(s) &&
        !SPEECH.test(s) &&
        !/要求|强调|指出|必须|不准|严禁|[要须]/.test(s)
      ) {
        cls = "briefing";
        s = `〔数〕${s}`;
      } else if (SPEECH.test(s) && !(state === "requirement" && reqs.length)) cls = "remark";
      else if (state === "requirement" && stripOrdinal(s).style) cls = "requirement";
      else if (state === "requirement" && reqs.length && para === "requirement") cls = "requirement";
      else if (
        state === "remark" &&
        !(para === null && /^(?:会上|会后|会前|会议期间|当天|此外|另外|同时，会议)/.test(s))
      )
        cls = "remark";
      else cls = para === "lead" ? "lead" : "other";
      if (cls === "remark" || cls === "requirement" || cls === "report" || cls === "briefing" || cls === "person")
        leadDone = true;
      if (cls !== para) flush();
      para = cls;
      state = cls;
      switch (cls) {
        case "remark":
          paraText += stripSpeechVerb(s, "指出|说").text;
          break;
        case "requirement": {
          const inline = splitInlineOrdinals(s);
          const o = stripOrdinal(s);
          if (inline) {
            if (!reqs.length && inline.lead) reqLead += inline.lead;
            reqs.push(...inline.items);
            n.ordinalStyle ??= inline.style;
          } else if (o.style) {
            reqs.push(o.text);
            n.ordinalStyle ??= o.style;
          } else if (reqs.length) reqs[reqs.length - 1] += s;
          else reqLead += s;
          break;
        }
        case "report":
          reports.push(stripEnd(s.replace(/^.*?(?:会议还|会上还|会议)?听取了?/, "")));
          break;
        case "briefing":
          briefings.push(stripEnd(s));
          break;
        case "other":
          paraText += s;
          break;
        case "person":
          others.push(sentence(s));
          break;
        case "participation":
          part.push(stripEnd(s));
          break;
        default:
          break;
      }
    }
    flush();
    // a requirement item spans one line: the next plain line is no longer part of it
  }
  // "…一要…。二要…" inside one requirements paragraph that had no ordinals sentence-initially
  if (want.remark) n.remarks.push(...remarks);
  if (want.requirement && (reqs.length || reqLead)) {
    const s = stripSpeechVerb(reqLead, "强调|要求");
    if (s.text) n.requirementsLead ??= s.text;
    n.requirementsVerb ??= s.verb ?? "强调";
    n.requirements.push(...reqs);
  }
  if (want.report) n.reports.push(...reports);
  if (want.participation) n.participation.push(...part);
  if (want.other) n.others.push(...others);
  else n.others.push(...others.filter((o) => /^.{2,12}?(?:要求|补充|强调|指出)，/.test(o)));
  // "通报情况：截至7月底…" under an agenda item "市场监管处通报专项治理进展": what that item reported, one sentence
  const merged: string[] = [];
  for (const b of briefings) {
    const m = b.match(/^(通报|汇报)(?:情况|内容)?[，,：:]\s*(.+)$/);
    const k = m ? merged.findLastIndex((x) => x.includes(m[1]!)) : -1;
    if (m && k >= 0) merged[k] = `${stripEnd(merged[k]!)}，${m[2]}`;
    else merged.push(b);
  }
  n.briefings = [...(n.briefings ?? []), ...merged];
}

const SUMMARY_TITLE =
  /^(.+?(?:局|公司|中心|厅|部|办|委员会|委))\s*(?:关于)?\s*(\d{4}年(?:上半年|下半年|度|前三季度|第?[一二三四]季度|\d{1,2}月(?:份)?)?|今年以来|上半年|下半年|第?[一二三四]季度)?\s*(.*?)(?:工作)?(?:情况)?(?:的)?(总结|小结)$/;

/** Work-summary notes → fields. */
export function parseSummaryNotes(raw: string): SummaryNotes & { notesText: string } {
  const p = splitNotes(cleanNotes(raw).text);
  const n: SummaryNotes & { notesText: string } = { notesText: p.text, achievements: [], problems: [], nextSteps: [] };
  for (const b of p.blocks) {
    const value = scalar(b);
    const line = SUMMARY_LINES[b.field];
    if (line) {
      n[line] ??= stripEnd(value);
      continue;
    }
    switch (b.field) {
      case "overview":
      case "purpose":
        n.overview ??= value.trim();
        break;
      case "date":
        n.date ??= dateField(value, true);
        break;
      case "signoff":
        (n.signoff ??= []).push(`${stripEnd(value)}${b.label.replace(/人$/, "")}`);
        break;
      case "achievements":
      case "problems":
      case "nextSteps": {
        const { lead, items, style } = listItems(b);
        // "做好旺季保障；11月底前完成年度安全检查": points run on one line, parted by ；
        n[b.field].push(
          ...[lead, ...items]
            .filter(Boolean)
            .flatMap((x) => x.split(/[；;](?=\S)/))
            .map((x) => x.trim())
            .filter(Boolean),
        );
        if (style) n.ordinalStyle ??= style;
        break;
      }
      default:
        break;
    }
  }
  // free text: a title line "XX局 2023年XX工作总结", then items, "下一步" and its items
  let state: "achievements" | "problems" | "nextSteps" | null = null;
  const free = [...p.free];
  const title = free[0]?.match(SUMMARY_TITLE);
  if (title) {
    free.shift();
    // the notes' own title is the headline ("…关于2024年上半年…工作情况的总结")
    n.headline ??= stripEnd(free.length >= 0 ? p.free[0]!.replace(/\s+/g, "") : "");
    n.unit ??= title[1]!.trim();
    if (title[2]) n.period ??= title[2];
    if (title[3]) n.subject ??= `${title[3]}工作`;
    n.kind ??= title[4];
  }
  if (n.headline && (!n.unit || !n.period || !n.subject)) {
    // "上海市邮政管理局2024年上半年快递市场监管工作总结": the parts a title gives
    const h = n.headline.match(SUMMARY_TITLE);
    if (h) {
      n.unit ??= h[1]!.trim();
      if (h[2]) n.period ??= h[2];
      if (h[3]) n.subject ??= `${h[3]}工作`;
      n.kind ??= h[4];
    }
  }
  let opening = true;
  // "下一步…", "下半年，我们要重点抓好三件事：…": what comes next
  const NEXT = /^(?:下一步|下步|今后|明年|下半年|下季度|下阶段)/;
  for (const raw of free) {
    // "存在的问题主要是：…", "问题主要是：…", "下一步，我局将…": the heading words go, the points stay
    let line = raw;
    if (
      /^(?:存在的?问题|不足|(?:主要)?(?:问题|不足|短板)(?:和不足)?(?:主要)?(?:是|有|在于))[^：:]{0,6}[:：]/.test(line)
    ) {
      state = "problems";
      line = line.replace(/^[^：:]+[:：]/, "");
      n.problems.push(
        ...line
          .split(/[；;](?=\S)/)
          .map((x) => x.trim())
          .filter(Boolean),
      );
      continue;
    }
    const inline = splitInlineOrdinals(line);
    // "主要做了三项工作：一是…；二是…": a lead that announces the points
    if (inline && (!inline.lead || /[：:]$/.test(inline.lead))) {
      if (inline.lead && NEXT.test(inline.lead)) state = "nextSteps";
      (state ? n[state] : n.achievements).push(...inline.items.map((x) => stripEnd(x)));
      n.ordinalStyle ??= inline.style;
      opening = false;
      continue;
    }
    const s = stripOrdinal(line);
    if (opening && !state && !isListLine(line) && !s.style && !NEXT.test(s.text)) {
      // lines before the first point: the overall picture (a table's rows become one sentence)
      n.overview = n.overview ? `${n.overview.replace(/[。；;]$/, "")}；${line}` : line;
      continue;
    }
    opening = false;
    if (NEXT.test(s.text)) {
      state = "nextSteps";
      if (/^(?:下一步|下步|今后|明年|下半年|下季度|下阶段)(?:工作|打算|计划)?[:：]?$/.test(s.text)) continue;
    } else if (/^(?:存在的?)?问题|不足/.test(s.text) && !isListLine(line)) state = "problems";
    if (isListLine(line) || s.style) {
      (state ? n[state] : n.achievements).push(s.text);
      if (s.style) n.ordinalStyle ??= s.style;
    } else if (!n.overview && !state) n.overview = line;
    else if (state)
      n[state].push(
        s.text
          .replace(/^(?:下一步|下步|今后|下半年|下季度|下阶段)[，,：:]?/, "")
          .replace(/^(?:我局|本局|我们)(?:将|要)?/, ""),
      );
    else n.achievements.push(s.text);
  }
  for (const k of ["achievements", "problems", "nextSteps"] as const) n[k] = n[k].filter((x) => x.trim());
  return n;
}

/** bulletin unless the notes carry summary labels (成绩:, 下一步:, …) and no meeting labels. */
export function inferForm(raw: string): DraftForm {
  const p = splitNotes(raw);
  const fields = new Set(p.blocks.map((b) => b.field));
  const summary = ["achievements", "nextSteps", "problems", "period"].some((f) => fields.has(f as Field));
  const meeting = ["meeting", "chair", "speaker", "requirements", "remarks", "reports"].some((f) =>
    fields.has(f as Field),
  );
  if (summary && !meeting) return "summary";
  if (meeting || p.blocks.length > 3) return "bulletin";
  // free text: a "…工作总结" title, or 成绩/下一步 wording without any meeting being held
  const t = p.text;
  const held = /召开|举行|举办|主持|出席/.test(t);
  return !held && (/总结\s*$/m.test(t.split("\n")[0] ?? "") || /^下一步/m.test(t)) ? "summary" : "bulletin";
}

export type {
  Person,
}; /** Summary-note labels whose value is one line (trailing punctuation dropped), and the field each fills; the first wins. */
const SUMMARY_LINES: Partial<Record<Field, "headline" | "unit" | "period" | "subject" | "source">> = {
  headline: "headline",
  unit: "unit",
  organiser: "unit",
  period: "period",
  subject: "subject",
  meeting: "subject",
  source: "source",
};
