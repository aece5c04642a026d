/**
 * `npm run -s audit -- [--since YYYY-MM-DD] [--json]`: the audit log (who asked what in which
 * chat, which sources were cited, documents added or removed, task changes), oldest first.
 * JSON: `{"entries": [{"at", "actor", "chat", "action", "subject", "detail"}]}`.
 */
import { isIsoDate } from "../../../assistant/extract/extract.js";
import type { AuditEntry } from "../../../store/types.js";
import { parseCommand } from "../args.js";
import type { CliContext, CliIo } from "../io.js";

const USAGE = "Usage: npm run -s audit -- [--since YYYY-MM-DD] [--json]\n";

function formatEntry(e: AuditEntry): string {
  const detail = e.detail ? `  ${JSON.stringify(e.detail)}` : "";
  return `${e.at}  ${e.actor}${e.chat ? ` @${e.chat}` : ""}  ${e.action}${e.subject ? `  ${e.subject}` : ""}${detail}`;
}

export default async function audit(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    { json: { type: "boolean", default: false }, since: { type: "string" } },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length) {
    io.stderr(USAGE);
    return 2;
  }
  if (values.since !== undefined && !isIsoDate(values.since.slice(0, 10))) {
    io.stderr(`--since must be a date YYYY-MM-DD, got "${values.since}"\n${USAGE}`);
    return 2;
  }
  const entries: AuditEntry[] = await cli.withTasks((c) =>
    c.store.auditLog(values.since ? { since: values.since } : {}),
  );
  if (values.json) io.stdout(`${JSON.stringify({ entries })}\n`);
  else io.stdout(entries.length ? `${entries.map(formatEntry).join("\n")}\n` : "审计日志为空。\n");
  return 0;
}
