/**
 * Retrying a send: a platform call that failed for a passing reason (rate limited, a 5xx, a
 * dropped connection) is tried again after a delay, a bounded number of times, so that one
 * failed call never loses an answer. A refusal that will not change (bad request, no
 * permission) is not retried.
 *
 * Hand-written (about 40 lines) because each platform says "wait" differently (Telegram's
 * retry_after, HTTP Retry-After, Feishu's and WeCom's error codes); the adapters classify,
 * this only waits and counts.
 */

export interface RetryDecision {
  retry: boolean;
  /** Wait this long before the next try (the platform said so, e.g. 429 retry_after). */
  afterMs?: number;
}

export interface RetryOptions {
  /** Tries in all, the first included (default 4). */
  tries?: number;
  /** First backoff delay; doubles each time (default 500 ms). */
  baseMs?: number;
  /** Cap on one delay, also on a platform's retry_after (default 30 s). */
  maxMs?: number;
  /** Is this failure worth another try? Default: always. */
  classify?: (err: unknown) => RetryDecision;
  /** Called before each wait (for a log line). */
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const tries = Math.max(1, options.tries ?? 4);
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const decision = options.classify ? options.classify(err) : { retry: true };
      if (!decision.retry || attempt >= tries) throw err;
      const backoff = base * 2 ** (attempt - 1);
      const wait = Math.min(max, decision.afterMs !== undefined ? Math.max(decision.afterMs, 0) : backoff);
      options.onRetry?.(err, attempt, wait);
      await sleep(wait);
    }
  }
}

/** The usual HTTP rule: 429 (with Retry-After seconds if given), 5xx and network errors are passing; other 4xx are not. */
export function classifyHttpStatus(status: number | undefined, retryAfterSeconds?: number): RetryDecision {
  if (status === undefined) return { retry: true }; // no response at all: a network error
  if (status === 429)
    return { retry: true, ...(retryAfterSeconds !== undefined ? { afterMs: retryAfterSeconds * 1000 } : {}) };
  if (status >= 500) return { retry: true };
  return { retry: false };
}

/** Classify an axios-style error ({response: {status, headers}}) or a fetch failure. */
export function classifyAxiosError(err: unknown): RetryDecision {
  const res = (err as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
  if (!res) return { retry: true };
  const ra = Number(res.headers?.["retry-after"]);
  return classifyHttpStatus(res.status, Number.isFinite(ra) ? ra : undefined);
}
