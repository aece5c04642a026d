/** Contract types for `draft` (../shared/CLI-CONTRACT.md, "Draft"). */

export type DraftForm = "bulletin" | "summary";

export interface DraftResponse {
  title: string;
  text: string;
  warnings: string[];
  /** Extensions. */
  form?: DraftForm;
  via?: "template" | "llm";
  /** Extension: facts in the draft that are not in the notes (empty when the draft is faithful). */
  violations?: FidelityViolation[];
}

/** One person named in the notes, with the title the notes give them (possibly empty). */
export interface Person {
  name: string;
  title: string;
}

/** What the notes say about a meeting, as found (every field optional: missing ones become warnings). */
export interface MeetingNotes {
  /** Explicit headline from the notes (标题:), used as is. */
  headline?: string;
  /** Meeting name as written in the notes ("抗战胜利70周年……总结电视电话会议"). */
  meeting?: string;
  /** The date as written in the notes, and its parts (end: last day of a span such as 9月28日至29日). */
  date?: { text: string; year?: number; month: number; day: number; end?: { month: number; day: number } };
  place?: string;
  /** 电视电话会议, 座谈会, …: from 形式: or found in the meeting name / text. */
  form?: string;
  /** Who held the meeting (国家邮政局). */
  organiser?: string;
  /** Co-organisers (会同…). */
  coOrganisers?: string;
  /** Purpose clause (目的/主旨): "全面总结……，鼓舞干劲". */
  purpose?: string;
  /** Main speaker. */
  speaker?: Person;
  /** Other leaders attending (出席), as written ("局领导王梅、赵晓光、邢小江"). */
  attendees?: string;
  chair?: Person;
  /** Speaker's observations (指出), in the speaker's wording, one paragraph each. */
  remarks: string[];
  /** Lead sentence of the requirements (强调/要求: text on the label line). */
  requirementsLead?: string;
  /** The verb the notes use for the requirements: 强调 or 要求 (default 强调). */
  requirementsVerb?: string;
  /** Who the numbered points are by when not the speaker (会议: the notes' 会议要点). */
  requirementsBy?: string;
  /** Numbered requirements, ordinals stripped, speaker's wording kept. */
  requirements: string[];
  /** Ordinal style found in the notes' own requirements ("要" for 一要, "是" for 一是), if any. */
  ordinalStyle?: "要" | "是";
  /** Reports heard (听取). */
  reports: string[];
  /** Other sessions / activities (会上/另外), other people's requirements (会议由…主持的人要求…). */
  others: string[];
  /** What was reported at the meeting (通报, 汇报, 交流发言), each as the notes tell it. */
  briefings?: string[];
  /** Where people attended from (参会/分会场). */
  participation: string[];
  source?: string;
  /** Sub-headline highlight (副题/主题句). */
  subtitle?: string;
}

/** What the notes say for a work summary (工作总结). */
export interface SummaryNotes {
  headline?: string;
  /** Unit whose work is summarised (单位). */
  unit?: string;
  /** Period covered (时期/期间/年度): "2024年", "今年以来". */
  period?: string;
  /** Subject (工作/主题): "寄递渠道安全监管工作". */
  subject?: string;
  /** Overall assessment (总体/概述). */
  overview?: string;
  achievements: string[];
  problems: string[];
  nextSteps: string[];
  ordinalStyle?: "要" | "是";
  source?: string;
  date?: { text: string; year?: number; month: number; day: number };
  /** Who wrote and checked it (填报/审核/执笔), as "办公室于慧填报". */
  signoff?: string[];
  /** 总结 or 小结, as the notes name the paper. */
  kind?: string;
}

export type FactKind = "date" | "number" | "person" | "organisation";

export interface FidelityViolation {
  kind: FactKind;
  /** The fact as written in the draft. */
  text: string;
  /** The sentence of the draft it occurs in. */
  sentence: string;
}

export interface StyleExample {
  title: string;
  text: string;
}

export interface DraftOptions {
  form?: DraftForm;
  signal?: AbortSignal;
}
