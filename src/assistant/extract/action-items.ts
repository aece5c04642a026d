/**
 * Action items: a numbered point or a sentence with an obligation (要, 须, 应当, 务必, 请…于…前,
 * 报送, 落实, 将于…) or a deadline. Each carries its owner (the item's own subject — 各寄递企业要…,
 * 市局将于… — else the subject of the point it belongs to, else the header addressees), the action
 * as a short phrase, and the deadline that bounds it.
 * Hand-written rules: no Chinese NLP package on npm does obligation/subject extraction offline.
 */
import type { NoticeLine } from "./notice.js";
import { resolveTimes } from "./resolve-times.js";
import { sentenceAround, sentenceStart } from "./timex/ranges.js";
import type { ActionItem, Deadline, TimeExpression, TimeKind } from "./types.js";

/** Words that make a sentence an obligation by themselves. */
const OBLIGATION =
  /(?<![重主纲摘概只需想])要(?![求点素闻件害么])|须|需要|应当|应(?![用急对该有变])|务必|必须|请|将于|将在/;
/** Verbs that make an obligation only with an owner or a deadline ("报送不及时" in background is none). */
const WEAK_OBLIGATION =
  /报送|上报|落实|确保|负责|提交|报至|抓紧|尽快|开展|组织|组成|完成|制定|建立|实行|实施|召开|举办|部署|张贴|公示|督促|指导|核查|检查|排查|整改|报告/;
/** Sentences that state a fact about a period, not a task: the holiday arrangement, make-up days, last year's figures. */
const BACKGROUND =
  /(?:放假|假期|休假)(?:时间|安排)?(?:为|是|从)|[（(]星期[六日天][）)][^，,。；]*上班|同比(?:增长|下降)|^(?:去年|上年|往年|以往|历年|[0-9]{4}年[^，,。；]{0,20}(?:期间|以来))/;
const SUBJECT_END =
  "(?:管理局|邮政局|市局|省局|总局|国家局|局|厅|委员会|委|政府|企业|公司|集团|单位|部门|中心|网点|总部|机构|协会|处|科|室|办公室|小组|专班|站|所|队|各地|人员|分公司|子公司|营业部)";
const SUBJECT = new RegExp(
  `^(?:请|由|要求)?((?:各|全省|全市|全国|省|市|县|区|本|我|国家|有关|相关)?[\\u4e00-\\u9fa5、和及与（）()]{0,16}?${SUBJECT_END})(?=要|须|需|应|务必|必须|将|于|在|负责|按|请|可|统一|认真|对|把|立即|切实|及时|全面|进一步|尽快|加快|组织|做好|开展|报送|完成|落实|向|会同|联合|配合|牵头|自行|每|一律|不得|严禁|要在|确保|加强|抓紧|自|从|结合|对照|通过|根据|按照|利用|实行|召开|制定|建立|张贴|公示|督促|指导|核查|检查|排查|汇总|报|组成|确定|修订|决定)`,
);
const MODAL = /^(?:要|须|需|需要|应当|应|务必|必须|请|负责|切实|认真|统一|进一步|决定|经研究)+/;
const DEADLINE_PRIORITY: Record<TimeKind, number> = { before: 0, within: 1, recurring: 2, span: 3, after: 4, point: 5 };

export interface ActionOptions {
  /** Default owners (the header addressees); "" when the notice has none. */
  defaultOwner: string;
  /** Longest action phrase kept (characters). */
  maxActionLength?: number;
}

/** Split a line into sentences (。；！？), keeping each sentence's offset. */
function sentences(line: NoticeLine): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  const re = /[^。；！？;]+[。；！？;]?/g;
  for (let m = re.exec(line.text); m; m = re.exec(line.text)) {
    const t = m[0].trim();
    if (t) out.push({ text: t, index: line.index + m.index + (m[0].length - m[0].trimStart().length) });
  }
  return out;
}

/** The subject at the start of any clause of the text (after a leading time or purpose clause). */
export function findSubject(text: string): string | null {
  const body = text.replace(
    /^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、]|[一二三四五六七八九十]+是)\s*/,
    "",
  );
  for (const clause of body.split(/[，,：:]/)) {
    const m = SUBJECT.exec(clause.trim());
    if (!m) continue;
    // "假期期间各寄递企业": the subject starts at the last 各.
    const at = m[1]!.lastIndexOf("各");
    const subject = at > 0 ? m[1]!.slice(at) : m[1]!;
    // "督促企业做好…": a verb and its object, not a subject.
    if (/^(?:督促|指导|要求|推动|组织|加强|确保|协调|帮助|引导|鼓励|支持|推进|会同|联合)/.test(subject)) continue;
    return subject;
  }
  return null;
}

/** The short action phrase: the clause(s) after the owner and the modal verb, without the time words. */
export function actionPhrase(
  text: string,
  owner: string | null,
  times: TimeExpression[],
  sentenceIndex: number,
  max = 60,
): string {
  let s = text;
  // Blank out the times that say when (deadlines, 于/在 + time); keep those that name the object (本周活动情况).
  const chars = [...s];
  for (const t of times) {
    const rel = t.index! - sentenceIndex;
    const lead = text.slice(Math.max(0, rel - 2), rel);
    const when = t.kind !== "span" && t.kind !== "point" ? true : /[于在自从至到]$|^$|[，,]$/.test(lead) || rel <= 0;
    if (!when) continue;
    const from = t.index! - sentenceIndex;
    for (let i = Math.max(0, from); i < Math.min(chars.length, from + t.text.length); i++) chars[i] = "\u0000";
  }
  s = chars.join("").replace(/(?:于|在|自|从|截至|截止|最迟|不晚于|到)?\u0000+(?:前|之前|以前|起|内|止)?/g, "\u0000");
  s = s.replace(
    /^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、]|[一二三四五六七八九十]+是)\s*/,
    "",
  );
  if (owner) {
    const at = s.indexOf(owner);
    if (at >= 0) s = s.slice(at + owner.length);
  }
  s = s.replace(/^[\u0000，,、：:\s]+/, "");
  s = s
    .replace(MODAL, "")
    .replace(/^将(?=\u0000)/, "")
    .replace(/^[\u0000，,、：:\s]+/, "")
    .replace(MODAL, "");
  s = s.replace(/\u0000/g, "").replace(/^(?:于|在|要在|须在)/, "");
  s = s
    .replace(/^[，,、：:\s]+/, "")
    .replace(/[，,、]{2,}/g, "，")
    .replace(/[。；！？;，,\s]+$/, "");
  // A clause left with one or two characters once its time is gone ("…，数据截至2月4日24时") says nothing.
  s = s.replace(/[，,][\u4e00-\u9fa5]{1,2}$/, "");
  if ([...s].length > max) s = `${[...s].slice(0, max).join("")}…`;
  return s;
}

/** A recurrence with nothing to be due by (每周开展一次, 实行每日报告) is a frequency, not a deadline, unless a period bounds it. */
const BARE_RECURRENCE = /^每(?:个)?(?:日|天|周|星期|月|季度|季|年|半年|个?工作日)$/;

function pickDeadline(times: TimeExpression[], text: string, ref?: string): TimeExpression | null {
  const bounded = (t: TimeExpression) =>
    times.some((x) => x.index! < t.index! && (x.kind === "span" || x.kind === "after") && x.start);
  const usable = times.filter(
    (t) =>
      (t.end !== null || t.start !== null) &&
      deadlineLike(t, text, ref) &&
      !(t.kind === "recurring" && BARE_RECURRENCE.test(t.text) && !bounded(t)),
  );
  if (!usable.length) return null;
  const best = [...usable].sort(
    (a, b) => DEADLINE_PRIORITY[a.kind] - DEADLINE_PRIORITY[b.kind] || a.index! - b.index!,
  )[0]!;
  // Only a period stated before the recurrence bounds it ("春节期间，每日…报送"); one after it is the
  // report's subject ("每周五前报送本周情况").
  if (best.kind === "recurring")
    return boundRecurring(
      best,
      times.filter(
        (t) =>
          (((t.kind === "span" || t.kind === "point") && t.start && t.end) || (t.kind === "after" && t.start)) &&
          t.index! < best.index! &&
          !/^截至/.test(t.text),
      ),
    );
  return best;
}

/** Times that can bound an action: not a cut-off "as of" (截至…) and not inside a document title (《2025年…要点》). */
function deadlineLike(t: TimeExpression, text: string, ref?: string): boolean {
  if (/^截至/.test(t.text)) return false;
  const before = text.slice(0, t.index!);
  if (before.lastIndexOf("《") > before.lastIndexOf("》")) return false;
  // "把春节期间寄递服务保障作为…": the period is the object, not when.
  if (/[把将]$/.test(before)) return false;
  // A whole year named alone (2023年, 今年) says which year, not by when.
  if (
    t.kind === "span" &&
    t.start &&
    t.end &&
    t.start.slice(5, 10) === "01-01" &&
    t.end.slice(5, 10) === "12-31" &&
    !/前|底|末/.test(t.text)
  )
    return false;
  // What ended before the notice was issued is background (last year's activity, a cut-off already past).
  if (ref && (t.end ?? t.start) && datePart((t.end ?? t.start)!) < ref) return false;
  return true;
}
const datePart = (s: string) => s.slice(0, 10);

const ACTIVITY_PERIOD = /(?:活动|检查|行动|整治|培训|督导|宣传)(?:时间|期间)[：:为\s]*$/;

const isDeadlineKind = (t: TimeExpression) =>
  (t.kind === "before" || t.kind === "within" || t.kind === "recurring") && !/^截至/.test(t.text);

/**
 * A recurring deadline inside a period in the same item ("春节假期期间…每日17时前报送") starts with that
 * period and ends with it: first occurrence re-resolved from the period's start, UNTIL its end.
 */
function boundRecurring(rec: TimeExpression, periods: TimeExpression[]): TimeExpression {
  // "元旦、春节期间": from the earliest start to the latest end of the periods named with it.
  const starts = periods
    .map((t) => t.start?.slice(0, 10))
    .filter((x): x is string => !!x)
    .sort();
  const ends = periods
    .map((t) => t.end?.slice(0, 10))
    .filter((x): x is string => !!x)
    .sort();
  if (!starts.length || !rec.recurrence) return rec;
  const span = { start: starts[0]!, end: ends[ends.length - 1] ?? null };
  const spanStart = span.start;
  let out: TimeExpression = rec;
  if (rec.start && spanStart > rec.start.slice(0, 10)) {
    const again = resolveTimes(rec.text, spanStart).find((t) => t.kind === "recurring");
    if (again) out = { ...rec, start: again.start, end: again.end };
  }
  if (span.end && !/UNTIL=/.test(rec.recurrence))
    out = { ...out, recurrence: `${rec.recurrence};UNTIL=${span.end.slice(0, 10).replace(/-/g, "")}` };
  return out;
}

/** Owners that give orders when they open a sentence: 各市局…, 省局…, 国家局…. */
const DIRECTIVE = /^(?:各|省局|市局|区局|县局|国家局|总局|省邮政管理局|市邮政管理局)/;

const isBackground = (sentence: string, ref?: string) => {
  const s = sentence.replace(/^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十0-9]+[）)])\s*/, "");
  // "2023年宣传月活动于6月30日结束后，…": a sentence that opens with an earlier year tells what happened.
  const year = /^((?:19|20)[0-9]{2})年/.exec(s);
  return BACKGROUND.test(s) || (!!ref && !!year && Number(year[1]) < Number(ref.slice(0, 4)));
};

interface Piece {
  text: string;
  index: number;
  subject: string | null;
  times: TimeExpression[];
}

/**
 * Group the clauses of a sentence into items: a clause with its own subject, or a second deadline,
 * starts a new item; a clause that is only a time ("会议结束后5个工作日内，") belongs to the next one.
 */
function pieces(text: string, index: number, times: TimeExpression[]): Piece[] {
  const clauses: { text: string; index: number }[] = [];
  const re = /[^，,]+[，,]?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) clauses.push({ text: m[0], index: index + m.index });
  const timesIn = (c: { text: string; index: number }) =>
    times.filter((t) => t.index! >= c.index && t.index! < c.index + c.text.length);
  const out: Piece[] = [];
  let cur: Piece | null = null;
  let pending: { text: string; index: number } | null = null;
  for (const cl of clauses) {
    const ts = timesIn(cl);
    let content = cl.text;
    for (const t of ts) content = content.replace(t.text, "");
    if (
      content.replace(/[^\u4e00-\u9fa5]/g, "").replace(/^(?:于|在|自|从|截至|截止|最迟)|(?:前|之前|起|内)$/g, "")
        .length < 2
    ) {
      pending = pending ? { text: pending.text + cl.text, index: pending.index } : cl;
      continue;
    }
    const whole = pending ? { text: pending.text + cl.text, index: pending.index } : cl;
    pending = null;
    const subject = findSubject(cl.text);
    const hasDeadline = timesIn(whole).some(isDeadlineKind);
    const curObliged = cur ? OBLIGATION.test(cur.text) || cur.times.some(isDeadlineKind) : false;
    // "…要保障网点正常营业，并于节后2个工作日内将…报市局": 并/同时 + a deadline of its own is a second item.
    const joined = /^(?:并|同时|再|且|还要|并且)/.test(cl.text.trim()) && (cur?.times.length ?? 0) > 0;
    const startNew =
      !cur ||
      (subject !== null && (cur.subject !== null || curObliged)) ||
      (hasDeadline && (cur.times.some(isDeadlineKind) || joined));
    if (startNew) {
      if (cur) out.push(cur);
      cur = { text: whole.text, index: whole.index, subject, times: timesIn(whole) };
    } else {
      cur!.text += whole.text;
      cur!.times.push(...timesIn(whole));
      cur!.subject ??= subject;
    }
  }
  if (pending) {
    if (cur) {
      cur.text += pending.text;
      cur.times.push(...timesIn(pending));
    } else cur = { text: pending.text, index: pending.index, subject: null, times: timesIn(pending) };
  }
  if (cur) out.push(cur);
  return out;
}

export function extractActions(
  body: NoticeLine[],
  times: TimeExpression[],
  opts: ActionOptions & { text: string; ref?: string },
): { actions: ActionItem[]; deadlines: Deadline[] } {
  const actions: ActionItem[] = [];
  const deadlines: Deadline[] = [];
  let pointOwner: string | null = null;
  const ref = opts.ref;
  const current = (t: TimeExpression) =>
    t.kind === "span" &&
    !!t.start &&
    !!t.end &&
    (!ref || t.end.slice(0, 10) >= ref) &&
    !isBackground(sentenceAround(opts.text, t.index!));
  // The notice's own period ("一、活动时间\n2024年6月1日至6月30日", "省局决定于5月6日至5月31日开展…活动"):
  // recurring reports of 活动期间 (or without a period of their own) run within it.
  const wholeYear = (t: TimeExpression) =>
    !!t.start && !!t.end && t.start.slice(5) === "01-01" && t.end.slice(5) === "12-31";
  const period = times.find(
    (t) => current(t) && ACTIVITY_PERIOD.test(opts.text.slice(Math.max(0, t.index! - 12), t.index!)),
  );
  const activity = times.find(
    (t) =>
      current(t) &&
      !wholeYear(t) &&
      /(?:决定|将于|定于)[^。；]*(?:开展|举办|举行|组织)[^，,。；]{0,20}(?:活动|行动|宣传月|大检查|检查|整治)/.test(
        sentenceAround(opts.text, t.index!),
      ),
  );
  // The holiday the notice is about ("国庆节放假时间为10月1日至7日"): 假期期间 / 节日期间 run within it.
  const holiday = times.find(
    (t) =>
      t.kind === "span" &&
      !!t.start &&
      !!t.end &&
      (!ref || t.end.slice(0, 10) >= ref) &&
      /放假|假期|节日|节假日|春节|国庆|元旦|端午|中秋|清明|劳动节/.test(
        t.text + sentenceAround(opts.text, t.index!).slice(0, 30),
      ) &&
      !/去年|上年|往年/.test(
        sentenceAround(opts.text, t.index!).slice(0, Math.max(0, t.index! - sentenceStart(opts.text, t.index!))),
      ),
  );
  for (const line of body) {
    if (line.number) pointOwner = null;
    // A heading ("三、实行每日报告") names a part of the notice; its words are no task.
    if (line.number && !/[。；，,：:！？]/.test(line.text) && [...line.text].length <= 20) continue;
    // A time stated in the point but outside any item (二、集中整治阶段（11月中旬至12月中旬）。) bounds
    // the point's items that carry no deadline of their own.
    let pointTimes: TimeExpression[] = [];
    for (const sent of sentences(line)) {
      const inSentence = times.filter((t) => t.index! >= sent.index && t.index! < sent.index + sent.text.length);
      const dated = inSentence.some((t) => deadlineLike(t, opts.text, ref) && (t.start || t.end));
      // A sentence that opens with an earlier year is background unless it sets a time still to come.
      if (isBackground(sent.text) || (!dated && isBackground(sent.text, ref))) continue;
      // "经研究，国家局决定在全行业开展…": the notice's purpose; a task only when it says when.
      if (/决定/.test(sent.text) && !dated && !OBLIGATION.test(sent.text.replace(/决定/g, ""))) continue;
      const strong = OBLIGATION.test(sent.text) || DIRECTIVE.test(findSubject(sent.text) ?? "");
      const weak =
        WEAK_OBLIGATION.test(sent.text) && (findSubject(sent.text) !== null || inSentence.some(isDeadlineKind));
      const bare = sent.text.replace(/[。；！？;\s]+$/, "");
      const leadIn = /(?:通知如下|如下)[：:]?$/.test(bare) || /^[^，,]{0,20}[：:]$/.test(bare);
      if ((!strong && !weak && !inSentence.some(isDeadlineKind)) || leadIn) {
        if (line.number && !leadIn)
          pointTimes = inSentence.filter(
            (t) => (t.kind === "span" || t.kind === "before") && t.end && deadlineLike(t, opts.text, ref),
          );
        continue;
      }
      const obliged = strong || weak;
      let previousOwner: string | null = null;
      for (const p of pieces(sent.text, sent.index, inSentence)) {
        const pieceObliged =
          OBLIGATION.test(p.text) ||
          WEAK_OBLIGATION.test(p.text) ||
          DIRECTIVE.test(p.subject ?? "") ||
          p.times.some(isDeadlineKind) ||
          (obliged && previousOwner !== null);
        if (!pieceObliged) continue;
        const own = p.subject ?? findSubject(p.text);
        const owner: string = own ?? previousOwner ?? pointOwner ?? opts.defaultOwner;
        if (own && !pointOwner) pointOwner = own;
        previousOwner = owner;
        const action = actionPhrase(p.text, own, p.times, p.index, opts.maxActionLength);
        if (!action) continue;
        let deadline =
          pickDeadline(p.times, opts.text, ref) ?? (pointTimes.length ? pointTimes[pointTimes.length - 1]! : null);
        if (deadline?.kind === "recurring" && !/UNTIL=/.test(deadline.recurrence ?? "")) {
          // 假期期间，…每日17时前报送: within the holiday; 活动期间: within the activity; else the notice's period.
          const clause = opts.text.slice(sentenceStart(opts.text, p.index), deadline.index!);
          const within = /(?:假期|节日|节假日|放假)期间/.test(clause)
            ? holiday
            : /(?:活动|行动|检查|宣传月|整治)期间/.test(clause)
              ? (activity ?? period)
              : period;
          if (within) deadline = boundRecurring(deadline, [within]);
        }
        actions.push({
          text: p.text.trim().replace(/[，,]$/, ""),
          owner,
          action,
          deadline: deadline ? { start: deadline.start, end: deadline.end } : null,
        });
        if (deadline) deadlines.push({ ...deadline, item: action, owner });
      }
    }
  }
  return { actions, deadlines };
}
