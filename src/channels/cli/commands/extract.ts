/**
 * `npm run -s extract -- [--json] [--ref YYYY-MM-DD] [--ics OUT.ics] FILE|-`
 * Deadlines and action items of a notice (../shared/CLI-CONTRACT.md). `-` reads UTF-8 from stdin.
 */
import { writeFile } from "node:fs/promises";
import { InputError } from "../../../errors.js";
import { formatExtract } from "../../../assistant/extract/format-table.js";
import { toIcs } from "../../../assistant/extract/ics.js";
import { parseCommand } from "../args.js";
import { extractNoticeArgument, type CliContext, type CliIo } from "../io.js";

const USAGE = "Usage: npm run -s extract -- [--json] [--ref YYYY-MM-DD] [--ics OUT.ics] FILE|-\n";

export default async function extract(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    { json: { type: "boolean", default: false }, ref: { type: "string" }, ics: { type: "string" } },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const notice = await extractNoticeArgument(positionals, values.ref, {
    io,
    cli,
    usage: USAGE,
    example: "npm run -s extract -- - < notice.txt",
  });
  if (typeof notice === "number") return notice;
  const { file, result } = notice;
  if (values.ics) {
    const ics = toIcs(result, { source: file === "-" ? "stdin" : file, now: io.now() });
    try {
      await writeFile(values.ics, ics, "utf8");
    } catch (err) {
      throw new InputError(
        values.ics,
        `cannot write the calendar file (${(err as Error).message}); choose a writable path for --ics.`,
      );
    }
    io.stderr(`Wrote ${result.deadlines.length} calendar event(s) to ${values.ics}\n`);
  }
  io.stdout(values.json ? `${JSON.stringify(result)}\n` : formatExtract(result));
  return 0;
}
