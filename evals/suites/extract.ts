/**
 * Extract suite: `npm run -s eval -- extract [--set evals/extract.jsonl] [--json]`.
 *
 * Item: {"id", "file", "ref", "gold": {"deadlines": [{"end", "start"?, "item"}], "actions": [{"owner", "action"}]}}
 * with `file` relative to the set file. `output` is what `npm run -s extract -- --json --ref REF FILE` prints.
 * An item without "gold" (only the contract's fields) is run and its output printed, counting in no metric;
 * without "ref" the notice's own date (or the period its title names) is used, as `extract` does.
 *
 * Matching (strings compared in simplified characters with white space removed):
 * - a deadline is right when its end date (the YYYY-MM-DD part) equals a gold deadline's end
 *   (for a gold deadline with a null end: when the start dates agree); each gold deadline is matched
 *   at most once, pairs whose item also contains the gold item being taken first.
 *   deadline precision / recall / F1 over all notices; `deadlineStrict*` additionally require the item
 *   (the deadline's action) to contain the gold item phrase.
 * - actionRecall: share of gold actions whose key phrase is contained in some extracted action
 *   (one extracted action per gold action); actionPrecision: share of extracted actions that matched.
 * - ownerRecall: share of gold actions matched as above whose owner equals the gold owner (separators
 *   、，,和及 unified).
 */
import { resolve } from "node:path";
import { createAssistant } from "../../src/app.js";
import type { ActionItem, Deadline, ExtractResponse } from "../../src/assistant/extract/types.js";
import { toSimplified } from "../../src/ingest/normalize.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

interface GoldDeadline {
  end: string | null;
  start?: string | null;
  item?: string;
}
interface GoldAction {
  owner: string;
  action: string;
}
export interface ExtractItem extends EvalItem {
  file: string;
  ref?: string;
  gold?: { deadlines?: GoldDeadline[]; actions?: GoldAction[] };
}

const canon = (s: string) => toSimplified(s).replace(/\s+/g, "");
const canonOwner = (s: string) => canon(s).replace(/[，,、和及与]/g, "、");
const day = (s: string | null | undefined) => (s ? s.slice(0, 10) : null);

export function matchDeadlines(found: Deadline[], gold: GoldDeadline[]) {
  const same = (f: Deadline, g: GoldDeadline) =>
    g.end === null ? day(f.start) === day(g.start ?? null) && f.end === null : day(f.end) === day(g.end);
  const usedF = new Set<number>();
  const usedG = new Set<number>();
  let strict = 0;
  // First the pairs whose action also agrees, then the remaining ones by date alone.
  for (const withItem of [true, false]) {
    gold.forEach((g, gi) => {
      if (usedG.has(gi)) return;
      const fi = found.findIndex(
        (f, k) =>
          !usedF.has(k) && same(f, g) && (!withItem || (g.item !== undefined && canon(f.item).includes(canon(g.item)))),
      );
      if (fi < 0) return;
      usedF.add(fi);
      usedG.add(gi);
      if (withItem) strict++;
    });
  }
  return {
    matched: usedG.size,
    strict,
    missing: gold.filter((_, i) => !usedG.has(i)),
    extra: found.filter((_, i) => !usedF.has(i)).map((f) => ({ text: f.text, end: f.end, item: f.item })),
  };
}

export function matchActions(found: ActionItem[], gold: GoldAction[]) {
  const used = new Set<number>();
  let matched = 0;
  let owners = 0;
  const missing: GoldAction[] = [];
  const wrongOwner: { gold: GoldAction; owner: string }[] = [];
  for (const g of gold) {
    const candidates = found
      .map((f, i) => ({ f, i }))
      .filter(({ f, i }) => !used.has(i) && canon(f.action).includes(canon(g.action)));
    const pick = candidates.find(({ f }) => canonOwner(f.owner) === canonOwner(g.owner)) ?? candidates[0];
    if (!pick) {
      missing.push(g);
      continue;
    }
    used.add(pick.i);
    matched++;
    if (canonOwner(pick.f.owner) === canonOwner(g.owner)) owners++;
    else wrongOwner.push({ gold: g, owner: pick.f.owner });
  }
  return {
    matched,
    owners,
    missing,
    wrongOwner,
    unmatched: found.filter((_, i) => !used.has(i)).map((f) => `${f.owner}|${f.action}`),
  };
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

const suite: Suite = {
  defaultSet: "evals/extract.jsonl",
  async run(items, ctx): Promise<SuiteResult> {
    const t = { dFound: 0, dGold: 0, dMatched: 0, dStrict: 0, aFound: 0, aGold: 0, aMatched: 0, owners: 0 };
    const out: SuiteResult["items"] = [];
    let scored = 0;
    for (const raw of items) {
      const item = raw as ExtractItem;
      // Without a ref, "today" is a fixed day far from every notice, so a notice that falls back to it shows.
      const assistant = createAssistant(ctx.config, {
        now: () => new Date(`${item.ref ?? "2000-01-01"}T12:00:00+08:00`),
        log: ctx.log,
      });
      const output: ExtractResponse = await assistant.extract({
        path: resolve(ctx.setDir, String(item.file)),
        ...(typeof item.ref === "string" ? { ref: item.ref } : {}),
      });
      if (!item.gold || typeof item.gold !== "object") {
        out.push({ id: item.id, output, scored: false });
        continue;
      }
      scored++;
      const dl = matchDeadlines(output.deadlines, item.gold.deadlines ?? []);
      const ac = matchActions(output.actions, item.gold.actions ?? []);
      t.dFound += output.deadlines.length;
      t.dGold += item.gold.deadlines?.length ?? 0;
      t.dMatched += dl.matched;
      t.dStrict += dl.strict;
      t.aFound += output.actions.length;
      t.aGold += item.gold.actions?.length ?? 0;
      t.aMatched += ac.matched;
      t.owners += ac.owners;
      if (dl.missing.length || dl.extra.length)
        ctx.log(`${item.id} deadlines: missing ${JSON.stringify(dl.missing)} extra ${JSON.stringify(dl.extra)}`);
      if (ac.missing.length || ac.wrongOwner.length)
        ctx.log(
          `${item.id} actions: missing ${JSON.stringify(ac.missing)} wrong owner ${JSON.stringify(ac.wrongOwner)}`,
        );
      out.push({ id: item.id, output, scored: true, deadlines: dl, actions: ac });
    }
    const p = t.dFound ? t.dMatched / t.dFound : 1;
    const r = t.dGold ? t.dMatched / t.dGold : 1;
    const sp = t.dFound ? t.dStrict / t.dFound : 1;
    const sr = t.dGold ? t.dStrict / t.dGold : 1;
    return {
      items: out,
      metrics: {
        notices: items.length,
        scored,
        deadlines: { gold: t.dGold, found: t.dFound, matched: t.dMatched },
        deadlinePrecision: scored ? p : null,
        deadlineRecall: scored ? r : null,
        deadlineF1: scored ? f1(p, r) : null,
        deadlineStrictF1: scored ? f1(sp, sr) : null,
        actions: { gold: t.aGold, found: t.aFound, matched: t.aMatched },
        actionRecall: scored ? (t.aGold ? t.aMatched / t.aGold : 1) : null,
        actionPrecision: scored ? (t.aFound ? t.aMatched / t.aFound : 1) : null,
        ownerRecall: scored ? (t.aGold ? t.owners / t.aGold : 1) : null,
      },
    };
  },
};

export default suite;
