/**
 * `npm run -s draft -- [--json] [--form bulletin|summary] NOTES_FILE|-`: turn meeting notes into a
 * bulletin in the house style, or a list of achievements and next steps into a work summary
 * (../shared/CLI-CONTRACT.md, "Draft"). The form is inferred from the notes' labels when not given.
 * Plain-text notes (.txt, .md, or stdin) are read as UTF-8; other files (.docx, .pdf, .html) through
 * the ingest loaders. Exit 0 with a draft (warnings may be present), 1 for unreadable input, 2 for usage.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { DraftForm, DraftResponse } from "../../../assistant/draft/types.js";
import { InputError } from "../../../errors.js";
import { parseCommand } from "../args.js";
import type { CliContext, CliIo } from "../io.js";

const USAGE =
  "Usage: npm run -s draft -- [--json] [--form bulletin|summary] NOTES_FILE|-   (e.g. npm run -s draft -- evals/draft/2015-summary-teleconference.txt)\n";

const PLAIN = new Set(["", ".txt", ".md", ".markdown", ".text"]);

export function formatDraft(r: DraftResponse): string {
  return `${r.title}\n\n${r.text}\n`;
}

export default async function draft(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(argv, { json: { type: "boolean", default: false }, form: { type: "string" } }, USAGE, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    io.stderr(USAGE);
    return 2;
  }
  if (values.form !== undefined && values.form !== "bulletin" && values.form !== "summary") {
    io.stderr(`--form must be bulletin or summary, got "${values.form}".\n${USAGE}`);
    return 2;
  }
  const file = positionals[0]!;
  const assistant = cli.assistant();
  let notes: string;
  if (file === "-") notes = (await io.readStdin()).toString("utf8");
  else if (PLAIN.has(extname(file).toLowerCase())) {
    try {
      notes = await readFile(file, "utf8");
    } catch (err) {
      throw new InputError(
        file,
        `cannot read the notes (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path.`,
      );
    }
  } else notes = (await assistant.loadDocument(file)).text;
  if (!notes.trim())
    throw new InputError(file === "-" ? "standard input" : file, "no notes to draft from; the input is empty.");
  const response = await assistant.draft(notes, values.form ? { form: values.form as DraftForm } : {});
  if (values.json) io.stdout(`${JSON.stringify(response)}\n`);
  else {
    io.stdout(formatDraft(response));
    for (const w of response.warnings) io.stderr(`注意：${w}\n`);
  }
  return 0;
}
