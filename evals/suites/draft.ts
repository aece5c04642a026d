/**
 * Draft suite: `npm run -s eval -- draft [--set evals/draft.jsonl] [--json]`.
 *
 * Item: {"id", "file", "form"?} (file relative to the set; form bulletin|summary, else inferred), plus
 * this project's gold fields: "parts" (the parts the draft must have, in house order), "lead"
 * ({date, organiser, form} the lead paragraph must contain), "missing" (labels the warnings must name,
 * e.g. "时间", because the notes lack them), "reconstructs" ("2015"/"2014": notes rebuilt from that
 * shared bulletin), "expectForm". `output` is exactly what `npm run -s draft -- --json FILE` prints.
 *
 * Metrics (the part detectors and the numbering check below are written independently of the composer):
 * - structure: per draft, the share of required parts present AND in order (longest run of detected
 *   parts in house order ÷ required parts); mean over drafts.
 * - numbering: share of drafts with ordinals whose ordinals (一要/一是 at a paragraph or sentence
 *   start) are all one style and count 一, 二, 三… without gaps in each list.
 * - fidelity: total facts (dates, numbers, persons, organisations) in the drafts that are not in the
 *   notes (src/assistant/draft/fidelity.ts); must be 0 on the template path.
 * - overlap: copying from the two shared bulletins (the style examples): the share of a draft's
 *   character 8-grams (white space removed) that occur in a bulletin, counting only 8-grams that are
 *   NOT in the notes themselves; per draft the larger of the two bulletins; mean and max, over all
 *   drafts and over the new note sets (the two reconstructions share the bulletins' facts and phrasing
 *   by construction).
 * - warnings: recall of the expected "missing field" warnings, and warnings naming a field the
 *   notes do have (false alarms).
 */
import { readFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createAssistant } from "../../src/app.js";
import { checkFidelity } from "../../src/assistant/draft/fidelity.js";
import { copiedShare } from "../../src/assistant/draft/overlap.js";
import type { DraftForm, DraftResponse } from "../../src/assistant/draft/types.js";
import { normalizeText } from "../../src/ingest/normalize.js";
import type { EvalItem, Suite, SuiteResult } from "../suite.js";

const projectRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const ORDER: Record<DraftForm, string[]> = {
  bulletin: ["headline", "lead", "remarks", "requirements", "reports", "participation", "source"],
  summary: ["headline", "opening", "achievements", "problems", "nextSteps", "source"],
};

const ORD = /^([一二三四五六七八九十]{1,3})(要|是)/;
const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ordValue = (s: string) => (s.length === 1 ? CN[s]! : s === "十" ? 10 : s.startsWith("十") ? 10 + CN[s[1]!]! : CN[s[0]!]! * 10 + (CN[s[2] ?? ""] ?? 0));

/** Paragraph index where each part is found (-1 for the headline), or undefined. */
export function detectParts(r: Pick<DraftResponse, "title" | "text">, form: DraftForm, lead: { date?: string; organiser?: string; form?: string } = {}): Record<string, number | undefined> {
  const ps = r.text.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  const find = (pred: (p: string, i: number) => boolean) => {
    const i = ps.findIndex(pred);
    return i >= 0 ? i : undefined;
  };
  const ordinalAt = (i: number) => ORD.test(ps[i] ?? "");
  if (form === "summary") {
    // a numbered heading followed by at least one item (a numbered point, or a single unnumbered one)
    const heading = (re: RegExp) => find((p, i) => /^[一二三四五]、/.test(p) && re.test(p) && ps.slice(i + 1, i + 4).some((q) => ORD.test(q) || (!/^[一二三四五]、/.test(q) && !/[：:]$/.test(q))));
    return {
      headline: /总结$/.test(r.title) ? -1 : undefined,
      opening: ps[0] && !/^[一二三四五]、/.test(ps[0]) ? 0 : undefined,
      achievements: heading(/成效|成绩|主要工作/),
      problems: heading(/问题|不足/),
      nextSteps: heading(/下一步|工作安排|计划/),
      source: find((p, i) => i === ps.length - 1 && /^（本文来源：.+）$/.test(p)),
    };
  }
  return {
    headline: r.title && (!lead.organiser || r.title.includes(lead.organiser)) && (/会/.test(r.title) || (!!lead.form && r.title.includes(lead.form))) ? -1 : undefined,
    lead: ps[0] && (!lead.date || ps[0].startsWith(lead.date)) && (!lead.organiser || ps[0].includes(lead.organiser)) && (!lead.form || ps[0].includes(lead.form)) ? 0 : undefined,
    remarks: find((p) => /^[\u4e00-\u9fff]{2,4}指出[，：]/.test(p)),
    requirements: find((p, i) => /(强调|要求)/.test(p) && !ORD.test(p) && ordinalAt(i + 1) && ordinalAt(i + 2)),
    reports: find((p) => /^会议还听取了/.test(p)),
    participation: find((p) => /参会|参加了?(?:会议|培训|活动)/.test(p) && !/^会议由/.test(p)),
    source: find((p, i) => i === ps.length - 1 && /^（本文来源：.+）$/.test(p)),
  };
}

/** Share of required parts present and in order (longest increasing run of positions ÷ required). */
export function structureScore(found: Record<string, number | undefined>, required: string[], form: DraftForm): number {
  const seq = ORDER[form].filter((p) => required.includes(p)).map((p) => found[p]).filter((x): x is number => x !== undefined);
  // longest strictly increasing subsequence (n is tiny)
  const best = seq.map(() => 1);
  for (let i = 0; i < seq.length; i++) for (let j = 0; j < i; j++) if (seq[j]! < seq[i]! && best[j]! + 1 > best[i]!) best[i] = best[j]! + 1;
  return required.length ? Math.max(0, ...best) / required.length : 1;
}

/** Ordinals at paragraph or sentence starts: one style, each list counting from 一 without gaps. */
export function numberingConsistent(text: string): { has: boolean; ok: boolean } {
  const hits = [...text.matchAll(/(?:^|(?<=[。；：，\n]))([一二三四五六七八九十]{1,3})(要|是)(?![否的])/gm)];
  if (!hits.length) return { has: false, ok: true };
  const styles = new Set(hits.map((h) => h[2]));
  let expected = 1;
  let ok = styles.size === 1;
  for (const h of hits) {
    const v = ordValue(h[1]!);
    if (v === 1) expected = 2;
    else if (v === expected) expected++;
    else ok = false;
  }
  return { has: true, ok };
}

async function bulletins(): Promise<{ name: string; text: string }[]> {
  const dir = join(projectRoot, "corpus");
  const names = (await readdir(dir)).filter((f) => /^\d{4}-\d{2}-\d{2} .+\.txt$/.test(f)).sort();
  return Promise.all(names.map(async (name) => ({ name, text: normalizeText(await readFile(join(dir, name), "utf8")) })));
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

const suite: Suite = {
  defaultSet: "evals/draft.jsonl",
  async run(items: EvalItem[], ctx): Promise<SuiteResult> {
    const assistant = createAssistant(ctx.config, { log: ctx.log });
    const examples = await bulletins();
    const out: SuiteResult["items"] = [];
    const structure: number[] = [];
    const overlapAll: number[] = [];
    const overlapNew: number[] = [];
    let numberingHas = 0;
    let numberingOk = 0;
    let violations = 0;
    let expectedMissing = 0;
    let foundMissing = 0;
    let falseAlarms = 0;
    let formRight = 0;
    const via: Record<string, number> = {};
    for (const item of items) {
      const file = resolve(ctx.setDir, String(item.file));
      const notes = await readFile(file, "utf8");
      const form = item.form === "summary" || item.form === "bulletin" ? (item.form as DraftForm) : undefined;
      const output = await assistant.draft(notes, form ? { form } : {});
      const usedForm: DraftForm = output.form ?? form ?? "bulletin";
      const expectForm = (item.expectForm ?? form ?? (Array.isArray(item.parts) && item.parts.includes("achievements") ? "summary" : "bulletin")) as DraftForm;
      if (usedForm === expectForm) formRight++;
      via[output.via ?? "?"] = (via[output.via ?? "?"] ?? 0) + 1;
      const required = Array.isArray(item.parts) ? (item.parts as string[]) : ORDER[usedForm];
      const found = detectParts(output, usedForm, (item.lead ?? {}) as Record<string, string>);
      const s = structureScore(found, required, usedForm);
      structure.push(s);
      const num = numberingConsistent(output.text);
      if (num.has) {
        numberingHas++;
        if (num.ok) numberingOk++;
      }
      const v = checkFidelity(`${output.title}\n${output.text}`, notes);
      violations += v.length;
      const overlap = Math.max(0, ...examples.map((e) => copiedShare(`${output.title}\n${output.text}`, e.text, notes)));
      overlapAll.push(overlap);
      if (!item.reconstructs) overlapNew.push(overlap);
      const missing = Array.isArray(item.missing) ? (item.missing as string[]) : [];
      const warned = new Set(output.warnings.map((w) => w.match(/可写“(.+?)：”/)?.[1]).filter((x): x is string => !!x));
      expectedMissing += missing.length;
      foundMissing += missing.filter((m) => warned.has(m)).length;
      falseAlarms += [...warned].filter((w) => !missing.includes(w)).length;
      out.push({
        id: item.id,
        output,
        structure: s,
        missingParts: required.filter((p) => found[p] === undefined),
        numberingOk: num.ok,
        violations: v,
        overlap,
      });
      ctx.log(`${item.id}: structure ${s.toFixed(2)}, numbering ${num.has ? (num.ok ? "ok" : "MIXED") : "-"}, violations ${v.length}, overlap ${overlap.toFixed(3)}`);
    }
    return {
      items: out,
      metrics: {
        drafts: items.length,
        via,
        formInferred: formRight / Math.max(1, items.length),
        structure: mean(structure),
        structureMin: structure.length ? Math.min(...structure) : 0,
        numberingConsistent: numberingHas ? numberingOk / numberingHas : 1,
        draftsWithOrdinals: numberingHas,
        fidelityViolations: violations,
        overlap: { meanAll: mean(overlapAll), maxAll: Math.max(0, ...overlapAll), meanNew: mean(overlapNew), maxNew: Math.max(0, ...overlapNew) },
        missingFieldWarnings: { expected: expectedMissing, recall: expectedMissing ? foundMissing / expectedMissing : 1, falseAlarms },
      },
    };
  },
};

export default suite;
