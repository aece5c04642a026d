/**
 * The few error classes a caller can act on (after grammY's GrammyError / HttpError split).
 * Every message says what to do next.
 */

export class AssistantError extends Error {
  override name = "AssistantError";
}

/** Configuration is missing or invalid. */
export class ConfigError extends AssistantError {
  override name = "ConfigError";
}

/** One input file (or stdin) could not be read. Carries the offending path. */
export class InputError extends AssistantError {
  override name = "InputError";
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${reason}`, options);
  }
}

/** There is no index in `indexDir` (nothing was ever ingested there). */
export class IndexNotFoundError extends AssistantError {
  override name = "IndexNotFoundError";
  constructor(
    readonly indexDir: string,
    message?: string,
  ) {
    super(message ?? `No index in ${indexDir}; run \`npm run ingest -- --corpus corpus --corpus ../shared/corpus\` first (or set INDEX_DIR).`);
  }
}

/**
 * An index exists in `indexDir` but a file of it cannot be read (truncated, wrong format). A kind
 * of IndexNotFoundError: whoever treats "no index" as "build one" treats this the same way.
 * (Same shape as branch harden's, so the two merge as one class.)
 */
export class IndexUnreadableError extends IndexNotFoundError {
  override name = "IndexUnreadableError";
  constructor(
    indexDir: string,
    /** The generation folder or file that failed. */
    readonly file: string,
    /** What was wrong with it. */
    readonly detail: string,
  ) {
    super(indexDir, `The index in ${file} is unreadable (${detail}); run \`npm run ingest -- --rebuild\` to rebuild it.`);
  }
}

/** A language-model or embedding provider failed (timeout, HTTP error, bad output). */
export class ProviderError extends AssistantError {
  override name = "ProviderError";
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${message}`, options);
  }
}

/** The reason to report for a failure: an InputError's own reason, else the error's message. */
export function failureReason(err: unknown): string {
  if (err && typeof err === "object" && "reason" in err && typeof (err as { reason: unknown }).reason === "string") return (err as { reason: string }).reason;
  return err instanceof Error ? err.message : String(err);
}
