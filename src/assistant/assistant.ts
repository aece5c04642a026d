/**
 * The assistant as channels see it (CLI, Telegram, terminal chat). Channels depend on this
 * interface only; src/app.ts (the composition root) builds the real one from the config.
 */
import type { AskResponse, Turn } from "./ask/types.js";
import type { DraftForm, DraftResponse } from "./draft/types.js";
import type { ExtractResponse } from "./extract/types.js";
import type { SearchOptions, SearchResponse } from "../retrieval/types.js";
import type { DocumentMeta, IngestReport, ParsedDocument } from "../ingest/types.js";

export type { IngestReport } from "../ingest/types.js";

/** A document of the live index, as the corpus page lists it. */
export interface IndexedDocument extends DocumentMeta {
  chunks: number;
}

export interface ExtractInput {
  /** Plain text of the notice (already loaded), or a path to load with the ingest loaders. */
  text?: string;
  path?: string;
  /** Issue date override, YYYY-MM-DD. */
  ref?: string;
}

export interface Assistant {
  search(query: string, options?: SearchOptions): Promise<SearchResponse>;
  ask(question: string, options?: { history?: Turn[]; signal?: AbortSignal }): Promise<AskResponse>;
  extract(input: ExtractInput): Promise<ExtractResponse>;
  draft(notes: string, options?: { form?: DraftForm; signal?: AbortSignal }): Promise<DraftResponse>;
  /** (Re)index the given corpus folders (default: config.corpusDirs); progress lines go to onProgress too. */
  ingest(options?: {
    corpusDirs?: string[];
    rebuild?: boolean;
    onProgress?: (line: string) => void;
  }): Promise<IngestReport>;
  /** Optional: the indexed documents with their chunk counts (the web workspace's corpus page). */
  documents?(): Promise<IndexedDocument[]>;
  /** Read one file with the ingest loaders (pdf, docx, html, md, txt in any common encoding). */
  loadDocument(path: string): Promise<ParsedDocument>;
  /**
   * Optional: the extracted deadlines as an iCalendar (.ics) text (`source` names the notice in each
   * event). Chat channels attach it when present.
   */
  toIcs?(extracted: ExtractResponse, options: { source: string }): Promise<string>;
}
