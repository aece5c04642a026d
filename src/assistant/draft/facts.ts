/**
 * The facts a model drafts from: the parsed notes (parse-notes.ts, after clean-notes.ts) written out as
 * labelled lines in house order, plus the list of people, figures, dates and units the draft must carry.
 * The model never sees the notes' own form (dashes, emoji, fillers, shorthand), only what they say.
 */
import { houseDate } from "./house-date.js";
import { lostFacts } from "./fidelity.js";
import type { MeetingNotes, Person, SummaryNotes } from "./types.js";

const who = (p: Person | undefined) => (p ? `${p.title ?? ""}${p.name}` : undefined);

function lines(entries: [string, string | string[] | undefined][]): string {
  const out: string[] = [];
  for (const [label, v] of entries) {
    if (!v || (Array.isArray(v) && !v.length)) continue;
    if (Array.isArray(v)) out.push(`${label}：`, ...v.map((x, i) => `  ${i + 1}. ${x}`));
    else out.push(`${label}：${v}`);
  }
  return out.join("\n");
}

export function meetingFacts(n: MeetingNotes): string {
  return lines([
    ["主办单位", n.organiser],
    ["会同单位", n.coOrganisers],
    ["会议名称", n.meeting],
    ["会议形式", n.form],
    ["日期", n.date ? houseDate(n.date) : undefined],
    ["地点", n.place],
    ["会议目的", n.purpose],
    ["讲话人", who(n.speaker)],
    ["出席领导", n.attendees],
    ["主持人", who(n.chair)],
    ["讲话人指出", n.remarks],
    [`讲话人${n.requirementsVerb ?? "强调"}（导语）`, n.requirementsLead],
    [`讲话人${n.requirementsVerb ?? "强调"}（按顺序分条）`, n.requirements],
    ["会上通报、汇报、发言", n.briefings],
    ["会议听取的汇报", n.reports],
    ["其他人的讲话和会议要求", n.others],
    ["参会情况", n.participation],
    ["来源", n.source ?? n.organiser],
  ]);
}

export function summaryFacts(n: SummaryNotes): string {
  return lines([
    ["单位", n.unit],
    ["期间", n.period],
    ["工作主题", n.subject],
    ["文种", n.kind ?? "总结"],
    ["总体情况", n.overview],
    ["主要工作和成效（按顺序分条）", n.achievements],
    ["存在的问题", n.problems],
    ["下一步工作", n.nextSteps],
    ["填报、审核", n.signoff?.join("，")],
    ["日期", n.date ? `${n.date.year ? `${n.date.year}年` : ""}${n.date.month}月${n.date.day}日` : undefined],
    ["来源", n.source],
  ]);
}

/** The people, figures, dates and units of the notes (what lostFacts checks), one list. */
export function mustKeep(notes: string): string {
  return lostFacts("", notes)
    .map((f) => f.text)
    .join("、");
}
