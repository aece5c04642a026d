/**
 * Durations from the issue date or from another time in the notice: 60日内, 20天后, 3个月内,
 * 15个工作日内 (official working days, see working-days.ts), 本通知印发之日起30日内,
 * 会议结束后5个工作日内 (counted from the end of the meeting's date elsewhere in the notice; ranges.ts
 * finds it). Own rules: chrono-node reads 20天后 but has no working days and no "within".
 */
import { addDays, addMonths } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { COUNT, TIME } from "../patterns.js";
import { clockFrom, withClock } from "./time-of-day.js";
import { addWorkdays } from "../working-days.js";
import type { Atom, AtomRule } from "../atom.js";

/** Add n units to a date (calendar days, working days, weeks, months, years, hours rounded up to days). */
export function addUnits(from: string, n: number, unit: string): string {
  switch (unit) {
    case "工作日":
      return addWorkdays(from, Math.ceil(n));
    case "交易日":
      return addWorkdays(from, Math.ceil(n));
    case "小时":
    case "钟头":
      return addDays(from, Math.ceil(n / 24));
    case "季度":
      return addMonths(from, Math.round(3 * n));
    case "周":
    case "星期":
    case "礼拜":
      return addDays(from, Math.round(7 * n));
    case "个月":
    case "月":
      // 半月 = 15 days; 两个半月 = 2 months + 15 days.
      return Number.isInteger(n) ? addMonths(from, n) : addDays(addMonths(from, Math.trunc(n)), n < 0 ? -15 : 15);
    case "年":
      return addMonths(from, Math.round(12 * n));
    default:
      return addDays(from, n);
  }
}

const NOTICE_ANCHOR =
  "(?:自|从)?(?:本通知|通知|本文件|文件)?(?:印发|下发|发文|发布|公布)之日起|(?:自|从)?本通知(?:印发)?之日起|(?:收到|接到)(?:本)?通知(?:后|之日起)|(?:自|从)?即日起";
const EVENT_ANCHOR = "([\\u4e00-\\u9fa5]{0,6}?)(?:结束|完成|召开|闭幕|举办|发生|截止)(?:之日起|之日后|后)";
const RECEIPT_ANCHOR = "(?:收到|接到|受理)([\\u4e00-\\u9fa5]{1,8}?)(?:后|之日起)";
const HOLIDAY_ANCHOR = "(节后|节日后|假期后|假日后|节假日后|假期结束后|节日结束后|长假后)";
/** Any other event: "自用户查询之日起六十日内", "作出处罚决定后七个工作日内" (dated only if the notice dates it). */
/** A count of units: 3年, 两个半月, 一年半, 20多个月, 十个多月, 半年, 半个月 → [value, unit]. */
const AMOUNT = `(${COUNT})(多)?(个)?(半|多)?(工作日|交易日|小时|钟头|天|日|周|星期|礼拜|月|年|季度)(半|多)?`;
function amount(m: RegExpExecArray, at: number): { n: number; unit: string } | null {
  const [countS, more, ge, mid, unit, tail] = m.slice(at, at + 6);
  let n = parseNumeral(countS!);
  if (!(n > 0)) return null;
  if (mid === "半" || tail === "半") n += 0.5;
  // 三月 is March: a month count needs 个, 半 or 多 (两个月, 半月, 三个多月).
  if (unit === "月" && !ge && !mid && !more && countS !== "半") return null;
  if (unit === "季度" && countS === "半") return null;
  return { n, unit: unit === "月" ? "个月" : unit! };
}
/** A count whose 前 may not be a back-offset: "会议召开3天前" is counted from the meeting. */
const plainBefore = (m: RegExpExecArray) => {
  const prev = m.input.slice(Math.max(0, m.index - 1), m.index);
  return !prev || !/[\u4e00-\u9fa5]/.test(prev) || /[于在约的早已是近]/.test(prev);
};
const GENERIC_ANCHOR = "([\\u4e00-\\u9fa5]{1,10}?)(?:之日起|之日后|之后|后)";

export const durationRules: AtomRule[] = [
  {
    name: "duration",
    pattern: new RegExp(
      `(?:(${NOTICE_ANCHOR})|${EVENT_ANCHOR}|${RECEIPT_ANCHOR}|${HOLIDAY_ANCHOR}|${GENERIC_ANCHOR})?${AMOUNT}(内|之内|以内|后|以后|之后)`,
      "g",
    ),
    build(m, ctx) {
      const amt = amount(m, 6);
      if (!amt) return null;
      const { n, unit } = amt;
      if (n > 1000) return null;
      const suffix = m[12]!;
      const after = /后/.test(suffix);
      // 20天后: that day; 20天以后 / 之后: from that day on (open end) unless counted from an event.
      const openAfter =
        /^(?:以后|之后)$/.test(suffix) &&
        m[1] === undefined &&
        m[2] === undefined &&
        m[3] === undefined &&
        m[4] === undefined &&
        m[5] === undefined;
      const kind = openAfter ? "after" : after ? "point" : "within";
      const add = (from: string) => addUnits(from, n, unit);
      let anchor: Atom["anchor"];
      let skip = 0;
      /** The event noun without the words before it ("各单位在活动" → "活动"). */
      const clean = (noun: string) =>
        (noun.split(/[在于自从须要应将由对请和及、]/).pop() ?? noun).replace(
          /(?:结束|完成|召开|闭幕|举办|发生|截止)$/,
          "",
        );
      const isThisNotice = (noun: string) =>
        /^(?:收到|接到)?(?:本)?(?:通知|文件)(?:印发|下发|发文|发布|公布)?$|本通知|本文件|^(?:印发|下发|发文|发布|公布)$/.test(
          noun,
        );
      if (m[2] !== undefined) {
        // Counted from an event described elsewhere in the notice (ranges.ts resolves it).
        const noun = clean(m[2]);
        anchor = { kind: "event", noun: noun.slice(-4), add };
        skip = Math.max(0, m[2].lastIndexOf(noun.slice(-4)));
      } else if (m[3] !== undefined) {
        anchor = isThisNotice(m[3]) ? undefined : { kind: "receipt", noun: m[3], add };
      } else if (m[4] !== undefined) {
        anchor = { kind: "holiday", noun: "节", add };
      } else if (m[5] !== undefined) {
        const noun = clean(m[5]);
        const receipt = /^(?:收到|接到|受理)/.test(noun);
        anchor = isThisNotice(noun)
          ? undefined
          : { kind: receipt ? "receipt" : "event", noun: receipt ? noun : noun.slice(-4), add };
        const kept = isThisNotice(noun) || receipt ? noun : noun.slice(-4);
        skip = Math.max(0, m[5].lastIndexOf(kept));
        if (!noun) anchor = undefined;
      }
      const end = add(ctx.ref);
      return {
        kind,
        type: "duration",
        yearless: false,
        shift: add,
        ...(anchor ? { anchor } : {}),
        skip,
        at: () => ({ start: after ? end : ctx.ref, end }),
      };
    },
  },
  {
    // 节后第1个工作日(12时前), 假期结束后第2个工作日: the n-th working day after the holiday.
    name: "nth-workday-after-holiday",
    pattern: new RegExp(`${HOLIDAY_ANCHOR}第(${COUNT})个工作日(?:\\s*${TIME})?((?:之)?前)?`, "g"),
    build(m, ctx) {
      const n = parseNumeral(m[2]!);
      if (!(n >= 1 && n <= 30)) return null;
      const clock = clockFrom(m.slice(3, 8));
      const add = (from: string) => withClock(addWorkdays(from, n), clock);
      const end = add(ctx.ref);
      return {
        kind: m[8] ? "before" : "point",
        type: "duration",
        yearless: false,
        shift: add,
        anchor: { kind: "holiday", noun: "节", add },
        at: () => ({ start: end, end }),
      };
    },
  },
  {
    // 两天之前, 三年前, 3年半以前, 三个多月以来: counted back from the issue date.
    name: "back-offset",
    pattern: new RegExp(`${AMOUNT}(以前|之前|前|以来)`, "g"),
    build(m, ctx) {
      if (!plainBefore(m)) return null;
      const amt = amount(m, 1);
      if (!amt || amt.n > 1000 || /工作日|交易日/.test(amt.unit)) return null;
      // "于25日前" is a day of the month (bare-day rule); days back are written 天 (两天前).
      if (amt.unit === "日") return null;
      const d = addUnits(ctx.ref, -amt.n, amt.unit === "小时" || amt.unit === "钟头" ? "天" : amt.unit);
      const suffix = m[7]!;
      if (suffix === "前")
        return { kind: "point", type: "relative", yearless: false, at: () => ({ start: d, end: d }) };
      if (suffix === "以来")
        return { kind: "after", type: "relative", yearless: false, at: () => ({ start: d, end: d }) };
      return { kind: "before", type: "relative", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
  {
    // 未来7天, 今后10年, 未来两个月内: from the issue date to ref + N.
    name: "window-ahead",
    pattern: new RegExp(`(?:未来|今后|往后|接下来)(?:的)?${AMOUNT}(?:内|之内|以内|里)?`, "g"),
    build(m, ctx) {
      const amt = amount(m, 1);
      if (!amt || amt.n > 1000) return null;
      const end = addUnits(ctx.ref, amt.n, amt.unit);
      return { kind: "within", type: "duration", yearless: false, at: () => ({ start: ctx.ref, end }) };
    },
  },
  {
    // 近30天, 过去的一周, 最近三个月: the N units that end on the issue date (ref included).
    name: "window-back",
    pattern: new RegExp(`(?:最近|近|过去)(?:的)?${AMOUNT}(?:内|以来|里|中)?(?!来)`, "g"),
    build(m, ctx) {
      const amt = amount(m, 1);
      if (!amt || amt.n > 1000 || /工作日|交易日/.test(amt.unit)) return null;
      const start = addDays(addUnits(ctx.ref, -amt.n, amt.unit), 1);
      return { kind: "span", type: "relative", yearless: false, at: () => ({ start, end: ctx.ref }) };
    },
  },
  {
    // 过两天, 再过十周: the day ref + N.
    name: "after-passing",
    pattern: new RegExp(`(?<![经通超度错不越跳路])(?:再)?过${AMOUNT}(?![内后])`, "g"),
    build(m, ctx) {
      const amt = amount(m, 1);
      if (!amt || amt.n > 1000 || /小时|钟头/.test(amt.unit)) return null;
      const d = addUnits(ctx.ref, amt.n, amt.unit);
      return { kind: "point", type: "relative", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
  {
    // 第三天, 第七年 (counting the issue day / year as the first).
    name: "ordinal-day",
    pattern: new RegExp(`第(${COUNT})(天|年)(?![度级])`, "g"),
    build(m, ctx) {
      const n = parseNumeral(m[1]!);
      if (!(n >= 1 && n <= 100)) return null;
      if (m[2] === "年") {
        const y = Number(ctx.ref.slice(0, 4)) + n - 1;
        return {
          kind: "span",
          type: "relative",
          yearless: false,
          at: () => ({ start: `${y}-01-01`, end: `${y}-12-31` }),
        };
      }
      const d = addDays(ctx.ref, n - 1);
      return { kind: "point", type: "relative", yearless: false, at: () => ({ start: d, end: d }) };
    },
  },
];
