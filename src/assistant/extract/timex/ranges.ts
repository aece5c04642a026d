/**
 * Ranges and open ends, built from the atoms the rules found, plus year inference.
 *
 * - spans: 自11月1日至11月20日, 11月25日—12月5日, 即日起至6月30日 (from the issue date), 5月8日起至…止,
 *   1月10日至春节前 (to the day before the holiday);
 * - open ends: 11月30日前 / 之前 / 以前 / 为止 / 下班前, 截至11月30日, 不晚于… → "before" (start null);
 *   5月8日起 / 以后 / 之后 / 以来, 自…起 / 开始 → "after" (end null). X前 ends at the end of X
 *   (6月底前 → 6-30, 明年6月之前 → the end of June), except holidays: 春节前 → the day before the break;
 * - 当天/次日 right after a date refer to that date;
 * - durations counted from another time (会议结束后5个工作日内, 培训结束后，…15日内, 节后5个工作日内):
 *   the event's own time in the notice (a span first, else the latest), the issue date when the event
 *   is the notice itself, and no date at all (start = end = null) when the notice does not date the
 *   event (收到申诉后7日内, 遇极端天气…2小时内);
 * - year inference for expressions without a year (`pickYearNumber`): deadlines ("before", a span's
 *   end after 即日起, dates announced with 将于/定于) take the first year whose date is not before the
 *   issue date (2023-12-20 + 1月5日前 → 2024-01-05; 截至9月30日, a cut-off usually already past, allows
 *   a quarter back); a year written earlier in the same sentence wins (2023年，…3月); other dates take
 *   the issue year unless they would be more than half a year away (nine months for periods) and
 *   another year is closer.
 * Hand-written: this is the part of the grammar no recogniser we could find handles for Chinese.
 */
import { addDays, datePart, diffDays } from "./calendar.js";
import type { Atom, Interval } from "./atom.js";
import type { TimeExpression, TimeKind } from "../types.js";

export type PlacedAtom = Atom & { text: string };

type YearMode = "near" | "forward" | "back";

export function pickYear(atom: Atom, ref: string, mode: YearMode, graceDays = 0): Interval {
  if (atom.choose) return atom.choose(mode);
  return atom.at(pickYearNumber(atom, ref, mode, graceDays));
}

/** The year `pickYear` resolves the atom with (the issue year for atoms that carry their own). */
export function pickYearNumber(atom: Atom, ref: string, mode: YearMode, graceDays = 0): number {
  const ry = Number(ref.slice(0, 4));
  if (!atom.yearless) return ry;
  const candidates = [ry - 1, ry, ry + 1];
  if (mode === "back") {
    // A report of what happened: the latest such date on or before the issue date.
    for (const y of [ry + 1, ry, ry - 1]) if (datePart(atom.at(y).start) <= ref) return y;
    return ry - 1;
  }
  if (mode === "forward") {
    const floor = addDays(ref, -graceDays);
    for (const y of candidates) {
      const end = atom.before ? atom.before(y) : atom.at(y).end;
      if (datePart(end) >= floor) return y;
    }
    return ry + 1;
  }
  const distance = (iv: Interval) => {
    const s = datePart(iv.start);
    const e = datePart(iv.end);
    if (ref < s) return diffDays(ref, s);
    if (ref > e) return diffDays(e, ref);
    return 0;
  };
  const own = atom.at(ry);
  // The issue year, unless the date would lie more than half a year behind the issue date (nine months for
  // periods such as 一季度: a December notice's 1月10日 is next January's) or eleven months ahead of it (a
  // January notice's 12月28日 is the one just past); then the nearest.
  const behind = datePart(own.end) < addDays(ref, -(atom.type === "period" ? 270 : 183));
  const ahead = datePart(own.start) > addDays(ref, 330);
  if (!behind && !ahead) return ry;
  return [...candidates].sort((a, b) => distance(atom.at(a)) - distance(atom.at(b)))[0]!;
}

/** Re-resolve an end atom relative to a start: same year as the start, or the next when it would come before it. */
function endAfter(atom: Atom, start: string, ref: string): Interval {
  if (!atom.yearless) return atom.at(Number(ref.slice(0, 4)));
  const sy = Number(start.slice(0, 4));
  const iv = atom.at(sy);
  return datePart(iv.end) < datePart(start) ? atom.at(sy + 1) : iv;
}

const SPAN_GAP = /^\s*(?:起)?\s*(?:至|到|[-—–~～－―]+)\s*$/;
const SPAN_PREFIX = /(?:自|从|由)\s*$/;
const SPAN_SUFFIX = /^(?:止|为止)/;
const BEFORE_PREFIX =
  /(?:截至|截止到|截止至|截止(?:日期|时间)?(?:为|是)?[:：]?|不迟于|不晚于|不超过|最迟于|最迟在|最迟|最晚|到|至)\s*$/;
const BEFORE_SUFFIX = /^(?:[（(]含[）)])?(?:下班前|下班之前|之前|以前|前(?![后期夕列沿三五十])|为止|止)/;
const AFTER_SUFFIX = /^(?:[（(]含[）)])?(?:起|以后|之后|以来|后(?![天续期]))/;
/** "开始" opens an interval only after 自/从 (自11月1日开始); "上午9时开始" is the start of an event. */
const AFTER_START = /^开始/;
const AFTER_PREFIX = /(?:自|从)\s*$/;
const FUTURE_PREFIX = /(?:将于|将在|定于|拟于|计划于|预计于|拟在|计划在)\s*$/;

/** A sentence that reports what happened (已完成, 开展了, 曾): its dates without a year lie before the issue date. */
const PAST = /已(?!经?(?:于|在)?(?:将|要))|(?<![为除])了(?![解结])|曾经?|此前|先前|日前/;
/** A sentence that says what is to be done (a notice speaks of what is coming): the next such date. */
const COMING = /要|须|务必|必须|应当|应(?![用急对该有])|请|将|拟|计划|预计|定于|安排|部署/;

/**
 * Which year (or month) a date without one takes: the next one in a sentence that announces or requires
 * (将于, 要, 请…), the last one in a sentence that reports (已, 了), else the nearest (see CONVENTIONS.md).
 */
function readingMode(text: string, a: PlacedAtom, lead: string): YearMode {
  if (FUTURE_PREFIX.test(lead)) return "forward";
  const sentence = sentenceAround(text, a.index);
  if (PAST.test(sentence)) return "back";
  if (COMING.test(sentence)) return "forward";
  return "near";
}

const COMBINABLE = new Set<Atom["type"]>(["date", "period", "relative", "from-now"]);

/** The sentence (between 。；！？ or line breaks) around a position. */
export function sentenceAround(text: string, index: number): string {
  const s = sentenceStart(text, index);
  const rest = text.slice(index);
  const m = /[。；！？\n]/.exec(rest);
  return text.slice(s, m ? index + m.index : text.length);
}

/** A day followed by a clock time (下周五下午3:00, 明天上午9时) becomes one timed atom. */
export function mergeClockTimes(text: string, atoms: PlacedAtom[]): PlacedAtom[] {
  const out: PlacedAtom[] = [];
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    const b = atoms[i + 1];
    const probe = a.at(2000);
    if (
      b &&
      b.type === "time" &&
      (a.type === "date" || a.type === "relative") &&
      probe.start === probe.end &&
      probe.start.length === 10 &&
      /^\s*(?:的)?$/.test(text.slice(a.index + a.length, b.index))
    ) {
      const bt = b.at(0);
      const clock = bt.start.slice(11); // "" for 24时: the end of the day is the day itself
      const clockEnd = bt.end.slice(11);
      const length = b.index + b.length - a.index;
      const withClocks = (iv: Interval): Interval => ({
        start: clock ? `${iv.start}T${clock}` : iv.start,
        end: clockEnd ? `${iv.start}T${clockEnd}` : iv.start,
      });
      const choose = a.choose;
      out.push({
        ...a,
        kind: b.kind === "span" && a.kind === "point" ? "span" : a.kind,
        length,
        text: text.slice(a.index, a.index + length),
        at: (y) => withClocks(a.at(y)),
        ...(choose ? { choose: (mode: YearMode) => withClocks(choose(mode)) } : {}),
      });
      i++;
    } else if (
      b &&
      b.type === "time" &&
      (a.type === "date" || a.type === "relative") &&
      probe.start === probe.end &&
      probe.start.length > 10 &&
      /^\s*(?:[-—–~～－]+|至|到)\s*$/.test(text.slice(a.index + a.length, b.index))
    ) {
      // 2019年6月28日9:30~11:30: the day's clock time up to the second one.
      const clockEnd = b.at(0).end.slice(11);
      const length = b.index + b.length - a.index;
      out.push({
        ...a,
        kind: "span",
        length,
        text: text.slice(a.index, a.index + length),
        at: (y) => ({
          start: a.at(y).start,
          end: clockEnd ? `${a.at(y).start.slice(0, 10)}T${clockEnd}` : a.at(y).start.slice(0, 10),
        }),
      });
      i++;
    } else if (!a.partOfDay || a.partOfDay.standalone) out.push(a);
  }
  return out;
}

/** Conditions that make a duration count from an undated event (遇…, 一旦…, 发生…后). */
const CONDITION =
  /(?:^|[，,、])(?:遇|如遇|若遇|若|如|一旦|凡|发生)|发生[^，,]{0,12}(?:后|时)|突发|事故|险情|紧急情况|重大[^，,]{0,6}(?:事件|问题)/;
/** An event clause at the head of a sentence: "培训结束后，", "会议召开后，". */
const EVENT_CLAUSE = /(?:^|[，,、])[^，,]*?([\u4e00-\u9fa5]{2,6}?)(?:结束|完成|闭幕|召开)(?:之日起|后)[，,]/;
const HOLIDAY_TIME = /元旦|春节|除夕|元宵|清明|劳动节|五一|端午|中秋|国庆|十一|假期|节日/;

/** Where the sentence (after the last 。；！？ or line break) holding a position starts. */
export function sentenceStart(text: string, index: number): number {
  const before = text.slice(0, index);
  return (
    Math.max(
      before.lastIndexOf("。"),
      before.lastIndexOf("；"),
      before.lastIndexOf("\n"),
      before.lastIndexOf("！"),
      before.lastIndexOf("？"),
    ) + 1
  );
}

/** The year of the last time with a written year ("2023年…") earlier in the same sentence, or null. */
function sentenceYear(text: string, earlier: TimeExpression[], index: number): number | null {
  const start = sentenceStart(text, index);
  const prev = [...earlier]
    .reverse()
    .find(
      (t) =>
        t.index! >= start &&
        t.index! < index &&
        /(?:19|20)[0-9]{2}年|[〇零○一二][〇零○一二三四五六七八九]{3}年/.test(t.text) &&
        (t.start ?? t.end),
    );
  return prev ? Number((prev.start ?? prev.end)!.slice(0, 4)) : null;
}

/** The date a duration with an anchor counts from, or null when the notice does not date that event. */
function anchorDate(text: string, a: PlacedAtom, earlier: TimeExpression[], ref: string): string | null {
  const anchor = a.anchor!;
  if (anchor.time) {
    const iv = pickYear(anchor.time, ref, "near");
    return datePart(iv.end);
  }
  if (anchor.kind === "receipt") return null;
  // Not a background mention: last year's event ("2023年宣传月活动于6月30日结束"), a whole year, or what ended before the notice.
  const ry = Number(ref.slice(0, 4));
  const background = (t: TimeExpression) => {
    const sentence = sentenceAround(text, t.index!);
    const years = [...sentence.matchAll(/((?:19|20)[0-9]{2})年/g)].map((x) => Number(x[1]));
    return /去年|上年|往年|以往|历年|上届|上一届/.test(sentence) || years.some((y) => y < ry);
  };
  const wholeYear = (t: TimeExpression) =>
    !!t.start && !!t.end && t.start.slice(5, 10) === "01-01" && t.end.slice(5, 10) === "12-31";
  const previous = [...earlier]
    .reverse()
    .filter(
      (t) =>
        t.index! < a.index &&
        (t.end ?? t.start) &&
        !wholeYear(t) &&
        !background(t) &&
        datePart((t.end ?? t.start)!) >= ref,
    );
  let hit: TimeExpression | undefined;
  if (anchor.kind === "holiday") hit = previous.find((t) => HOLIDAY_TIME.test(t.text) && t.kind !== "within");
  else {
    // The event's own time: in a sentence that names it, or right under a heading that does
    // ("一、培训时间\n2024年11月18日至20日"); a span (the event's dates) before a single day.
    const noun = anchor.noun.slice(-2);
    const names = (t: TimeExpression) =>
      t.kind !== "within" &&
      (sentenceAround(text, t.index!) + text.slice(Math.max(0, t.index! - 20), t.index!)).includes(noun);
    // "闭幕后5个工作日内" names no event: the event the notice is about (举办/召开/开展 with its dates).
    const EVENT_VERB = /举办|召开|开展|举行|进行|决定|时间为|时间：|定于|将于/;
    const relativeWord = (t: TimeExpression) => /^(?:本|这|上|下|当)(?:个)?(?:周|星期|月|季度)$/.test(t.text);
    const candidates = (noun ? previous.filter(names) : previous.filter((t) => t.kind === "span")).filter(
      (t) => !relativeWord(t),
    );
    // The event's own dates: a span in a sentence that announces it, then any span, then the latest time.
    hit =
      candidates.find((t) => t.kind === "span" && EVENT_VERB.test(sentenceAround(text, t.index!))) ??
      candidates.find((t) => t.kind === "span") ??
      candidates[0];
  }
  return hit ? datePart((hit.end ?? hit.start)!) : null;
}

export function combine(text: string, atoms: PlacedAtom[], ref: string): TimeExpression[] {
  const out: TimeExpression[] = [];
  const emit = (
    index: number,
    endIndex: number,
    start: string | null,
    end: string | null,
    kind: TimeKind,
    recurrence?: string,
  ) => {
    const t: TimeExpression = { text: text.slice(index, endIndex), start, end, kind, index };
    if (recurrence) t.recurrence = recurrence;
    out.push(t);
  };
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    const aEnd = a.index + a.length;
    const b = atoms[i + 1];
    const lead = text.slice(Math.max(0, a.index - 10), a.index);

    // A span: A 至 B.
    if (
      b &&
      COMBINABLE.has(a.type) &&
      COMBINABLE.has(b.type) &&
      b.type !== "from-now" &&
      SPAN_GAP.test(text.slice(aEnd, b.index))
    ) {
      const prefix = SPAN_PREFIX.exec(lead)?.[0] ?? "";
      const bEnd = b.index + b.length;
      const suffix = SPAN_SUFFIX.exec(text.slice(bEnd))?.[0] ?? "";
      let start: string;
      let end: string;
      if (a.type === "from-now") {
        start = ref;
        end = pickYear(b, ref, "forward").end;
      } else {
        start = pickYear(a, ref, "near").start;
        end = endAfter(b, start, ref).end;
      }
      // "1月10日至春节前": up to the day before the holiday starts.
      const beforeB = /^前/.test(text.slice(bEnd)) && b.before ? "前" : "";
      if (beforeB) {
        const ys = Number(start.slice(0, 4));
        end = [ys, ys + 1].map((y) => b.before!(y)).find((d) => d >= start.slice(0, 10)) ?? end;
      }
      emit(a.index - prefix.length, bEnd + (beforeB ? 1 : suffix.length), start, end, "span");
      i++;
      continue;
    }

    const after = text.slice(aEnd, aEnd + 8);
    // 当天/当日/次日 right after another time refer to that time, not to the issue date.
    const prev = out[out.length - 1];
    if (
      /^(?:当天|当日|次日|翌日)$/.test(a.text) &&
      prev &&
      (prev.end ?? prev.start) &&
      /^(?:当天|当日)?[\s及和、，,]{0,2}$/.test(text.slice(prev.index! + prev.text.length, a.index))
    ) {
      if (/当/.test(a.text)) continue;
      const d = addDays(datePart((prev.end ?? prev.start)!), 1);
      emit(a.index, aEnd, d, d, "point");
      continue;
    }
    if (a.type === "from-now") {
      emit(a.index, aEnd, ref, null, "after");
      continue;
    }
    // 从2001年起至今, 2019年以来至今: from the time to the issue date.
    const toNow = /^(?:起|开始|以来)?(?:至今|到现在|迄今|到今天|至今天)/.exec(after);
    if (toNow && COMBINABLE.has(a.type)) {
      const prefix = SPAN_PREFIX.exec(lead)?.[0] ?? "";
      emit(a.index - prefix.length, aEnd + toNow[0].length, pickYear(a, ref, "back").start, ref, "span");
      continue;
    }
    if (a.type === "recurring") {
      // 每年母亲节, 每年秋天, 每年9月到11月: the next such day or period, every year.
      if (
        a.recurrence === "FREQ=YEARLY" &&
        b &&
        (b.type === "date" || b.type === "period") &&
        /^\s*(?:的)?$/.test(text.slice(aEnd, b.index))
      ) {
        const iv = pickYear(b, ref, "forward");
        emit(a.index, b.index + b.length, iv.start, iv.end, "recurring", b.recurrence ?? a.recurrence);
        i++;
        continue;
      }
      const iv = a.at(0);
      emit(a.index, aEnd, iv.start, iv.end, "recurring", a.recurrence);
      continue;
    }
    if (a.type === "duration") {
      let iv: { start: string | null; end: string | null } = a.at(0);
      if (a.anchor) {
        const from = anchorDate(text, a, out, ref);
        if (from === null) iv = { start: null, end: null };
        else {
          const end = a.anchor.add(from);
          iv = { start: a.kind === "within" ? from : end, end };
        }
      } else {
        const lead = text.slice(sentenceStart(text, a.index), a.index);
        const event = EVENT_CLAUSE.exec(lead);
        if (event && a.shift) {
          // "培训结束后，各企业应当在15日内…": the event named at the head of the sentence.
          const from = anchorDate(text, { ...a, anchor: { kind: "event", noun: event[1]!, add: a.shift } }, out, ref);
          if (from === null) iv = { start: null, end: null };
          else {
            const end = a.shift(from);
            iv = { start: a.kind === "within" ? from : end, end };
          }
        } else if (CONDITION.test(lead)) {
          // "遇极端天气，…要在2小时内报告": counted from an event that has no date.
          iv = { start: null, end: null };
        }
      }
      emit(a.index + (a.skip ?? 0), aEnd, iv.start, a.kind === "after" ? null : iv.end, a.kind);
      continue;
    }
    if (COMBINABLE.has(a.type) || a.type === "time") {
      const bp = BEFORE_PREFIX.exec(lead);
      const bs = BEFORE_SUFFIX.exec(after);
      if (bs || (bp && a.type !== "time")) {
        const asOf = bp && /截/.test(bp[0]) && !bs;
        const y = pickYearNumber(a, ref, "forward", asOf ? 92 : 0);
        // 春节前: before the holiday starts; 11月30日前: up to and including that day.
        const end = a.choose ? a.choose(asOf ? "back" : "forward").end : bs && a.before ? a.before(y) : a.at(y).end;
        emit(
          bp && a.type !== "time" ? a.index - bp[0].length : a.index,
          aEnd + (bs?.[0].length ?? 0),
          null,
          end,
          "before",
        );
        continue;
      }
      const ap = AFTER_PREFIX.exec(lead);
      const as = AFTER_SUFFIX.exec(after) ?? (ap ? AFTER_START.exec(after) : null);
      if (as && a.type !== "time") {
        const iv = pickYear(a, ref, "near");
        emit(a.index - (ap?.[0].length ?? 0), aEnd + as[0].length, iv.start, null, "after");
        continue;
      }
      // "市局将于5月下旬抽查": announced for the future, so the next such date. "2023年，我局于3月…":
      // a year named earlier in the same sentence.
      const yearHere = a.yearless ? sentenceYear(text, out, a.index) : null;
      const iv = yearHere !== null ? a.at(yearHere) : pickYear(a, ref, readingMode(text, a, lead));
      // Atoms that are open by themselves (两天之前, 三个月以来).
      emit(a.index, aEnd, a.kind === "before" ? null : iv.start, a.kind === "after" ? null : iv.end, a.kind);
    }
  }
  return out;
}
