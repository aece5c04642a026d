/**
 * Breaks the figures of an eval run down by any field of the set's items (default: `cause`).
 *
 *   npm run -s eval -- retrieval --set SET --json > r.json
 *   npx tsx evals/by-cause.ts --set SET --result r.json [--result LABEL=FILE …] [--by cause] [--json]
 *
 * Each --result is the `--json` output of one run of the retrieval or the answer suite over SET (or
 * over a subset of it: items are joined by id). A LABEL names the column group (e.g. `keyword=kw.json`
 * for a retrieval run with RETRIEVAL_MODE=keyword: the retrieval suite's `output` holds the results of
 * the configured mode only, so run it once per mode to get every mode item by item); without a label
 * the file name is used.
 *
 * The grouping field may be a string or a list (an item with cause ["place", "penalty"] counts in both
 * groups); items without it fall in "(none)". The "(all)" row covers every joined item.
 *
 * Figures, recomputed item by item with the suites' own scoring (read-only imports):
 * - retrieval: recall@1, recall@5 (share of gold entries in the top 1 / 5) and MRR@10, as in
 *   evals/suites/retrieval.ts (`scoreResults`);
 * - answer: on answerable items the citation hit rate and the false-refusal rate (abstained), on
 *   unanswerable items the abstention recall (abstained), from each item's `score` as written by
 *   evals/suites/answer.ts; abstention precision on the "(all)" row.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { scoreResults } from "./suites/retrieval.js";

interface SetItem {
  id: string;
  gold?: { title: string; text: string }[] | null;
  [field: string]: unknown;
}
interface ResultFile {
  suite: string;
  items: { id: string; output: unknown; score?: { answerable: boolean; abstained: boolean; citationHit: boolean } }[];
}

function readJsonl(file: string): SetItem[] {
  return readFileSync(file, "utf8")
    .split(/\r?\n/u)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SetItem);
}

const groupsOf = (item: SetItem, by: string): string[] => {
  const v = item[by];
  if (Array.isArray(v)) return v.length ? v.map(String) : ["(none)"];
  return v === undefined || v === null || v === "" ? ["(none)"] : [String(v)];
};

type Row = Record<string, number>;

function retrievalRows(set: Map<string, SetItem>, res: ResultFile, by: string): Map<string, { n: number; sums: Row }> {
  const out = new Map<string, { n: number; sums: Row }>();
  for (const it of res.items) {
    const item = set.get(it.id);
    if (!item || !Array.isArray(item.gold) || !item.gold.length) continue;
    const results = (it.output as { results?: { title: string; text: string }[] }).results ?? [];
    const s = scoreResults(results, item.gold);
    for (const g of ["(all)", ...groupsOf(item, by)]) {
      const r = out.get(g) ?? { n: 0, sums: { "recall@1": 0, "recall@5": 0, "mrr@10": 0 } };
      r.n++;
      r.sums["recall@1"]! += s.recallAt1;
      r.sums["recall@5"]! += s.recallAt5;
      r.sums["mrr@10"]! += s.rrAt10;
      out.set(g, r);
    }
  }
  return out;
}

interface AnswerAgg {
  answerable: number;
  cited: number;
  refused: number;
  unanswerable: number;
  abstained: number;
}
function answerRows(set: Map<string, SetItem>, res: ResultFile, by: string): Map<string, AnswerAgg> {
  const out = new Map<string, AnswerAgg>();
  for (const it of res.items) {
    const item = set.get(it.id);
    if (!item || !it.score) continue;
    for (const g of ["(all)", ...groupsOf(item, by)]) {
      const a = out.get(g) ?? { answerable: 0, cited: 0, refused: 0, unanswerable: 0, abstained: 0 };
      if (it.score.answerable) {
        a.answerable++;
        if (it.score.citationHit) a.cited++;
        if (it.score.abstained) a.refused++;
      } else {
        a.unanswerable++;
        if (it.score.abstained) a.abstained++;
      }
      out.set(g, a);
    }
  }
  return out;
}

const f3 = (x: number) => x.toFixed(3);
const ratio = (a: number, b: number) => (b ? f3(a / b) : "–");

function main(): number {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      set: { type: "string" },
      result: { type: "string", multiple: true },
      by: { type: "string", default: "cause" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.set || !values.result?.length) {
    process.stderr.write(
      "Usage: npx tsx evals/by-cause.ts --set SET.jsonl --result [LABEL=]RUN.json [--result …] [--by FIELD] [--json]\n",
    );
    return 2;
  }
  const by = values.by!;
  const set = new Map(readJsonl(values.set).map((i) => [i.id, i]));
  const runs = values.result.map((r) => {
    const eq = r.indexOf("=");
    const file = eq > 0 ? r.slice(eq + 1) : r;
    const label = eq > 0 ? r.slice(0, eq) : path.basename(file, ".json");
    return { label, res: JSON.parse(readFileSync(file, "utf8")) as ResultFile };
  });
  const order = (keys: Iterable<string>) =>
    [...new Set(keys)].sort((a, b) => (a === "(all)" ? -1 : b === "(all)" ? 1 : a.localeCompare(b)));
  const json: Record<string, unknown> = {};
  const lines: string[] = [];

  const retrieval = runs
    .filter((r) => r.res.suite === "retrieval")
    .map((r) => ({ label: r.label, rows: retrievalRows(set, r.res, by) }));
  if (retrieval.length) {
    const keys = order(retrieval.flatMap((r) => [...r.rows.keys()]));
    lines.push(`retrieval by ${by} (recall@1 / recall@5 / MRR@10)`, "");
    lines.push(
      `| ${by} | n | ${retrieval.map((r) => `${r.label} R@1 | ${r.label} R@5 | ${r.label} MRR`).join(" | ")} |`,
    );
    lines.push(`|---|---:|${retrieval.map(() => "---:|---:|---:").join("|")}|`);
    for (const k of keys) {
      const n = Math.max(...retrieval.map((r) => r.rows.get(k)?.n ?? 0));
      const cells = retrieval.map((r) => {
        const row = r.rows.get(k);
        return row ? ["recall@1", "recall@5", "mrr@10"].map((m) => f3(row.sums[m]! / row.n)).join(" | ") : "– | – | –";
      });
      lines.push(`| ${k} | ${n} | ${cells.join(" | ")} |`);
      json[`retrieval:${k}`] = Object.fromEntries(
        retrieval.map((r) => {
          const row = r.rows.get(k);
          return [
            r.label,
            row ? { n: row.n, ...Object.fromEntries(Object.entries(row.sums).map(([m, v]) => [m, v / row.n])) } : null,
          ];
        }),
      );
    }
    lines.push("");
  }

  for (const run of runs.filter((r) => r.res.suite === "answer")) {
    const rows = answerRows(set, run.res, by);
    lines.push(`answer (${run.label}) by ${by}`, "");
    lines.push(
      `| ${by} | answerable | citation hit | false refusal | unanswerable | abstention recall |`,
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const k of order(rows.keys())) {
      const a = rows.get(k)!;
      lines.push(
        `| ${k} | ${a.answerable} | ${ratio(a.cited, a.answerable)} | ${ratio(a.refused, a.answerable)} | ${a.unanswerable} | ${ratio(a.abstained, a.unanswerable)} |`,
      );
      json[`answer:${run.label}:${k}`] = {
        ...a,
        citationHit: a.answerable ? a.cited / a.answerable : null,
        falseRefusal: a.answerable ? a.refused / a.answerable : null,
        abstentionRecall: a.unanswerable ? a.abstained / a.unanswerable : null,
      };
    }
    const all = rows.get("(all)");
    if (all)
      lines.push(
        "",
        `abstention precision (all): ${ratio(all.abstained, all.abstained + all.refused)} (${all.abstained} of ${all.abstained + all.refused} abstentions were on unanswerable items)`,
      );
    lines.push("");
  }
  process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${lines.join("\n")}\n`);
  return 0;
}

process.exitCode = main();
