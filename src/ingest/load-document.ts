/**
 * Load one file into a ParsedDocument: loader → cleaning → metadata; chunking is separate (chunk.ts).
 *
 * Untrusted input is parsed with limits (limits.ts): the size is checked from the open file before
 * a byte is read; formats whose memory use does not follow their size (.docx, .pdf) and large text
 * files are parsed in a worker thread with a heap cap and a deadline (parse-isolated.ts), so a
 * hostile file fails alone, as an InputError naming it and why, and the caller carries on.
 */
import { extname } from "node:path";
import { InputError } from "../errors.js";
import { cleanText } from "./clean.js";
import { DEFAULT_LIMITS, resolveLimits, textTooLong, type DocumentLimits } from "./limits.js";
import { loaderFor } from "./loaders/registry.js";
import { inferMetadata } from "./metadata.js";
import { normalizeText } from "./normalize.js";
import { parseIsolated } from "./parse-isolated.js";
import { readBounded, statChecked } from "./read-file.js";
import type { DocKind, ParsedDocument } from "./types.js";

/** Files above this are refused (a corpus document is a few hundred KB at most). */
export const DEFAULT_MAX_BYTES = DEFAULT_LIMITS.maxBytes;

/** Formats parsed in the worker whatever their size: compressed, so memory is not bounded by bytes. */
const ISOLATED_EXTENSIONS = new Set([".docx", ".pdf"]);
/** Text files above this are parsed in the worker too. */
const INLINE_MAX_BYTES = 2 * 1024 * 1024;

export interface LoadOptions {
  /** Corpus root the document id is relative to (default: the id is the file name). */
  root?: string;
  /** Kind to use when the file's front matter does not say (default: inferred). */
  kind?: DocKind;
  /** Size limit in bytes (default 50 MB); same as limits.maxBytes. */
  maxBytes?: number;
  /** Limits on the file and what it inflates to (limits.ts). */
  limits?: Partial<DocumentLimits>;
  /** Parse in the memory-capped worker: "auto" (.docx, .pdf, text over 2 MB), "always" or "never". */
  isolate?: "auto" | "always" | "never";
}

/** Options of parseDocument: what crosses to the parse worker (plain data). */
export interface ParseOptions {
  root?: string;
  kind?: DocKind;
  limits: DocumentLimits;
}

export async function loadDocument(path: string, opts: LoadOptions = {}): Promise<ParsedDocument> {
  loaderFor(path); // unsupported types are refused before the file is opened
  const limits = resolveLimits({ ...opts.limits, ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) });
  const size = await statChecked(path, limits);
  const parseOpts: ParseOptions = {
    limits,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
  };
  const isolate = opts.isolate ?? "auto";
  if (
    isolate === "always" ||
    (isolate === "auto" && (ISOLATED_EXTENSIONS.has(extname(path).toLowerCase()) || size > INLINE_MAX_BYTES))
  ) {
    return parseIsolated(path, parseOpts);
  }
  return parseDocument(path, parseOpts);
}

/** Read and parse in this thread (what the parse worker runs); loadDocument is the entry point. */
export async function parseDocument(path: string, opts: ParseOptions): Promise<ParsedDocument> {
  const { limits } = opts;
  const loader = loaderFor(path);
  const bytes = await readBounded(path, limits);
  const raw = await loader.load(bytes, path, limits);
  if (raw.text.length > limits.maxTextChars) throw new InputError(path, textTooLong(raw.text.length, limits));
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
  return { meta: raw.warnings?.length ? { ...meta, warnings: raw.warnings } : meta, original: cleaned.text, text };
}
