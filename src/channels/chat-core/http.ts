/**
 * Small HTTP helpers for the platform adapters that call a platform's REST API directly
 * (DingTalk's OpenAPI and session webhooks): JSON POST with a timeout, and a size-capped
 * download to a file. Errors carry the status so that retries can tell passing failures
 * (429, 5xx, network) from refusals.
 */
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { classifyHttpStatus, type RetryDecision } from "./retry.js";

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    message: string,
    /** undefined: no response (network error, timeout). */
    readonly status?: number,
    readonly retryAfterSeconds?: number,
    /** The platform's own error code in a 200 response, if any. */
    readonly code?: string | number,
  ) {
    super(message);
  }
}

export class FileTooLargeError extends Error {
  override name = "FileTooLargeError";
}

export const classifyHttpError = (err: unknown): RetryDecision =>
  err instanceof HttpError ? classifyHttpStatus(err.status, err.retryAfterSeconds) : { retry: false };

export async function postJson<T = unknown>(
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<T> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new HttpError(`request to ${new URL(url).host} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const ra = Number(res.headers.get("retry-after"));
    throw new HttpError(
      `HTTP ${res.status} from ${new URL(url).pathname}: ${text.slice(0, 200)}`,
      res.status,
      Number.isFinite(ra) ? ra : undefined,
    );
  }
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new HttpError(`not JSON from ${new URL(url).pathname}: ${text.slice(0, 200)}`, res.status);
  }
}

/** Stream `url` to `dest`, refusing more than maxBytes. */
export async function downloadToFile(
  url: string,
  dest: string,
  options: { maxBytes: number; headers?: Record<string, string>; timeoutMs?: number; fetch?: typeof fetch },
): Promise<number> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { headers: options.headers, signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
  } catch (err) {
    throw new HttpError(`download failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok || !res.body) throw new HttpError(`download failed (HTTP ${res.status})`, res.status);
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > options.maxBytes) throw tooLarge(declared, options.maxBytes);
  let seen = 0;
  await pipeline(
    Readable.fromWeb(res.body as import("node:stream/web").ReadableStream),
    capBytes(options.maxBytes, (n) => (seen = n)),
    createWriteStream(dest),
  );
  return seen;
}

/** A pass-through that fails once more than `max` bytes went by. */
export function capBytes(max: number, onCount?: (n: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      onCount?.(seen);
      if (seen > max) cb(tooLarge(seen, max));
      else cb(null, chunk);
    },
  });
}

export function tooLarge(_size: number, max: number): FileTooLargeError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new FileTooLargeError(`文件太大（超过 ${mb(max)} MB）。请压缩或拆分后再发送。`);
}
