/**
 * Turns whatever an HTTP embeddings client threw (openai SDK errors, LangChain-wrapped errors,
 * undici's "fetch failed", ollama's ResponseError, abort/timeout DOMExceptions) into one
 * `ProviderError` whose message says what to check. Also validates what the endpoint returned.
 */
import { ProviderError } from "../../errors.js";

export interface EndpointInfo {
  /** Name used as the ProviderError's provider, e.g. "openai embeddings". */
  provider: string;
  /** The URL the client talks to (shown to the user). */
  url: string;
  model: string;
  timeoutMs: number;
  /** The environment variable holding the URL, for the hint. */
  urlVariable?: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  while (cur && typeof cur === "object" && out.length < 8 && !out.includes(cur)) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  if (out.length === 0) out.push(err);
  return out;
}

function prop(e: unknown, key: string): unknown {
  return e && typeof e === "object" ? (e as Record<string, unknown>)[key] : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The first line of an error message, shortened (LangChain appends a troubleshooting URL). */
function brief(e: unknown): string {
  const line =
    messageOf(e)
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function endpointError(info: EndpointInfo, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const chain = causes(err);
  const urlVar = info.urlVariable ?? "EMBEDDINGS_BASE_URL";
  const fallback = "or set EMBEDDINGS_PROVIDER=hashing to use the built-in embedder";

  const status = chain
    .map((e) => prop(e, "status") ?? prop(e, "status_code"))
    .find((s): s is number => typeof s === "number");
  if (status !== undefined) {
    const detail = brief(err);
    const hint =
      status === 401 || status === 403
        ? "check EMBEDDINGS_API_KEY"
        : status === 404
          ? `check that EMBEDDINGS_MODEL ("${info.model}") is served there and that ${urlVar} is right (OpenAI-compatible servers usually need the /v1 suffix)`
          : status === 400 || status === 422
            ? `the server rejected the request; check that EMBEDDINGS_MODEL ("${info.model}") is an embedding model`
            : status >= 500
              ? "the server failed; check its logs and that the model is loaded"
              : "check the server";
    return new ProviderError(
      info.provider,
      `the embeddings endpoint at ${info.url} answered HTTP ${status} (${detail}); ${hint}, ${fallback}.`,
      { cause: err },
    );
  }

  const timedOut = chain.some((e) => {
    const name = prop(e, "name");
    return (
      name === "TimeoutError" ||
      (typeof name === "string" && /timeout/i.test(name)) ||
      /timed? ?out/i.test(messageOf(e))
    );
  });
  if (timedOut)
    return new ProviderError(
      info.provider,
      `the embeddings endpoint at ${info.url} did not answer within ${info.timeoutMs} ms; check that it is running and not overloaded, ${fallback}.`,
      { cause: err },
    );

  const unreachable = chain.some((e) => {
    const code = prop(e, "code");
    return (
      (typeof code === "string" && NETWORK_CODES.has(code)) ||
      /fetch failed|connection error|ECONNREFUSED|socket hang up|other side closed/i.test(messageOf(e))
    );
  });
  if (unreachable) {
    const code = chain.map((e) => prop(e, "code")).find((c) => typeof c === "string");
    return new ProviderError(
      info.provider,
      `could not reach the embeddings endpoint at ${info.url}${code ? ` (${String(code)})` : ""}; is it running? Start it or fix ${urlVar}, ${fallback}.`,
      { cause: err },
    );
  }

  return new ProviderError(
    info.provider,
    `embedding with "${info.model}" at ${info.url} failed: ${brief(err)}; check ${urlVar} and EMBEDDINGS_MODEL, ${fallback}.`,
    { cause: err },
  );
}

/** Checks the endpoint returned one finite, non-empty vector per input, all of one length. */
export function checkVectors(info: EndpointInfo, inputs: number, vectors: unknown): number[][] {
  const bad = (why: string) =>
    new ProviderError(
      info.provider,
      `the embeddings endpoint at ${info.url} returned ${why}; check that EMBEDDINGS_MODEL ("${info.model}") is an embedding model.`,
    );
  if (!Array.isArray(vectors)) throw bad("no list of vectors");
  if (vectors.length !== inputs) throw bad(`${vectors.length} vectors for ${inputs} texts`);
  const out: number[][] = [];
  let dim = -1;
  for (const v of vectors as unknown[]) {
    const arr = ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
    if (!Array.isArray(arr) || arr.length === 0) throw bad("an empty or malformed vector");
    if (dim === -1) dim = arr.length;
    if (arr.length !== dim) throw bad(`vectors of different lengths (${dim} and ${arr.length})`);
    if (!arr.every((x) => typeof x === "number" && Number.isFinite(x))) throw bad("a vector with non-numeric values");
    out.push(arr as number[]);
  }
  return out;
}
