/**
 * Periods: a month (二〇〇六年十二月, 6月份), month ranges (2018年1－9月份, 1至5月), parts of a month
 * (上旬/中旬/下旬, 月初, 月底/月末), of a year (一季度, 第三季度末, 上半年, 下半年, 全年, 年初, 年底,
 * 年内, 今年前五个月, 前三季度) and whole years (2024年, 今年, 本年度).
 * Own rules: chrono-node has no notion of 旬, 季度 or 半年, and turns a bare month into a day.
 */
import { fmt, lastDayOfMonth } from "../calendar.js";
import { parseNumeral } from "../numerals.js";
import { COUNT, MONTH, RANGE_SEP, YEAR } from "../patterns.js";
import { yearFrom } from "./absolute-dates.js";
import type { Atom, AtomContext, AtomRule, Interval } from "../atom.js";
import { yearOptional } from "../atom.js";

type Built = Omit<Atom, "index" | "length">;

/** Part of a month: 上旬 1–10, 中旬 11–20, 下旬 21–end, 初 = 上旬, 底/末 = the last day. */
export function monthPart(y: number, m: number, part: string | undefined): Interval {
  const last = lastDayOfMonth(y, m);
  switch (part) {
    case "上旬":
    case "初":
      return { start: fmt(y, m, 1), end: fmt(y, m, 10) };
    case "上半月":
      return { start: fmt(y, m, 1), end: fmt(y, m, 15) };
    case "下半月":
      return { start: fmt(y, m, 16), end: last };
    case "上中旬":
      return { start: fmt(y, m, 1), end: fmt(y, m, 20) };
    case "中下旬":
      return { start: fmt(y, m, 11), end: last };
    case "中旬":
      return { start: fmt(y, m, 11), end: fmt(y, m, 20) };
    case "下旬":
      return { start: fmt(y, m, 21), end: last };
    case "底":
    case "末":
      return { start: last, end: last };
    default:
      return { start: fmt(y, m, 1), end: last };
  }
}

const partKind = (part: string | undefined) => (part === "底" || part === "末" ? "point" : "span");

function quarter(y: number, q: number, part?: string): Interval {
  const first = (q - 1) * 3 + 1;
  const span = { start: fmt(y, first, 1), end: lastDayOfMonth(y, first + 2) };
  if (part === "末" || part === "底") return { start: span.end, end: span.end };
  if (part === "初") return { start: span.start, end: fmt(y, first, 10) };
  return span;
}

/** The year-level suffixes after `YYYY年` (or alone): returns null when the text is none of them. */
function yearPart(
  y: number,
  g: {
    tail?: string;
    q?: string;
    qPart?: string;
    firstQ?: string;
    firstMonths?: string;
    lastMonths?: string;
    nthMonth?: string;
  },
  ref: string,
): { iv: Interval; kind: Atom["kind"] } | null {
  if (g.lastMonths !== undefined) {
    const n = parseNumeral(g.lastMonths);
    if (!(n >= 1 && n <= 12)) return null;
    return { iv: { start: fmt(y, 13 - n, 1), end: fmt(y, 12, 31) }, kind: "span" };
  }
  if (g.nthMonth !== undefined) {
    const n = parseNumeral(g.nthMonth);
    if (!(n >= 1 && n <= 12)) return null;
    return { iv: { start: fmt(y, n, 1), end: lastDayOfMonth(y, n) }, kind: "span" };
  }
  if (g.q !== undefined) {
    const q = parseNumeral(g.q);
    if (q < 1 || q > 4) return null;
    return { iv: quarter(y, q, g.qPart), kind: g.qPart === "末" || g.qPart === "底" ? "point" : "span" };
  }
  if (g.firstQ !== undefined) {
    const q = parseNumeral(g.firstQ);
    if (q < 1 || q > 4) return null;
    return { iv: { start: fmt(y, 1, 1), end: lastDayOfMonth(y, q * 3) }, kind: "span" };
  }
  if (g.firstMonths !== undefined) {
    const n = parseNumeral(g.firstMonths);
    if (!(n >= 1 && n <= 12)) return null;
    return { iv: { start: fmt(y, 1, 1), end: lastDayOfMonth(y, n) }, kind: "span" };
  }
  switch (g.tail) {
    case "上半年":
      return { iv: { start: fmt(y, 1, 1), end: fmt(y, 6, 30) }, kind: "span" };
    case "下半年":
      return { iv: { start: fmt(y, 7, 1), end: fmt(y, 12, 31) }, kind: "span" };
    case "底":
    case "末":
      return { iv: { start: fmt(y, 12, 31), end: fmt(y, 12, 31) }, kind: "point" };
    case "初":
      return { iv: { start: fmt(y, 1, 1), end: fmt(y, 1, 31) }, kind: "span" };
    case "中":
      return { iv: { start: fmt(y, 6, 30), end: fmt(y, 6, 30) }, kind: "point" };
    case "内":
      // 年内: from the issue date to the end of the year.
      return { iv: { start: y === Number(ref.slice(0, 4)) ? ref : fmt(y, 1, 1), end: fmt(y, 12, 31) }, kind: "within" };
    default:
      return { iv: { start: fmt(y, 1, 1), end: fmt(y, 12, 31) }, kind: "span" };
  }
}

const YEAR_TAIL = `(?:(上半年|下半年|全年|年?底|年?末|年?尾|年?初(?![步次见稿审始])|年?中(?=前|之前|以前|以后|后|，|,|。|完成)|年?内|度|伊始)|第?([一二三四1-4])季度(末|底|初)?|首季度()|前([一二两三四1-4])个?季度|前(${COUNT})个?月|首月()|后(${COUNT})个?月|第(${COUNT})个月)`;

/** String.replace that fails loudly when the pattern fragment it edits has changed. */
function assertReplaced(s: string, from: string, to: string): string {
  if (!s.includes(from)) throw new Error(`periods.ts: YEAR_TAIL no longer contains ${from}`);
  return s.replace(from, to);
}

function yearRule(name: string, withYear: boolean): AtomRule {
  const pattern = withYear
    ? new RegExp(`${YEAR}${YEAR_TAIL}?(?![0-9一二三四五六七八九十]+月|[0-9]|个|多|间)`, "g")
    : new RegExp(
        `(?<![0-9年])(?:${assertReplaced(YEAR_TAIL, "年?底|年?末|年?尾|年?初(?![步次见稿审始])|年?中(?=前|之前|以前|以后|后|，|,|。|完成)|年?内|度", "年底|年末|年尾|年初(?![步次见稿审始])|年中(?=前|之前|以前|以后|后|，|,|。|完成)|年内").replace("|伊始)", ")")})`,
        "g",
      );
  return {
    name,
    pattern,
    build(m, ctx: AtomContext): Built | null {
      const off = withYear ? 2 : 0;
      let year: number | undefined;
      if (withYear) {
        year = yearFrom(m[1], m[2], ctx);
        // A two-digit year alone ("10年") is far more often a count of years; with a part (07年第三季度, 19年底) it is a year.
        if (
          m[1] !== undefined &&
          m[1].length === 2 &&
          /^[0-9]/.test(m[1]) &&
          m[3] === undefined &&
          m.slice(4).every((x) => x === undefined)
        )
          return null;
      }
      const tail = m[off + 1]
        ?.replace(/^年/, "")
        .replace(/^伊始$/, "初")
        .replace(/^尾$/, "底");
      const g = {
        tail: tail === "全年" || tail === "度" ? undefined : tail,
        q: m[off + 4] !== undefined ? "1" : m[off + 2],
        qPart: m[off + 3],
        firstQ: m[off + 5],
        firstMonths: m[off + 7] !== undefined ? "1" : m[off + 6],
        lastMonths: m[off + 8],
        nthMonth: m[off + 9],
      };
      // Without a year, 后三个月 / 第8个月 are counts ("印发后三个月内"), not parts of a year.
      if (!withYear && (g.lastMonths !== undefined || g.nthMonth !== undefined)) return null;
      const probe = yearPart(2000, g, ctx.ref);
      if (!probe) return null;
      return {
        kind: probe.kind,
        type: "period",
        ...yearOptional(year, (y) => yearPart(y, g, ctx.ref)!.iv),
      };
    },
  };
}

/** Part of a decade or a century: 初/前期/早期 the first years, 中/中期 the middle, 末/末期/后期/晚期 the last. */
function partOfSpan(first: number, length: number, part: string | undefined): [number, number] {
  const k = length === 10 ? 3 : 20;
  if (!part) return [first, first + length - 1];
  if (/初|前期|早期/.test(part)) return [first, first + k - 1];
  if (/末|后期|晚期/.test(part)) return [first + length - k, first + length - 1];
  return length === 10 ? [first + 3, first + 6] : [first + 40, first + 59];
}

export const periodRules: AtomRule[] = [
  {
    // 18世纪, 上世纪80年代, 二十世纪九十年代末期, 11世纪初, 80年代.
    name: "century-decade",
    pattern: new RegExp(
      `(?=[^。\\n]{0,14}?(?:世纪|年代))(?:(上|本|这个?)世纪|(${COUNT})世纪)?(?:([0-9]0|[一二三四五六七八九]十)年代)?(初期|前期|早期|中期|末期|后期|晚期|初|中|末)?`,
      "g",
    ),
    build(m, ctx) {
      const [, rel, centS, decS, part] = m;
      if (rel === undefined && centS === undefined && decS === undefined) return null;
      const ry = Number(ctx.ref.slice(0, 4));
      const century =
        rel !== undefined
          ? Math.floor(ry / 100) + (rel === "上" ? 0 : 1)
          : centS !== undefined
            ? parseNumeral(centS)
            : Math.floor(ry / 100) + 1;
      if (!(century >= 1 && century <= 30)) return null;
      const base = (century - 1) * 100;
      if (decS !== undefined) {
        const dec = parseNumeral(decS);
        if (!(dec >= 0 && dec < 100 && dec % 10 === 0)) return null;
        // 80年代 alone: of the last century when the decade has not begun in this one.
        const b = rel === undefined && centS === undefined && base + dec > ry ? base - 100 : base;
        const [a, z] = partOfSpan(b + dec, 10, part);
        return {
          kind: "span",
          type: "period",
          yearless: false,
          at: () => ({ start: `${a}-01-01`, end: `${z}-12-31` }),
        };
      }
      if (rel === undefined && centS === undefined) return null;
      const [a, z] = partOfSpan(base, 100, part);
      const pad = (y: number) => String(y).padStart(4, "0");
      return {
        kind: "span",
        type: "period",
        yearless: false,
        at: () => ({ start: `${pad(a)}-01-01`, end: `${pad(z)}-12-31` }),
      };
    },
  },
  {
    // 4月前4天, 10月前两周, 3月后10天: the first / last days of a month.
    name: "month-first-days",
    pattern: new RegExp(`(?:${YEAR})?(${MONTH})月份?(?:的)?(前|后|最后)(${COUNT})(天|日|周|个星期)`, "g"),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const mon = parseNumeral(m[3]!);
      let n = parseNumeral(m[5]!);
      if (!(mon >= 1 && mon <= 12) || !(n >= 1)) return null;
      if (/周|星期/.test(m[6]!)) n *= 7;
      if (n > 28) return null;
      const first = m[4] === "前";
      return {
        kind: "span",
        type: "period",
        ...yearOptional(year, (yy) => {
          const last = Number(lastDayOfMonth(yy, mon).slice(8));
          return first
            ? { start: fmt(yy, mon, 1), end: fmt(yy, mon, n) }
            : { start: fmt(yy, mon, last - n + 1), end: fmt(yy, mon, last) };
        }),
      };
    },
  },
  {
    // 今明两年, 今明两天.
    name: "this-and-next",
    pattern: /今明两(年|天|日)/g,
    build(m, ctx) {
      const y = Number(ctx.ref.slice(0, 4));
      if (m[1] === "年")
        return {
          kind: "span",
          type: "period",
          yearless: false,
          at: () => ({ start: `${y}-01-01`, end: `${y + 1}-12-31` }),
        };
      const d = new Date(`${ctx.ref}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      const next = d.toISOString().slice(0, 10);
      return { kind: "span", type: "relative", yearless: false, at: () => ({ start: ctx.ref, end: next }) };
    },
  },
  {
    name: "month-range",
    pattern: new RegExp(
      `(?:${YEAR})?(${MONTH})(?:月份?)?\\s*${RANGE_SEP}\\s*(${MONTH})月份?(?![0-9一二三四五六七八九十]+[日号])`,
      "g",
    ),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const a = parseNumeral(m[3]!);
      const b = parseNumeral(m[4]!);
      if (!(a >= 1 && b <= 12 && b >= 1 && a !== b)) return null;
      // 十二月至一月: into the next year.
      return {
        kind: "span",
        type: "period",
        ...yearOptional(year, (y) => ({ start: fmt(y, a, 1), end: lastDayOfMonth(y + (b < a ? 1 : 0), b) })),
      };
    },
  },
  {
    name: "month",
    pattern: new RegExp(
      `(?:${YEAR})?(${MONTH})月份?(上半月|下半月|上中旬|中下旬|上旬|中旬|下旬|初(?![步次见稿审始])|底|末|尾|中(?=前|之前|以前|[，,。；;]|$))?`,
      "g",
    ),
    build(m, ctx) {
      const year = yearFrom(m[1], m[2], ctx);
      const mon = parseNumeral(m[3]!);
      if (!(mon >= 1 && mon <= 12)) return null;
      // 月尾 = 月底, 五月中 = 中旬.
      const part = m[4] === "尾" ? "底" : m[4] === "中" ? "中旬" : m[4];
      return {
        kind: partKind(part),
        type: "period",
        ...yearOptional(year, (y) => monthPart(y, mon, part)),
      };
    },
  },
  {
    name: "quarter-relative",
    pattern: /(本|这个?|当|下个?|上个?)季度(末|底|初)?|(?<![每一二三四1-4第个本这当上下])季度(末|底)/g,
    build(m, ctx) {
      const y0 = Number(ctx.ref.slice(0, 4));
      const prefix = m[1] ?? "本";
      const q0 =
        Math.floor((Number(ctx.ref.slice(5, 7)) - 1) / 3) + (/^下/.test(prefix) ? 1 : /^上/.test(prefix) ? -1 : 0);
      const y = y0 + Math.floor(q0 / 4);
      const q = (((q0 % 4) + 4) % 4) + 1;
      const part = m[2] ?? m[3];
      const iv = quarter(y, q, part);
      return {
        kind: part === "末" || part === "底" ? "point" : "span",
        type: "relative",
        yearless: false,
        at: () => iv,
      };
    },
  },
  yearRule("year-period", true),
  yearRule("year-part", false),
];
