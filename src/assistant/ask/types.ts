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
  /** Extensions: the cited chunk's id and its whole normalised text (the quote is one sentence of it). */
  chunkId?: string;
  chunkText?: string;
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
  /**
   * Extension: a short notice for the reader (Chinese) when the model's answer was changed or
   * replaced (verify-claims.ts); every channel shows it with the answer.
   */
  notice?: string;
  /** Extension: lexical support of the best sentence and the abstention threshold it was compared with. */
  support?: number;
  threshold?: number;
  /** Extension: share of the question's term weight the corpus never uses (abstain.ts). */
  unknownShare?: number;
  /** Extension: whether the question names a term characteristic of the corpus (evidence.ts domainAnchors; abstain.ts). */
  anchored?: boolean;
  /** Extension: why the answer abstained (evidence.ts gap, or "support" below the threshold). */
  abstainReason?: string;
}

/** A previous exchange in the same conversation, oldest first. */
export interface Turn {
  question: string;
  answer?: string;
  /** Extensions (optional): what the turn was rewritten to and what it cited, for follow-ups. */
  standaloneQuestion?: string;
  citations?: Citation[];
}
