/**
 * Durations from the issue date or from another time in the notice: 60日内, 20天后, 3个月内,
 * 15个工作日内 (official working days, see working-days.ts), 本通知印发之日起30日内,
 * 会议结束后5个工作日内 (counted from the end of the meeting's date elsewhere in the notice; ranges.ts
 * finds it). Own rules: chrono-node reads 20天后 but has no working days and no "within".
 */
import { addDays, addMonths } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { COUNT } from "../patterns.js";
import { addWorkdays } from "../working-days.js";
import type { Atom, AtomRule } from "../atom.js";

/** Add n units to a date (calendar days, working days, weeks, months, years, hours rounded up to days). */
export function addUnits(from: string, n: number, unit: string): string {
  switch (unit) {
    case "工作日":
      return addWorkdays(from, Math.ceil(n));
    case "小时":
      return addDays(from, Math.ceil(n / 24));
    case "周":
    case "星期":
      return addDays(from, Math.round(7 * n));
    case "个月":
      return n === 0.5 ? addDays(from, 15) : addMonths(from, n);
    case "年":
      return addMonths(from, 12 * n);
    default:
      return addDays(from, n);
  }
}

const NOTICE_ANCHOR = "(?:自|从)?(?:本通知|通知|本文件|文件)?(?:印发|下发|发文|发布|公布)之日起|(?:自|从)?本通知(?:印发)?之日起|(?:收到|接到)(?:本)?通知(?:后|之日起)|(?:自|从)?即日起";
const EVENT_ANCHOR = "([\\u4e00-\\u9fa5]{0,6}?)(?:结束|完成|召开|闭幕|举办|发生|截止)(?:之日起|之日后|后)";
const RECEIPT_ANCHOR = "(?:收到|接到|受理)([\\u4e00-\\u9fa5]{1,8}?)(?:后|之日起)";
const HOLIDAY_ANCHOR = "(节后|节日后|假期后|假日后|节假日后|假期结束后|节日结束后|长假后)";
/** Any other event: "自用户查询之日起六十日内", "作出处罚决定后七个工作日内" (dated only if the notice dates it). */
const GENERIC_ANCHOR = "([\\u4e00-\\u9fa5]{1,10}?)(?:之日起|之日后|之后|后)";

export const durationRules: AtomRule[] = [
  {
    name: "duration",
    pattern: new RegExp(`(?:(${NOTICE_ANCHOR})|${EVENT_ANCHOR}|${RECEIPT_ANCHOR}|${HOLIDAY_ANCHOR}|${GENERIC_ANCHOR})?(${COUNT})(?:个)?(工作日|小时|天|日|周|星期|个月|年)(内|之内|以内|后|以后|之后)`, "g"),
    build(m, ctx) {
      const n = parseNumeral(m[6]!);
      if (!(n > 0) || n > 1000) return null;
      let unit = m[7]!;
      if (m[0].includes("个月")) unit = "个月";
      const after = /后/.test(m[8]!);
      const kind = after ? "point" : "within";
      const add = (from: string) => addUnits(from, n, unit);
      let anchor: Atom["anchor"];
      let skip = 0;
      /** The event noun without the words before it ("各单位在活动" → "活动"). */
      const clean = (noun: string) => (noun.split(/[在于自从须要应将由对请和及、]/).pop() ?? noun).replace(/(?:结束|完成|召开|闭幕|举办|发生|截止)$/, "");
      const isThisNotice = (noun: string) =>
        /^(?:收到|接到)?(?:本)?(?:通知|文件)(?:印发|下发|发文|发布|公布)?$|本通知|本文件|^(?:印发|下发|发文|发布|公布)$/.test(noun);
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
        anchor = isThisNotice(noun) ? undefined : { kind: receipt ? "receipt" : "event", noun: receipt ? noun : noun.slice(-4), add };
        const kept = isThisNotice(noun) || receipt ? noun : noun.slice(-4);
        skip = Math.max(0, m[5].lastIndexOf(kept));
        if (!noun) anchor = undefined;
      }
      const end = add(ctx.ref);
      return { kind, type: "duration", yearless: false, shift: add, ...(anchor ? { anchor } : {}), skip, at: () => ({ start: after ? end : ctx.ref, end }) };
    },
  },
];
