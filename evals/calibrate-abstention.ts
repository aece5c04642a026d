/**
 * Calibrates the abstention of `ask` (src/assistant/ask/abstain.ts).
 *
 *   npx tsx evals/calibrate-abstention.ts [--set FILE]... [--write]
 *   (default sets: ../shared/dev/questions.jsonl, evals/ask-dev.jsonl, evals/ask-test.jsonl (the first
 *   test set, scored once, now dev) and evals/answer-calibration.jsonl)
 *
 * Runs the embedded answerer (no LLM, whatever the environment says) over calibration sets of
 * answerable and unanswerable questions (gold null), DISTINCT from the evaluation set
 * evals/answer.jsonl, and records for each answer its support (AskResponse.support), the share of
 * its question's term weight the corpus never uses (`unknownShare`) and whether it was refused for
 * an evidence gap (evidence.ts: those are refused whatever the threshold). The confidence is
 * support − λ · unknownShare; for λ in 0, 0.1 … 1 it sweeps the threshold over the midpoints
 * between consecutive observed confidences and picks the operating point with the highest
 * Youden J = abstention recall − false-refusal rate (positive class = abstained), ties to the
 * lower λ, then the lower threshold. Questions with a domain anchor (AskResponse.anchored,
 * evidence.ts domainAnchors) get their own threshold on support alone, chosen the same way. With --write, λ, the threshold, the rule, the date, the sets
 * and the figures there go to src/assistant/ask/abstention-threshold.json, which the answerer reads.
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
const OUT = resolve(root, "src/assistant/ask/abstention-threshold.json");

export interface Point {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** Abstention recall − share of answerable questions abstained. */
  youden: number;
  answerableAbstained: number;
  unanswerableAnswered: number;
}

export interface Sample {
  /** The score compared with the threshold (the confidence). */
  support: number;
  answerable: boolean;
  /** Refused whatever the threshold (an evidence gap). */
  refused?: boolean;
}

/** Sweep thresholds over observed scores; abstain when refused or score < threshold. */
export function sweep(samples: readonly Sample[]): Point[] {
  const values = [...new Set(samples.map((s) => s.support))].sort((a, b) => a - b);
  const candidates = [
    (values[0] ?? 0) - 0.001,
    ...values.slice(1).map((v, i) => (v + values[i]!) / 2),
    (values[values.length - 1] ?? 0) + 0.001,
  ];
  return candidates.map((t) => {
    const scores = samples.map((s) => ({ answerable: s.answerable, abstained: !!s.refused || s.support < t }));
    const f = abstentionFigures(scores);
    return {
      threshold: t,
      precision: f.precision,
      recall: f.recall,
      f1: f.f1,
      youden: f.recall - (f.answerable ? f.abstainedAnswerable / f.answerable : 0),
      answerableAbstained: f.abstainedAnswerable,
      unanswerableAnswered: f.unanswerable - f.abstainedUnanswerable,
    };
  });
}

/** Highest Youden J; ties to the lower threshold. */
export function pick(points: readonly Point[]): Point {
  return points.reduce((best, p) => (p.youden > best.youden + 1e-12 ? p : best));
}

interface Part {
  threshold: number;
  /** This group's share of Youden J: its refused unanswerable / all unanswerable − its refused answerable / all answerable. */
  j: number;
}

/** The threshold maximising a group's share of Youden J (totals A answerable, U unanswerable over all groups); ties to the lower threshold. */
export function bestPart(samples: readonly Sample[], A: number, U: number): Part {
  const values = [...new Set(samples.map((s) => s.support))].sort((a, b) => a - b);
  const candidates = [
    (values[0] ?? 0) - 0.001,
    ...values.slice(1).map((v, i) => (v + values[i]!) / 2),
    (values[values.length - 1] ?? 0) + 0.001,
  ];
  let best: Part | undefined;
  for (const t of candidates) {
    let j = 0;
    for (const s of samples)
      if (s.refused || s.support < t) j += s.answerable ? -1 / Math.max(1, A) : 1 / Math.max(1, U);
    if (!best || j > best.j + 1e-12) best = { threshold: t, j };
  }
  return best ?? { threshold: 0, j: 0 };
}

export const LAMBDAS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { set: { type: "string", multiple: true }, write: { type: "boolean", default: false } },
  });
  const setFiles = (
    values.set?.length
      ? values.set
      : [
          resolve(root, "../shared/dev/questions.jsonl"),
          resolve(root, "evals/ask-dev.jsonl"),
          resolve(root, "evals/ask-test.jsonl"),
          resolve(root, "evals/answer-calibration.jsonl"),
        ]
  ).map((f) => resolve(f));
  const items: (AnswerItem & { set: string })[] = [];
  // (evals/run.ts has a reader, but importing it would start the eval dispatcher.)
  for (const file of setFiles)
    for (const l of (await readFile(file, "utf8")).split(/\r?\n/))
      if (l.trim()) items.push({ ...(JSON.parse(l) as AnswerItem), set: file });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { config, cleanup } = await indexForEval({ ...loadConfig(), llm: null }, log);
  try {
    const assistant = createAssistant(config, { log });
    const raw: {
      id: string;
      support: number;
      unknown: number;
      refused: boolean;
      answerable: boolean;
      anchored: boolean;
    }[] = [];
    for (const item of items) {
      const r = await assistant.ask(item.question);
      raw.push({
        id: item.id,
        support: r.support ?? 0,
        unknown: r.unknownShare ?? 0,
        refused: r.abstained && !!r.abstainReason && r.abstainReason !== "support",
        answerable: Array.isArray(item.gold),
        anchored: !!r.anchored,
      });
    }
    // Youden J is a sum over items (fixed denominators), so the anchored questions' threshold and the
    // others' lambda and threshold are chosen independently, each for its share of J.
    const A = raw.filter((s) => s.answerable).length;
    const U = raw.length - A;
    const anchoredPart = bestPart(
      raw.filter((s) => s.anchored).map((s) => ({ support: s.support, answerable: s.answerable, refused: s.refused })),
      A,
      U,
    );
    let otherPart: (Part & { lambda: number }) | undefined;
    for (const lambda of LAMBDAS) {
      const part = bestPart(
        raw
          .filter((s) => !s.anchored)
          .map((s) => ({ support: s.support - lambda * s.unknown, answerable: s.answerable, refused: s.refused })),
        A,
        U,
      );
      if (!otherPart || part.j > otherPart.j + 1e-12) otherPart = { ...part, lambda };
    }
    const { lambda } = otherPart!;
    const abstained = raw.map((s) => ({
      answerable: s.answerable,
      abstained:
        s.refused ||
        (s.anchored ? s.support < anchoredPart.threshold : s.support - lambda * s.unknown < otherPart!.threshold),
    }));
    const f = abstentionFigures(abstained);
    const point: Point = {
      threshold: otherPart!.threshold,
      precision: f.precision,
      recall: f.recall,
      f1: f.f1,
      youden: f.recall - f.abstainedAnswerable / Math.max(1, A),
      answerableAbstained: f.abstainedAnswerable,
      unanswerableAnswered: f.unanswerable - f.abstainedUnanswerable,
    };
    const lines = raw
      .map((s) => ({ ...s, c: s.anchored ? s.support : s.support - lambda * s.unknown }))
      .sort((a, b) => a.c - b.c)
      .map(
        (s) =>
          `  ${s.c.toFixed(3)}  ${s.answerable ? "answerable  " : "UNANSWERABLE"}  ${s.refused ? "gap " : "    "}${s.anchored ? "anchored " : "         "}${s.id}`,
      );
    process.stdout.write(`confidences (${raw.length} items):\n${lines.join("\n")}\n`);
    const fr = (p: Point) => p.answerableAbstained / A;
    process.stdout.write(
      `operating point: anchored threshold ${anchoredPart.threshold.toFixed(3)}; others lambda ${lambda}, threshold ${point.threshold.toFixed(3)}  abstention recall ${point.recall.toFixed(3)}, false refusals ${fr(point).toFixed(3)} (J ${point.youden.toFixed(3)}), precision ${point.precision.toFixed(3)}; ` +
        `${point.answerableAbstained} answerable abstained, ${point.unanswerableAnswered} unanswerable answered\n`,
    );
    if (values.write) {
      const unanswerable = U;
      const out = {
        threshold: Math.round(point.threshold * 1000) / 1000,
        lambda,
        anchoredThreshold: Math.round(anchoredPart.threshold * 1000) / 1000,
        rule: "abstain on an evidence gap (evidence.ts); else, for a question with a domain anchor (evidence.ts domainAnchors), when support < anchoredThreshold; for any other, when support − lambda · unknownShare < threshold; the anchored threshold, lambda and threshold maximise Youden J (abstention recall − false-refusal rate) on the calibration sets, ties to the lower lambda, then the lower threshold",
        calibratedAt: new Date().toISOString().slice(0, 10),
        set: `${setFiles.map((f) => relative(root, f)).join(" + ")} (${A} answerable, ${unanswerable} unanswerable)`,
        figures: {
          abstentionPrecision: Math.round(point.precision * 1000) / 1000,
          abstentionRecall: Math.round(point.recall * 1000) / 1000,
          falseRefusalRate: Math.round(fr(point) * 1000) / 1000,
          youden: Math.round(point.youden * 1000) / 1000,
          answerableAbstained: point.answerableAbstained,
          unanswerableAnswered: point.unanswerableAnswered,
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
