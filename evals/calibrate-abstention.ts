/**
 * Calibrates the abstention threshold of `ask` (src/assistant/answer/abstain.ts).
 *
 *   npx tsx evals/calibrate-abstention.ts [--set evals/answer-calibration.jsonl] [--write]
 *
 * Runs the embedded answerer (no LLM, whatever the environment says) over a calibration set of
 * answerable and unanswerable questions (gold null), DISTINCT from the evaluation set
 * evals/answer.jsonl, and records each answer's support score (AskResponse.support, computed before
 * the abstention decision). It then sweeps the threshold over the midpoints between consecutive
 * observed supports and picks the operating point with the highest abstention F1 (positive class
 * = abstained); ties go to the lower threshold (fewer answerable questions refused). With --write
 * the threshold, the rule, the date, the set and the figures at that point are written to
 * src/assistant/answer/abstention-threshold.json, which the answerer reads.
 *
 * Index: INDEX_DIR when it holds one, else the documented corpus indexed into a temporary folder.
 */
import { readFile, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { abstentionFigures, indexForEval, type AnswerItem } from "./suites/answer.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const OUT = resolve(root, "src/assistant/answer/abstention-threshold.json");

export interface Point {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  answerableAbstained: number;
  unanswerableAnswered: number;
}

/** Sweep thresholds over observed supports; abstain when support < threshold. */
export function sweep(samples: readonly { support: number; answerable: boolean }[]): Point[] {
  const values = [...new Set(samples.map((s) => s.support))].sort((a, b) => a - b);
  const candidates = [0, ...values.slice(1).map((v, i) => (v + values[i]!) / 2), (values[values.length - 1] ?? 0) + 0.001];
  return candidates.map((t) => {
    const scores = samples.map((s) => ({ answerable: s.answerable, abstained: s.support < t }));
    const f = abstentionFigures(scores);
    return {
      threshold: t,
      precision: f.precision,
      recall: f.recall,
      f1: f.f1,
      answerableAbstained: f.abstainedAnswerable,
      unanswerableAnswered: f.unanswerable - f.abstainedUnanswerable,
    };
  });
}

/** Highest F1; ties to the lower threshold. */
export function pick(points: readonly Point[]): Point {
  return points.reduce((best, p) => (p.f1 > best.f1 + 1e-12 ? p : best));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { set: { type: "string" }, write: { type: "boolean", default: false } } });
  const setFile = resolve(values.set ?? resolve(root, "evals/answer-calibration.jsonl"));
  // (evals/run.ts has a reader, but importing it would start the eval dispatcher.)
  const items = (await readFile(setFile, "utf8"))
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AnswerItem);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { config, cleanup } = await indexForEval({ ...loadConfig(), llm: null }, log);
  try {
    const assistant = createAssistant(config, { log });
    const samples: { id: string; support: number; answerable: boolean }[] = [];
    for (const item of items) {
      const r = await assistant.ask(item.question);
      samples.push({ id: item.id, support: r.support ?? 0, answerable: Array.isArray(item.gold) });
    }
    const points = sweep(samples);
    const best = pick(points);
    const lines = samples
      .slice()
      .sort((a, b) => a.support - b.support)
      .map((s) => `  ${s.support.toFixed(3)}  ${s.answerable ? "answerable  " : "UNANSWERABLE"}  ${s.id}`);
    process.stdout.write(`supports (${samples.length} items, ${setFile}):\n${lines.join("\n")}\n`);
    process.stdout.write(
      `operating point: threshold ${best.threshold.toFixed(3)}  abstention precision ${best.precision.toFixed(3)} recall ${best.recall.toFixed(3)} F1 ${best.f1.toFixed(3)}; ` +
        `${best.answerableAbstained} answerable abstained, ${best.unanswerableAnswered} unanswerable answered\n`,
    );
    // Sensitivity: the neighbouring candidate thresholds and what they would give.
    const at = points.indexOf(best);
    const around = points.slice(Math.max(0, at - 3), at + 4);
    process.stdout.write(
      `sweep around it:\n${around
        .map((p) => `  ${p === best ? "→" : " "} threshold ${p.threshold.toFixed(3)}  P ${p.precision.toFixed(3)} R ${p.recall.toFixed(3)} F1 ${p.f1.toFixed(3)}  answerable abstained ${p.answerableAbstained}, unanswerable answered ${p.unanswerableAnswered}`)
        .join("\n")}\n`,
    );
    if (values.write) {
      const n = samples.length;
      const unanswerable = samples.filter((s) => !s.answerable).length;
      const out = {
        threshold: Math.round(best.threshold * 1000) / 1000,
        rule: "abstain when support < threshold; threshold = midpoint between observed supports maximising abstention F1 (positive = abstained) on the calibration set, ties to the lower threshold",
        calibratedAt: new Date().toISOString().slice(0, 10),
        set: `${relative(root, setFile)} (${n - unanswerable} answerable, ${unanswerable} unanswerable)`,
        figures: {
          abstentionPrecision: Math.round(best.precision * 1000) / 1000,
          abstentionRecall: Math.round(best.recall * 1000) / 1000,
          abstentionF1: Math.round(best.f1 * 1000) / 1000,
          answerableAbstained: best.answerableAbstained,
          unanswerableAnswered: best.unanswerableAnswered,
        },
      };
      await writeFile(OUT, `${JSON.stringify(out, null, 2)}\n`);
      process.stdout.write(`wrote ${relative(root, OUT)}\n`);
    }
  } finally {
    await cleanup();
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain)
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
