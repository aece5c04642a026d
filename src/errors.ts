/**
 * The few error classes a caller can act on (after grammY's GrammyError / HttpError split): each
 * carries the fields a caller branches on (`variable`, `path`, `indexDir` …), so no caller matches
 * message text. Every message says what to do next; the entry points print it without a stack
 * trace (the stack only with LOG_LEVEL=debug), see userMessage().
 */

export class AssistantError extends Error {
  override name = "AssistantError";
}

/** One problem of a configuration: the variable and what is wrong with it (and how to fix it). */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Configuration is missing or invalid. `variable` names the (first) offending variable. */
export class ConfigError extends AssistantError {
  override name = "ConfigError";
  readonly variable: string | undefined;
  readonly problems: readonly ConfigProblem[];
  constructor(message: string, options?: { cause?: unknown; variable?: string; problems?: readonly ConfigProblem[] }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.problems = options?.problems ?? (options?.variable ? [{ variable: options.variable, message }] : []);
    this.variable = options?.variable ?? this.problems[0]?.variable;
  }
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
    super(
      message ??
        `No index in ${indexDir}; run \`npm run ingest -- --corpus corpus --corpus ../shared/corpus\` first (or set INDEX_DIR).`,
    );
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
    super(
      indexDir,
      `The index in ${file} is unreadable (${detail}); run \`npm run ingest -- --rebuild\` to rebuild it.`,
    );
  }
}

/** The index was built with another embedder than the configured one: its vectors cannot be compared. */
export class EmbedderMismatchError extends AssistantError {
  override name = "EmbedderMismatchError";
  constructor(
    readonly indexDir: string,
    /** Embedder id stored with the index. */
    readonly stored: string,
    /** Embedder id of the configuration. */
    readonly configured: string,
  ) {
    super(
      `The index in ${indexDir} was built with embedder "${stored}" but "${configured}" is configured; run \`npm run ingest\` to re-embed the corpus (or set EMBEDDINGS_PROVIDER back).`,
    );
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
  if (err && typeof err === "object" && "reason" in err && typeof (err as { reason: unknown }).reason === "string")
    return (err as { reason: string }).reason;
  return err instanceof Error ? err.message : String(err);
}

const FS_CODES: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  EMFILE: "too many open files",
  EADDRINUSE: "the port is already in use",
  EADDRNOTAVAIL: "the address is not available on this machine",
};

/**
 * The one line to show a person for an error, or null when it is a bug (show it with its stack):
 * an AssistantError's message, or for an operating-system error a user can fix (a folder that is
 * not writable, a full disk, a port in use) what failed, where, and which setting to check.
 * `hints` maps a path prefix or port to the variable that set it (INDEX_DIR, TELEGRAM_WEBHOOK_PORT …).
 */
export function userMessage(
  err: unknown,
  hints: { paths?: Record<string, string>; ports?: Record<string, string> } = {},
): string | null {
  if (err instanceof AssistantError) return err.message;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; dest?: string };
  const what = e && typeof e === "object" && typeof e.code === "string" ? FS_CODES[e.code] : undefined;
  if (!what) return null;
  if (e.code === "EADDRINUSE" || e.code === "EADDRNOTAVAIL") {
    const variable = e.port !== undefined ? hints.ports?.[String(e.port)] : undefined;
    return `Cannot listen on ${e.address ?? ""}${e.port !== undefined ? `:${e.port}` : ""} (${what}); ${variable ? `set ${variable} to a free port` : "choose a free port"} or stop the program using it.`;
  }
  const path = e.path ?? e.dest ?? "";
  const variable = Object.entries(hints.paths ?? {}).find(([prefix]) => prefix && path.startsWith(prefix))?.[1];
  return `Cannot ${e.syscall ?? "access"} ${path || "a file"} (${what}); ${variable ? `check ${variable} (it must name a folder this user can write) or fix the folder's permissions` : "check the path and its permissions"}.`;
}

/** Which setting put a path or a port there, from the environment (for userMessage's hints). */
export function settingHints(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): { paths: Record<string, string>; ports: Record<string, string> } {
  const abs = (p: string) => (p.startsWith("/") ? p : `${cwd.replace(/\/$/, "")}/${p.replace(/^\.\//, "")}`);
  const indexDir = env.INDEX_DIR || "data";
  const paths: Record<string, string> = { [indexDir]: "INDEX_DIR", [abs(indexDir)]: "INDEX_DIR" };
  for (const d of (env.CORPUS_DIRS ?? "").split(":").filter(Boolean)) {
    paths[d] ??= "CORPUS_DIRS";
    paths[abs(d)] ??= "CORPUS_DIRS";
  }
  return { paths, ports: { [env.TELEGRAM_WEBHOOK_PORT || "8443"]: "TELEGRAM_WEBHOOK_PORT" } };
}

/**
 * What an entry point prints for an error that ended it: the user's mistake as its message (and
 * fix), anything else as "Unexpected error: …"; the stack trace only with LOG_LEVEL=debug.
 */
export function describeFatal(err: unknown, env: Record<string, string | undefined>): string {
  const debug = env.LOG_LEVEL === "debug";
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : "";
  const said = userMessage(err, settingHints(env));
  if (said !== null) return `${said}${stack}`;
  const msg = err instanceof Error ? err.message : String(err);
  return `Unexpected error: ${msg}${stack || " (set LOG_LEVEL=debug to see where it happened)"}`;
}
