/**
 * `npm run -s ask -- [--json] QUESTION`: answer a question from the indexed documents, with
 * citations, or say that the documents do not cover it (../shared/CLI-CONTRACT.md, "Ask").
 * Exit 0 for an answer or an abstention, 1 for an error (missing index, bad config), 2 for usage.
 */
import type { AskResponse } from "../../../assistant/ask/types.js";
import { parseCommand } from "../args.js";
import type { CliContext, CliIo } from "../io.js";

const USAGE = "Usage: npm run -s ask -- [--json] QUESTION   (e.g. npm run -s ask -- 快递企业停业要提前多久公告？)\n";

/** The readable form: the notice when the model's answer was changed, the answer, then the numbered citations. */
export function formatAnswer(r: AskResponse): string {
  const lines = r.notice ? [r.notice, "", r.answer] : [r.answer];
  if (r.citations.length) {
    lines.push("", "引用：");
    for (const c of r.citations) {
      const where = [c.section && !c.section.startsWith("¶") ? c.section : null, c.date].filter(Boolean).join(" · ");
      lines.push(`[${c.n}] 《${c.title}》${where ? ` ${where}` : ""}`);
      lines.push(`    ${c.path}`);
      lines.push(`    “${c.quote}”`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export default async function ask(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(argv, { json: { type: "boolean", default: false } }, USAGE, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const question = positionals.join(" ").trim();
  if (!question) {
    io.stderr(USAGE);
    return 2;
  }
  const response = await cli.assistant().ask(question);
  if (values.json) {
    // chunkText is for programs that need the cited context (the eval); it stays in the JSON.
    io.stdout(`${JSON.stringify(response)}\n`);
  } else {
    io.stdout(formatAnswer(response));
  }
  return 0;
}
