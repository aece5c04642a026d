/**
 * The embedded default: fill the house structure from the parsed notes with the phrasing templates.
 * Facts come only from the notes (the speaker's wording is kept; only punctuation is added at the
 * end of a point); a part the notes do not give is left out and reported in `warnings`.
 */
import { houseDate } from "./house-date.js";
import { checkNumbering, ordinal, type OrdinalStyle } from "./ordinals.js";
import { findForm, participationText, sentence } from "./parse-notes.js";
import { findNameMentions } from "./people.js";
import { writtenRegister, type Register } from "./register.js";
import { section, type Templates } from "./templates.js";
import type { MeetingNotes, SummaryNotes } from "./types.js";

export interface Composed {
  title: string;
  /** Body paragraphs (the title is not repeated). */
  paragraphs: string[];
  warnings: string[];
}

/** A point that names its subject before 要 ("学员要珍惜…"): "一要学员要…" would read wrong, "一是学员要…" does not. */
const SUBJECT_THEN_YAO = /^[^，。、：；]{1,10}?(?<![重主需必只想])要(?![求点素])/;

/** A point that says 要 after a topic of its own ("实名收寄方面，大家要…"): "一要…" would say it twice. */
const OWN_YAO = /^[^。]{1,16}[，,][^。]{0,12}?(?<![重主需必只想])要(?![求点素])/;

/** A jotted "point" that reports what was done (上月开展了一次检查，查了网点52个): a remark, not a requirement. */
const DONE_POINT = /^(?:(?:上|本|这)(?:个)?月|今年|去年|前期|近期|[一二三四]季度|\d{1,2}月)[^。]*了[^。]*$/;
const MODAL = /要|须|必须|不得|严禁|务必|确保|立即|抓紧|前[，,]?/;

/** The notes' own style wins; else the template's, unless a point has its own subject before 要 (then 是 for the whole list). */
function style(t: Templates, notesStyle: OrdinalStyle | undefined, points: string[] = []): OrdinalStyle {
  if (notesStyle) return notesStyle;
  const s = t.get("numbering")?.trim() === "是" ? "是" : "要";
  // a point with its own subject before 要, or one that opens with a date, a figure or whom it binds (12月15日前各县局…, 各企业…), reads 一是…
  if (
    s === "要" &&
    points.some(
      (p) =>
        !p.trim().startsWith("要") &&
        (SUBJECT_THEN_YAO.test(p.trim()) ||
          OWN_YAO.test(p.trim()) ||
          /^(?:\d|各|对|[^，。]{0,12}前[，,]?)/.test(p.trim())),
    )
  )
    return "是";
  return s;
}

/** "一要" + "要切实…" must not read "一要要切实…". */
function numbered(n: number, st: OrdinalStyle, point: string): { ordinal: string; point: string } {
  let p = point.trim();
  if (st === "要" && p.startsWith("要") && !p.startsWith("要求")) p = p.slice(1);
  return { ordinal: ordinal(n, st), point: sentence(innerLabel(p)) };
}

/** "推进快递进村提质：新增…" (a sheet's item label) → "推进快递进村提质，新增…". */
function innerLabel(p: string): string {
  return p.replace(/^([^：:，,。]{2,16})[:：](?!$)/, "$1，");
}

/** A bare leadership title (局长, 省局副局长) names the organiser's post: "洛阳市邮政管理局局长". */
function fullTitle(
  title: string | undefined,
  organiser: string | undefined,
  withOrganiser: boolean,
): string | undefined {
  if (!title) return title;
  // (the chair's own bureau is the organiser's: 会议由副局长钱卫东主持, not the bureau's name a third time)
  const bare = title
    .replace(/^(?:省局|市局|区局|县局|本局|我局)/, "")
    .replace(
      !withOrganiser && organiser && title.startsWith(organiser) && /局$/.test(organiser) ? organiser : /^$/,
      "",
    );
  if (
    withOrganiser &&
    organiser &&
    /局$/.test(organiser) &&
    /^(?:副?局长|党组书记|[一二三四]级巡视员|副?巡视员)$/.test(bare)
  )
    return organiser + bare;
  return bare;
}

/** Meeting name with its form ("…工作" + "座谈会"), and the form as a mode when the name is already a meeting ("以电视电话会议形式"). */
function meetingName(n: MeetingNotes): { meeting?: string; formMode?: string } {
  // no name: the kind of meeting, else just 会议 (never a bare 召开)
  if (!n.meeting) return { meeting: n.form ?? "会议" };
  if (!n.form || n.meeting.includes(n.form)) return { meeting: n.meeting };
  if (findForm(n.meeting) || /会$/.test(n.meeting)) return { meeting: n.meeting, formMode: n.form };
  return { meeting: `${n.meeting}${n.form}` };
}

/** The lead names the speaker already ("…局长范志诚出席会议并讲话"): the attendees line does not name them again. */
function withoutSpeaker(attendees: string | undefined, speaker: string | undefined): string | undefined {
  if (!attendees || !speaker || !attendees.includes(speaker)) return attendees;
  const rest = attendees
    .split(/[，、；,;]/)
    .filter((a) => a.trim() && !a.includes(speaker))
    .join("，")
    .replace(/[。]$/, "");
  return rest || undefined;
}

/** Remarks shorter than this are run on into the previous paragraph. */
const SHORT_REMARK = 60;

/** The notes' own words (points, remarks, what was reported) in the written register; names and figures kept as written. */
function inRegister(register: Register | undefined, people: (string | undefined)[]) {
  return (s: string, point = false, us?: string) => {
    const keep = [...people.filter((p): p is string => !!p), ...findNameMentions(s).flatMap((m) => m.candidates)];
    return writtenRegister(s, register, { keep, point, us });
  };
}

/**
 * The organiser, when the speaker speaks for it (a bureau's own leader: no title, a bare 局长/副局长/书记, or a
 * title of that bureau): then the speaker's "我们" is that bureau. A speaker of another body (a police unit at a
 * joint meeting) keeps their 我们, which the notes do not resolve.
 */
function speaksFor(n: MeetingNotes): string | undefined {
  if (!n.organiser || !/局$/.test(n.organiser)) return undefined;
  const title = n.speaker?.title?.replace(/^(?:省局|市局|区局|县局|本局|我局)/, "");
  if (
    !title ||
    title.startsWith(n.organiser) ||
    /^(?:党组书记、)?(?:副?局长|党组(?:副)?书记|[一二三四]级巡视员|副?巡视员)$/.test(title)
  )
    return n.organiser;
  return undefined;
}

export function composeBulletin(
  notes: MeetingNotes,
  t: Templates,
  file = "prompts/draft-bulletin.md",
  register?: Register,
): Composed {
  const w = inRegister(register, [notes.speaker?.name, notes.chair?.name, notes.organiser, notes.coOrganisers]);
  const n: MeetingNotes = {
    ...notes,
    remarks: notes.remarks.map((r) => w(r, false, speaksFor(notes))),
    requirements: notes.requirements.map((r) => w(r, true, speaksFor(notes))),
    briefings: notes.briefings?.map((b) => (b.startsWith("〔数〕") ? "〔数〕" + w(b.slice(3)) : w(b))),
    // (the chair, a leader of the same bureau, speaks for it too)
    others: notes.others.map((o) =>
      w(
        o,
        false,
        notes.chair?.name && o.startsWith(notes.chair.name) ? speaksFor({ ...notes, speaker: notes.chair }) : undefined,
      ),
    ),
  };
  // points the notes jot before the requirements that only report what was done are the speaker's remarks
  while (n.requirements.length > 1 && DONE_POINT.test(n.requirements[0]!.trim()) && !MODAL.test(n.requirements[0]!))
    n.remarks.push(n.requirements.shift()!);
  const warnings: string[] = [];
  const miss = (what: string, label: string, effect: string) =>
    warnings.push(`笔记中未找到${what}（可写“${label}：”），${effect}`);
  const { meeting, formMode } = meetingName(n);
  if (!n.meeting) miss("会议名称", "会议", meeting ? "以会议形式代替会议名称。" : "标题和导语缺少会议名称。");
  if (!n.date) miss("会议时间", "时间", "导语未写日期。");
  if (!n.organiser) miss("主办单位", "主办", "标题和导语缺少主办单位。");
  else if (/^[\u4e00-\u9fff]{0,6}(?:省|市|县|区)局$/.test(n.organiser))
    warnings.push(`主办单位只写了简称“${n.organiser}”，笔记中没有全称，标题和导语照写简称，请核对。`);
  // a meeting name ending in 会/会议/班 already says what kind of meeting it was (周例会, 推进会)
  if (!n.form && !/(?:会|会议|班)$/.test(n.meeting ?? ""))
    miss("会议形式（如电视电话会议、座谈会）", "形式", "导语未写会议形式。");
  if (!n.speaker) miss("讲话人", "讲话", "以“会议”代替讲话人。");
  // (the lead names the speaker as attending: the warning says only that no one else is named)
  if (!n.attendees)
    miss(
      n.speaker ? "讲话人以外的出席领导" : "出席领导",
      "出席",
      n.speaker ? "导语只写了讲话人出席。" : "导语未写出席情况。",
    );
  if (!n.chair) miss("主持人", "主持", "导语未写主持人。");
  if (!n.remarks.length) miss("讲话指出的内容", "指出", "通稿缺少“指出”部分。");
  // (requirements said in running text, "他强调，要…", are in the draft as said: only the points are missing)
  const saidDemands = [...n.remarks, ...n.others, n.requirementsLead ?? ""].some((x) =>
    /(?:强调|要求)[，,：:]?/.test(x),
  );
  if (!n.requirements.length)
    miss(
      saidDemands ? "分条列出的要求" : "强调或要求的具体事项",
      "强调",
      saidDemands ? "要求按笔记原文成段写出，未分条。" : "通稿缺少分条要求。",
    );
  if (!n.participation.length) miss("参会情况（主会场、分会场）", "参会", "通稿未写参会情况。");
  // a bulletin is published by its organiser unless the notes say otherwise
  const source = n.source ?? n.organiser;
  if (!n.source)
    warnings.push(
      n.organiser
        ? `笔记中没有来源（可写“来源：”），来源行按主办单位“${n.organiser}”填写。`
        : "笔记中未找到来源（可写“来源：”），通稿未写来源行。",
    );

  const speaker = n.speaker?.name;
  const vars = {
    organiser: n.organiser,
    coOrganisers: n.coOrganisers,
    date: n.date ? houseDate(n.date) : undefined,
    place: n.place,
    meeting,
    formMode,
    purpose: n.purpose?.replace(/[。；;，,]+$/, ""),
    speaker,
    speakerTitle: fullTitle(n.speaker?.title, n.organiser, true),
    attendees: withoutSpeaker(
      withoutSpeaker(
        n.attendees && n.organiser && /局$/.test(n.organiser)
          ? n.attendees.replace(
              /(^|[，、；])(?:省局|市局|我局|本局)(?=[^，、；]*?(?:局长|巡视员|书记))/g,
              `$1${n.organiser}`,
            )
          : n.attendees,
        n.speaker?.name,
      ),
      n.chair?.name,
    ),
    chair: n.chair?.name,
    chairTitle: fullTitle(n.chair?.title, n.organiser, false),
    subtitle: n.subtitle ?? subtitleFromLead(n.requirementsLead),
  };
  const title = n.headline ?? section(t, "headline", vars, file);
  const paragraphs: string[] = [section(t, "lead", vars, file)];
  const who = speaker ?? "会议";
  let remarkParagraphs = 0;
  n.remarks.forEach((remark, i) => {
    const r = sentence(remark);
    // a remark that already names its speaker ("马军胜评价，…") is kept as written
    const named = speaker && r.startsWith(speaker);
    const prev = paragraphs[paragraphs.length - 1]!;
    if (i > 0 && !named && (r.length < SHORT_REMARK || prev.length < SHORT_REMARK)) {
      paragraphs[paragraphs.length - 1] = prev + r;
      return;
    }
    paragraphs.push(
      named
        ? r
        : section(
            t,
            remarkParagraphs === 0 ? "remark-first" : "remark-next",
            { ...vars, speaker: who, remark: r },
            file,
          ),
    );
    remarkParagraphs++;
  });
  if (n.requirements.length || n.requirementsLead) {
    const verb = n.requirementsVerb ?? "强调";
    const lead = n.requirementsLead ? sentence(n.requirementsLead) : undefined;
    paragraphs.push(
      lead && speaker && lead.startsWith(speaker)
        ? lead
        : lead
          ? section(t, "requirements-lead", { ...vars, speaker: n.requirementsBy ?? who, verb, lead }, file)
          : section(
              t,
              verb === "要求" ? "requirements-lead-demand" : "requirements-lead-default",
              { ...vars, speaker: n.requirementsBy ?? who, verb },
              file,
            ),
    );
    // ordinals the speaker used inside the remarks (kept verbatim) set the style, so the draft never mixes 一是 and 一要
    const quoted = checkNumbering([...n.remarks, ...n.others].join("\n")).styles;
    // (the meeting's own points, 会议要点, are points said of the meeting: 一是…)
    const st = style(
      t,
      n.ordinalStyle ?? (quoted.length === 1 ? quoted[0] : n.requirementsBy ? "是" : undefined),
      n.requirements,
    );
    n.requirements.forEach((point, i) => {
      paragraphs.push(
        section(
          t,
          "requirement",
          {
            ...vars,
            ...(n.requirements.length > 1 ? numbered(i + 1, st, point) : { ordinal: "", point: sentence(point) }),
          },
          file,
        ),
      );
    });
  }
  // what was reported: figures jotted as "件量：…" in one paragraph, reports by name in another
  const briefings = n.briefings ?? [];
  const facts = briefings.filter((b) => b.startsWith("〔数〕")).map((b) => b.slice(3));
  const told = briefings.filter((b) => !b.startsWith("〔数〕"));
  // ("X通报了…情况。X通报，…": the second sentence says what the first announced, one sentence)
  const briefing = told
    .map((b) => b.replace(/^会上[，,]?\s*/, ""))
    .map(sentence)
    .join("")
    .replace(/(([\u4e00-\u9fff]{2,4})(通报|汇报|介绍)[^。]*?)。\2\3[，,]/gu, "$1，");
  if (told.length) paragraphs.push(section(t, "briefing", { ...vars, briefing }, file));
  if (facts.length)
    paragraphs.push(
      section(
        t,
        "briefing-figures",
        { ...vars, figures: sentence(facts.map((f) => f.replace(/[。；;]+$/, "")).join("；")) },
        file,
      ),
    );
  if (n.reports.length) {
    // (reports that carry clauses of their own, "…的汇报，三季度共检查企业186家次", are parted by ；)
    const sep = n.reports.some((r) => /[，,]/.test(r)) ? "；" : (t.get("list-separator") ?? "、");
    paragraphs.push(
      section(t, "reports", { ...vars, reports: n.reports.map((r) => r.replace(/[。；;，,]+$/, "")).join(sep) }, file),
    );
  }
  for (const other of n.others)
    paragraphs.push(
      section(
        t,
        "other",
        { ...vars, other: sentence(innerLabel(other).replace(/^(.{2,12}?(?:要求|补充|强调|指出))[:：]/, "$1，")) },
        file,
      ),
    );
  if (n.participation.length) {
    const sep = t.get("participation-separator") ?? "，";
    paragraphs.push(
      section(
        t,
        "participation",
        { ...vars, participation: n.participation.map((p) => participationText(p)).join(sep) },
        file,
      ),
    );
  }
  if (source) paragraphs.push(section(t, "source", { ...vars, source }, file));
  return { title, paragraphs: paragraphs.filter((p) => p.trim()), warnings };
}

/** "各级…要坚决落实“打一仗、进一步”要求，以…为契机，…" → "坚决落实“打一仗、进一步”要求" (speaker's words). */
function subtitleFromLead(lead: string | undefined): string | undefined {
  if (!lead || /以下|方面的?工作|几个方面|指出|强调|要求|[：:]$/.test(lead)) return undefined;
  const first = lead.split(/[，,。；]/)[0] ?? "";
  const m = first.match(/^[^“”]{0,14}?要(.+)$/);
  const s = (m ? m[1]! : first).trim();
  return s.length >= 6 && s.length <= 30 ? s : undefined;
}

export function composeSummary(
  notes: SummaryNotes,
  t: Templates,
  file = "prompts/draft-summary.md",
  register?: Register,
): Composed {
  const w = inRegister(register, [notes.unit]);
  // a summary speaks in the unit's own voice: its 我们 is 我局
  const us = notes.unit && /局$/.test(notes.unit) ? "我局" : undefined;
  const n: SummaryNotes = {
    ...notes,
    achievements: notes.achievements.map((x) => w(x, true, us)),
    problems: notes.problems.map((x) => w(x, false, us)),
    nextSteps: notes.nextSteps.map((x) => w(x, true, us)),
    overview: notes.overview && w(notes.overview, false, us),
  };
  const warnings: string[] = [];
  const miss = (what: string, label: string, effect: string) =>
    warnings.push(`笔记中未找到${what}（可写“${label}：”），${effect}`);
  if (!n.unit) miss("单位", "单位", "标题和开头缺少单位名称。");
  if (!n.period) miss("总结期间", "期间", "未写总结期间。");
  if (!n.subject) miss("工作主题", "工作", "标题只写“工作总结”。");
  if (!n.achievements.length) miss("主要成绩", "成绩", "总结缺少“主要工作和成效”部分。");
  if (!n.nextSteps.length) miss("下一步工作", "下一步", "总结缺少“下一步工作安排”部分。");
  const vars = {
    unit: n.unit,
    period: n.period,
    subject: n.subject,
    subjectOrWork: n.subject ?? "各项工作",
    overview: n.overview ? sentence(n.overview) : undefined,
    kind: n.kind ?? "总结",
  };
  const headVars = { ...vars, subject: n.subject?.replace(/工作$/, "") };
  const title = n.headline ?? section(t, "headline", headVars, file);
  const paragraphs: string[] = [];
  // "一季度，全市…" already opens with the period: the opening does not say it twice
  const opening = section(
    t,
    "opening",
    n.period && n.overview?.startsWith(n.period) ? { ...vars, period: undefined } : vars,
    file,
  );
  if (opening.replace(/[，,。]/g, "").trim()) paragraphs.push(opening);
  const st = style(t, n.ordinalStyle);
  const headings = ["一", "二", "三", "四"];
  let h = 0;
  const list = (items: string[], heading: string, lead: string, item: string) => {
    if (!items.length) return;
    paragraphs.push(section(t, heading, { ...vars, heading: headings[h++] }, file));
    paragraphs.push(section(t, lead, vars, file));
    items.forEach((x, i) => {
      const { ordinal: o, point } = numbered(i + 1, st, x);
      // a single item is not numbered ("一是…" with no 二是 reads as a slip)
      paragraphs.push(
        section(
          t,
          item,
          { ...vars, ordinal: items.length > 1 ? o : "", item: items.length > 1 ? point : sentence(innerLabel(x)) },
          file,
        ),
      );
    });
  };
  list(n.achievements, "achievements-heading", "achievements-lead", "achievement");
  list(n.problems, "problems-heading", "problems-lead", "problem");
  list(n.nextSteps, "next-steps-heading", "next-steps-lead", "next-step");
  if (n.signoff?.length) paragraphs.push(section(t, "signoff", { ...vars, signoff: n.signoff.join("，") }, file));
  if (n.date)
    paragraphs.push(
      section(
        t,
        "date",
        { ...vars, date: `${n.date.year ? `${n.date.year}年` : ""}${n.date.month}月${n.date.day}日` },
        file,
      ),
    );
  if (n.source) paragraphs.push(section(t, "source", { ...vars, source: n.source }, file));
  return { title, paragraphs: paragraphs.filter((p) => p.trim()), warnings };
}
