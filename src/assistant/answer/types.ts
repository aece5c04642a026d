/** Contract types for `ask` (../shared/CLI-CONTRACT.md, "Ask"). */

export interface Citation {
  n: number;
  docId: string;
  title: string;
  date: string | null;
  section: string | null;
  path: string;
  /** The cited sentence as published (original characters). */
  quote: string;
}

export interface AskResponse {
  question: string;
  answer: string;
  abstained: boolean;
  citations: Citation[];
  /** Extensions: the standalone query actually searched, which path produced the answer, warnings. */
  standaloneQuestion?: string;
  via?: "extractive" | "llm";
  warnings?: string[];
}

/** A previous exchange in the same conversation, oldest first. */
export interface Turn {
  question: string;
  answer?: string;
}
