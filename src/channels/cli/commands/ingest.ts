/**
 * `npm run ingest -- [--corpus DIR]... [--rebuild]`: index every supported file under each DIR
 * (default: CORPUS_DIRS or corpus/) into INDEX_DIR (default data/). Prints the files added,
 * updated, unchanged, removed and failed, one line per failed file with its reason.
 * Exit 0 when an index was written (even if some files failed), 1 when nothing could be, 2 for usage.
 */
import type { IngestReport } from "../../../assistant/assistant.js";
import { parseCommand } from "../args.js";
import type { CliContext, CliIo } from "../io.js";

const USAGE =
  "Usage: npm run ingest -- [--corpus DIR]... [--rebuild]   (e.g. npm run ingest -- --corpus corpus --corpus ../shared/corpus)\n";

export function formatIngestReport(r: IngestReport, indexDir: string): string {
  const lines = [
    `added ${r.added.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}, removed ${r.removed.length}, failed ${r.failed.length}`,
  ];
  for (const f of r.failed) lines.push(`failed: ${f.path}: ${f.reason}`);
  lines.push(r.written ? `index: ${indexDir} (${r.chunks} chunks)` : `no index written in ${indexDir}`);
  return `${lines.join("\n")}\n`;
}

export default async function ingest(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    { corpus: { type: "string", multiple: true }, rebuild: { type: "boolean", default: false } },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length) {
    io.stderr(`Unexpected argument(s): ${positionals.join(" ")}\n${USAGE}`);
    return 2;
  }
  const report = await cli
    .assistant()
    .ingest({ corpusDirs: values.corpus?.length ? values.corpus : undefined, rebuild: values.rebuild });
  io.stdout(formatIngestReport(report, cli.config().indexDir));
  return report.written ? 0 : 1;
}
