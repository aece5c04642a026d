/** Domain types shared by ingest, index, retrieval and the assistant capabilities. */

export type DocKind = "bulletin" | "regulation" | "notice";
export const DOC_KINDS: readonly DocKind[] = ["bulletin", "regulation", "notice"] as const;

/** What we know about one source document. */
export interface DocumentMeta {
  /** Stable id derived from the path relative to its corpus root (e.g. "regulations/快递暂行条例"). */
  id: string;
  /** Title, normalised (simplified characters, no pinyin). */
  title: string;
  /** Issue / publication date, YYYY-MM-DD, or null when none could be found. */
  date: string | null;
  kind: DocKind;
  /** Path as given on the command line (relative to the working directory when possible). */
  path: string;
  /** Publisher named in a `(本文来源:…)` line, normalised (e.g. "国家邮政局"), when present. */
  source?: string;
  /** What a reader should know about how the file was read (e.g. its encoding was a guess). */
  warnings?: string[];
}

/** A loaded document: its text as published and its normalised form. */
export interface ParsedDocument {
  meta: DocumentMeta;
  /** Text as published (traditional characters, pinyin annotations and all), page chrome removed. */
  original: string;
  /** Normalised text used for indexing and display (see ingest/normalize.ts). */
  text: string;
}

/** A retrievable unit: one regulation article, or one bulletin paragraph / enumerated point. */
export interface Chunk {
  /** `${docId}#${ordinal}` */
  id: string;
  docId: string;
  ordinal: number;
  /** "第十八条" for an article, "二" for an enumerated point, "¶3" for a plain paragraph, or null. */
  section: string | null;
  /** Chapter heading an article belongs to ("第三章 经营主体"), or null. */
  chapter: string | null;
  /** Lead sentence an enumerated point belongs to ("刘君强调下一步要做好四个方面的工作:"), or null. */
  lead: string | null;
  /** Normalised text of the chunk. */
  text: string;
  /** The same span as published (for quoting). */
  original: string;
  /**
   * Set after chunking by cross-references.ts: the normalised text of the articles of the same
   * regulation this one refers to ("违反本条例第三十四条…" carries 第三十四条's duty), indexed and
   * embedded with the chunk, never quoted.
   */
  related?: string;
  /** Also from cross-references.ts: sections of the same document this chunk cites, and that cite it. */
  refs?: { cites: string[]; citedBy: string[] };
  /** Set after chunking by definitions.ts: the terms this chunk defines ("快件", "给据邮件"). */
  defines?: string[];
}

/** What one run of the ingest pipeline (src/ingest/pipeline/ingest-corpus.ts) did, file by file. */
export interface IngestReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  failed: { path: string; reason: string }[];
  chunks: number;
  /** false when nothing could be written. */
  written: boolean;
}
