/**
 * A tiny CorpusSource for pipeline / retrieval tests: .txt/.md files, one chunk per paragraph,
 * title from the first line, date from a YYYY-MM-DD file-name prefix, kind from the folder name
 * ("regulations" -> regulation, "notices" -> notice, else bulletin). A file whose text starts
 * with "BAD" throws InputError, like a broken PDF would.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import { InputError } from "../../src/errors.js";
import type { CorpusSource } from "../../src/ingest/pipeline/corpus-source.js";
import type { Chunk, DocKind, ParsedDocument } from "../../src/ingest/types.js";
import { normalizeText } from "../../src/ingest/normalize.js";

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if ([".txt", ".md"].includes(extname(e.name))) out.push(p);
  }
  return out.sort();
}

export const fakeSource: CorpusSource = {
  discover: walk,
  async load(path, root) {
    const original = await readFile(path, "utf8");
    if (original.startsWith("BAD")) throw new InputError(path, "not a readable document (test fixture)");
    const text = normalizeText(original);
    const rel = relative(root, path).replace(/\.[^.]+$/, "");
    const date = /^(\d{4}-\d{2}-\d{2})/.exec(basename(path))?.[1] ?? null;
    const kind: DocKind = path.includes("regulations")
      ? "regulation"
      : path.includes("notices")
        ? "notice"
        : "bulletin";
    return { meta: { id: rel, title: text.split("\n")[0]!.replace(/^#\s*/, ""), date, kind, path }, original, text };
  },
  chunk(doc: ParsedDocument): Chunk[] {
    return doc.text
      .split(/\n\s*\n/)
      .slice(1)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p, i) => ({
        id: `${doc.meta.id}#${i}`,
        docId: doc.meta.id,
        ordinal: i,
        section: /^(第[一二三四五六七八九十百零]+条)/.exec(p)?.[1] ?? null,
        chapter: null,
        lead: null,
        text: p,
        original: p,
      }));
  },
};
