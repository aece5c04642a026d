/**
 * Limits on untrusted documents (corpus folders, files sent to the bot). A file over a limit is
 * refused with an InputError naming it and the limit; the rest of the corpus is indexed.
 *
 * The byte limit is checked with stat before anything is read. Compressed formats are checked
 * before they are inflated (zip-archive.ts: entry count and inflated sizes, verified while
 * streaming); the text a loader produces is capped for every format; PDFs are capped in pages.
 * Whatever a limit cannot foresee (a parser's own blow-up) is bounded by parsing in a worker
 * thread with a heap cap and a deadline (parse-isolated.ts).
 */

export interface DocumentLimits {
  /** File size (default 50 MB; a corpus document is a few hundred KB, a PDF with scans a few MB). */
  maxBytes: number;
  /** Characters of text a loader may produce (default 4 million, ~12 MB of UTF-8 Chinese). */
  maxTextChars: number;
  /** Pages of a PDF (default 2,000). */
  maxPdfPages: number;
  /** Entries of a .docx archive (default 5,000; Word writes about 20). */
  maxZipEntries: number;
  /** Inflated size of a .docx's XML parts, which are parsed (default 64 MB). Images are never inflated. */
  maxZipTextBytes: number;
  /** Inflated size of the whole archive as declared (default 512 MB). */
  maxZipBytes: number;
  /** Heap of the worker that parses .docx, .pdf and large text files (default 512 MB). */
  parseMemoryMb: number;
  /** Time one file may take to parse (default 120 s). */
  parseTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<DocumentLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxTextChars: 4_000_000,
  maxPdfPages: 2000,
  maxZipEntries: 5000,
  maxZipTextBytes: 64 * 1024 * 1024,
  maxZipBytes: 512 * 1024 * 1024,
  parseMemoryMb: 512,
  parseTimeoutMs: 120_000,
});

export function resolveLimits(partial: Partial<DocumentLimits> | undefined): DocumentLimits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}

/** "50 MB", "1.2 MB", "800 KB" */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) {
    const mb = n / 1024 / 1024;
    return `${mb >= 10 || Number.isInteger(mb) ? mb.toFixed(0) : mb.toFixed(1)} MB`;
  }
  return `${Math.ceil(n / 1024)} KB`;
}

/** InputError reason for text over the cap (shared by every loader and loadDocument). */
export function textTooLong(chars: number, limits: DocumentLimits): string {
  return `has ${chars.toLocaleString("en")} characters of text, over the ${limits.maxTextChars.toLocaleString("en")}-character limit; split it into smaller files`;
}
