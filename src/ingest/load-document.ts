/** Load one file into a ParsedDocument: loader → cleaning → metadata; chunking is separate (chunk.ts). */
import { readFile, stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import { cleanText } from "./clean.js";
import { loaderFor } from "./loaders/registry.js";
import { inferMetadata } from "./metadata.js";
import { normalizeText } from "./normalize.js";
import type { DocKind, ParsedDocument } from "./types.js";

/** Files above this are refused (a corpus document is a few hundred KB at most). */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export interface LoadOptions {
  /** Corpus root the document id is relative to (default: the id is the file name). */
  root?: string;
  /** Kind to use when the file's front matter does not say (default: inferred). */
  kind?: DocKind;
  /** Size limit in bytes (default 50 MB). */
  maxBytes?: number;
}

export async function loadDocument(path: string, opts: LoadOptions = {}): Promise<ParsedDocument> {
  const loader = loaderFor(path);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError(path, "is not a regular file");
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(err)})`, {
      cause: err,
    });
  }
  if (size === 0) throw new InputError(path, "empty file");
  if (size > maxBytes) {
    throw new InputError(
      path,
      `is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit; split it into smaller files`,
    );
  }
  const bytes = await readFile(path);
  const raw = await loader.load(bytes, path);
  const cleaned = cleanText(raw.text);
  const text = normalizeText(cleaned.text);
  if (text === "") throw new InputError(path, "has no text after removing markup; nothing to index");
  const meta = inferMetadata({
    path,
    raw,
    cleaned,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
  });
  return { meta, original: cleaned.text, text };
}
