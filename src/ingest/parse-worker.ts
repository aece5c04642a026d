/**
 * The parse process (parse-isolated.ts forks it with a heap cap): reads and parses one file at a
 * time with parseDocument and replies with the document, or the InputError's reason.
 */
import { InputError } from "../errors.js";
import { parseDocument, type ParseOptions } from "./load-document.js";
import type { ParsedDocument } from "./types.js";

export interface ParseTask {
  id: number;
  path: string;
  opts: ParseOptions;
}

export type ParseReply =
  | { id: number; ok: true; doc: ParsedDocument }
  | { id: number; ok: false; input: boolean; reason: string };

const send = process.send?.bind(process);
if (!send) throw new Error("parse-worker.ts runs as a child process of parse-isolated.ts");
process.on("message", async (task: ParseTask) => {
  let reply: ParseReply;
  try {
    reply = { id: task.id, ok: true, doc: await parseDocument(task.path, task.opts) };
  } catch (err) {
    reply =
      err instanceof InputError
        ? { id: task.id, ok: false, input: true, reason: err.reason }
        : { id: task.id, ok: false, input: false, reason: err instanceof Error ? err.message : String(err) };
  }
  send(reply);
});
// the parent going away ends this process
process.on("disconnect", () => process.exit(0));
send({ ready: true });
