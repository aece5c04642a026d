/**
 * `npm run -s eval -- SUITE [--set FILE] [--json]`: runs one evaluation suite over a JSON Lines set
 * and prints the metrics (or the contract's JSON with --json). See ../shared/CLI-CONTRACT.md, "Evaluate".
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.js";
import type { EvalItem, Suite, SuiteResult } from "./suite.js";

const suites: Record<string, () => Promise<{ default: Suite }>> = {
  retrieval: () => import("./suites/retrieval.js"),
  answer: () => import("./suites/answer.js"),
  timex: () => import("./suites/timex.js"),
  extract: () => import("./suites/extract.js"),
  draft: () => import("./suites/draft.js"),
};

export async function readJsonl(file: string): Promise<EvalItem[]> {
  const text = await readFile(file, "utf8");
  const items: EvalItem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    if (!item || typeof item !== "object" || typeof (item as EvalItem).id !== "string")
      throw new Error(`${file}:${i + 1}: every item needs a string "id"`);
    items.push(item as EvalItem);
  });
  return items;
}

function defaultFormat(result: SuiteResult): string {
  const lines: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else lines.push(`${prefix}: ${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : JSON.stringify(v)}`);
  };
  walk("", result.metrics);
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { set: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const name = positionals[0];
  const load = name ? suites[name] : undefined;
  if (!load) {
    process.stderr.write(
      `Usage: npm run -s eval -- SUITE [--set FILE] [--json]; SUITE is one of ${Object.keys(suites).join(", ")}\n`,
    );
    return 2;
  }
  const { default: suite } = await load();
  const setFile = resolve(values.set ?? suite.defaultSet);
  const items = await readJsonl(setFile);
  const result = await suite.run(items, {
    config: loadConfig(),
    setDir: dirname(setFile),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json)
    process.stdout.write(`${JSON.stringify({ suite: name, items: result.items, metrics: result.metrics })}\n`);
  else {
    process.stdout.write(`${name} (${items.length} items, ${setFile})\n${(suite.format ?? defaultFormat)(result)}\n`);
    // Items without gold are run and printed (the contract: missing gold fields must not matter).
    const unscored = result.items.filter((i) => i.scored === false);
    if (unscored.length)
      process.stdout.write(
        `items without gold (${unscored.length}), outputs:\n${unscored.map((i) => `${i.id}\t${JSON.stringify(i.output)}`).join("\n")}\n`,
      );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
