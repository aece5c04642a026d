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

/** The on-disk index is missing or unreadable. */
export class IndexNotFoundError extends AssistantError {
  override name = "IndexNotFoundError";
  constructor(readonly indexDir: string) {
    super(
      `No index in ${indexDir}; run \`npm run ingest -- --corpus corpus --corpus ../shared/corpus\` first (or set INDEX_DIR).`,
    );
  }
}

/**
 * The index exists but one of its files cannot be read (truncated, corrupt, an older format).
 * An IndexNotFoundError too: whatever builds a missing index (the chat's first run, ingest)
 * rebuilds an unreadable one.
 */
export class IndexUnreadableError extends IndexNotFoundError {
  override name = "IndexUnreadableError";
  constructor(
    indexDir: string,
    /** The file (or folder) that could not be read. */
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(indexDir);
    if (options?.cause !== undefined) this.cause = options.cause;
    this.message = `The index in ${indexDir} is unreadable (${file}: ${reason}); rebuild it with \`npm run ingest -- --rebuild\` (add your --corpus folders).`;
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
