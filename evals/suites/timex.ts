/**
 * Timex suite: `npm run -s eval -- timex [--set evals/timex.jsonl] [--json]`.
 *
 * Item: {"id", "text", "ref"} (the contract's fields) plus this project's gold: "expect": [{"start", "end",
 * "kind", "recurrence"?}] and a group tag "kind" or "form". `output` is the extract result for `text` with
 * that ref (what `npm run -s extract -- --json --ref REF -` prints). An item without "expect" is run and
 * its output printed, but it counts in no metric (the contract: missing gold fields must not matter).
 *
 * Scoring: an expected time is found when some time in `output.times` has exactly the same `start`
 * and `end` (null for an open end; YYYY-MM-DD or YYYY-MM-DDTHH:mm), each found time matching at most
 * one expected time. Metrics:
 * - accuracy: share of items whose times are exactly the expected ones (all found, none extra);
 * - precision / recall / F1 over expressions: matched / found, matched / expected;
 * - kindAccuracy: share of matched times whose `kind` is also the expected one;
 * - a recurring expected time with a `recurrence` also needs the same RRULE;
 * - byForm: accuracy per group (the item's `kind`, else its `form`: (absolute dates, year inference, ranges, periods, relative,
 *   working days, clock times, recurrence, traditional characters, none).
 */
import { createAssistant } from "../../src/app.js";
import type { ExtractResponse, TimeExpression, TimeKind } from "../../src/assistant/extract/types.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

interface Expected {
  start: string | null;
  end: string | null;
  kind: TimeKind;
  recurrence?: string;
}

export interface TimexItem extends EvalItem {
  text: string;
  ref: string;
  expect?: Expected[];
  form?: string;
  kind?: string;
}

export function scoreTimes(
  found: Pick<TimeExpression, "text" | "start" | "end" | "kind" | "recurrence">[],
  expected: Expected[],
) {
  const used = new Set<number>();
  let matched = 0;
  let kindRight = 0;
  const missing: Expected[] = [];
  for (const e of expected) {
    const i = found.findIndex(
      (f, k) =>
        !used.has(k) &&
        f.start === e.start &&
        f.end === e.end &&
        (e.recurrence === undefined || f.recurrence === e.recurrence),
    );
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
    let nScored = 0;
    const byForm: Record<string, { items: number; exact: number }> = {};
    const out: SuiteResult["items"] = [];
    for (const raw of items) {
      const item = raw as TimexItem;
      const assistant = createAssistant(ctx.config, {
        ...(typeof item.ref === "string" ? { now: () => new Date(`${item.ref}T12:00:00+08:00`) } : {}),
        log: ctx.log,
      });
      const output: ExtractResponse = await assistant.extract({
        text: String(item.text ?? ""),
        ...(typeof item.ref === "string" ? { ref: item.ref } : {}),
      });
      if (!Array.isArray(item.expect)) {
        out.push({ id: item.id, output, scored: false });
        continue;
      }
      nScored++;
      const s = scoreTimes(output.times, item.expect);
      nFound += output.times.length;
      nExpected += item.expect.length;
      nMatched += s.matched;
      nKind += s.kindRight;
      if (s.exact) nExact++;
      const form = item.kind ?? item.form ?? "other";
      byForm[form] ??= { items: 0, exact: 0 };
      byForm[form].items++;
      if (s.exact) byForm[form].exact++;
      if (!s.exact)
        ctx.log(
          `✗ ${item.id} ${item.text}  missing ${JSON.stringify(s.missing)}  extra ${JSON.stringify(s.extra.map((t) => ({ text: t.text, start: t.start, end: t.end })))}`,
        );
      out.push({ id: item.id, output, scored: true, exact: s.exact, missing: s.missing, extra: s.extra });
    }
    const precision = nFound ? nMatched / nFound : 1;
    const recall = nExpected ? nMatched / nExpected : 1;
    return {
      items: out,
      metrics: {
        items: items.length,
        scored: nScored,
        accuracy: nScored ? nExact / nScored : null,
        expressions: { expected: nExpected, found: nFound, matched: nMatched },
        precision: nScored ? precision : null,
        recall: nScored ? recall : null,
        f1: nScored ? f1(precision, recall) : null,
        kindAccuracy: nMatched ? nKind / nMatched : null,
        byForm: Object.fromEntries(Object.entries(byForm).map(([k, v]) => [k, `${v.exact}/${v.items}`])),
      },
    };
  },
};

export default suite;
