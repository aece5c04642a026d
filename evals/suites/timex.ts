/**
 * Timex suite: `npm run -s eval -- timex [--set evals/timex.jsonl] [--json]`.
 *
 * Item: {"id", "text", "ref", "expect": [{"start", "end", "kind"}], "form"?}. `output` is the extract
 * result for `text` with that ref (what `npm run -s extract -- --json --ref REF -` prints).
 *
 * Scoring: an expected time is found when some time in `output.times` has exactly the same `start`
 * and `end` (null for an open end; YYYY-MM-DD or YYYY-MM-DDTHH:mm), each found time matching at most
 * one expected time. Metrics:
 * - accuracy: share of items whose times are exactly the expected ones (all found, none extra);
 * - precision / recall / F1 over expressions: matched / found, matched / expected;
 * - kindAccuracy: share of matched times whose `kind` is also the expected one;
 * - byForm: accuracy per `form` group (absolute dates, year inference, ranges, periods, relative,
 *   working days, clock times, recurrence, traditional characters, none).
 */
import { createAssistant } from "../../src/app.js";
import type { ExtractResponse, TimeExpression, TimeKind } from "../../src/assistant/extract/types.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

interface Expected {
  start: string | null;
  end: string | null;
  kind: TimeKind;
}

export interface TimexItem extends EvalItem {
  text: string;
  ref: string;
  expect: Expected[];
  form?: string;
}

export function scoreTimes(found: Pick<TimeExpression, "text" | "start" | "end" | "kind">[], expected: Expected[]) {
  const used = new Set<number>();
  let matched = 0;
  let kindRight = 0;
  const missing: Expected[] = [];
  for (const e of expected) {
    const i = found.findIndex((f, k) => !used.has(k) && f.start === e.start && f.end === e.end);
    if (i < 0) {
      missing.push(e);
      continue;
    }
    used.add(i);
    matched++;
    if (found[i]!.kind === e.kind) kindRight++;
  }
  const extra = found.filter((_, k) => !used.has(k));
  return { matched, kindRight, missing, extra, exact: missing.length === 0 && extra.length === 0 };
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

const suite: Suite = {
  defaultSet: "evals/timex.jsonl",
  async run(items, ctx): Promise<SuiteResult> {
    let nFound = 0;
    let nExpected = 0;
    let nMatched = 0;
    let nKind = 0;
    let nExact = 0;
    const byForm: Record<string, { items: number; exact: number }> = {};
    const out: SuiteResult["items"] = [];
    for (const raw of items) {
      const item = raw as TimexItem;
      const assistant = createAssistant(ctx.config, { now: () => new Date(`${item.ref}T12:00:00+08:00`), log: ctx.log });
      const output: ExtractResponse = await assistant.extract({ text: item.text, ref: item.ref });
      const s = scoreTimes(output.times, item.expect);
      nFound += output.times.length;
      nExpected += item.expect.length;
      nMatched += s.matched;
      nKind += s.kindRight;
      if (s.exact) nExact++;
      const form = item.form ?? "other";
      byForm[form] ??= { items: 0, exact: 0 };
      byForm[form].items++;
      if (s.exact) byForm[form].exact++;
      if (!s.exact) ctx.log(`✗ ${item.id} ${item.text}  missing ${JSON.stringify(s.missing)}  extra ${JSON.stringify(s.extra.map((t) => ({ text: t.text, start: t.start, end: t.end })))}`);
      out.push({ id: item.id, output, exact: s.exact, missing: s.missing, extra: s.extra });
    }
    const precision = nFound ? nMatched / nFound : 1;
    const recall = nExpected ? nMatched / nExpected : 1;
    return {
      items: out,
      metrics: {
        items: items.length,
        accuracy: items.length ? nExact / items.length : 0,
        expressions: { expected: nExpected, found: nFound, matched: nMatched },
        precision,
        recall,
        f1: f1(precision, recall),
        kindAccuracy: nMatched ? nKind / nMatched : 0,
        byForm: Object.fromEntries(Object.entries(byForm).map(([k, v]) => [k, `${v.exact}/${v.items}`])),
      },
    };
  },
};

export default suite;
