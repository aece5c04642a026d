/**
 * `npm run -s search -- [--json] [-k N] [--kind bulletin|regulation|notice] [--since YYYY-MM-DD]
 * [--until YYYY-MM-DD] [--mode hybrid|keyword|vector] QUERY` (../shared/CLI-CONTRACT.md, "Search").
 * Readable output: rank, title, date, kind, section (and chapter), a snippet with the query's terms
 * marked (bold on a terminal, 【】 otherwise), and the path. Exit 0 (also for no results),
 * 1 for an error (no index, bad config), 2 for usage.
 */
import { RETRIEVAL_MODES, type RetrievalMode } from "../../../retrieval/types.js";
import { InputError } from "../../../errors.js";
import type { DocKind } from "../../../ingest/types.js";
import { ANSI_BOLD, BRACKETS, snippet, type Marks } from "../../../retrieval/highlight.js";
import type { SearchOptions, SearchResponse } from "../../../retrieval/types.js";
import { parseCommand } from "../args.js";
import type { CliContext, CliIo } from "../io.js";

const USAGE =
  "Usage: npm run -s search -- [--json] [-k N] [--kind bulletin|regulation|notice] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--mode hybrid|keyword|vector] QUERY\n";

export function formatSearch(r: SearchResponse, marks: Marks = BRACKETS): string {
  if (!r.results.length) return `没有找到与“${r.query}”相关的内容。\n`;
  const lines: string[] = [];
  r.results.forEach((x, i) => {
    const where = [x.chapter, x.section].filter(Boolean).join(" ");
    lines.push(
      `${i + 1}. ${x.title}  ${x.date ?? "日期不详"}  ${x.kind}${where ? `  ${where}` : ""}  (${x.score.toFixed(4)})`,
    );
    lines.push(`   ${snippet(x.text, r.query, { marks })}`);
    lines.push(`   ${x.path}`);
  });
  return `${lines.join("\n")}\n`;
}

export default async function search(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      json: { type: "boolean", default: false },
      k: { type: "string", short: "k" },
      kind: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      mode: { type: "string" },
    },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const query = positionals.join(" ").trim();
  if (!query) {
    io.stderr(USAGE);
    return 2;
  }
  const options: SearchOptions = {};
  if (values.k !== undefined) {
    const k = Number(values.k);
    if (!Number.isInteger(k) || k < 1) {
      io.stderr(`-k must be a whole number ≥ 1, got "${values.k}"\n${USAGE}`);
      return 2;
    }
    options.k = k;
  }
  if (values.mode !== undefined) {
    if (!(RETRIEVAL_MODES as readonly string[]).includes(values.mode)) {
      io.stderr(`--mode must be one of ${RETRIEVAL_MODES.join(", ")}, got "${values.mode}"\n`);
      return 2;
    }
    options.mode = values.mode as RetrievalMode;
  }
  if (values.kind !== undefined) options.kind = values.kind as DocKind;
  if (values.since !== undefined) options.since = values.since;
  if (values.until !== undefined) options.until = values.until;

  const assistant = cli.assistant();
  let response: SearchResponse;
  try {
    response = await assistant.search(query, options);
  } catch (err) {
    if (err instanceof InputError && err.path.startsWith("-")) {
      io.stderr(`${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (values.json) io.stdout(`${JSON.stringify(response)}\n`);
  else io.stdout(formatSearch(response, process.stdout.isTTY && !io.env.NO_COLOR ? ANSI_BOLD : BRACKETS));
  return 0;
}
