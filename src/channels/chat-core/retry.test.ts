import { describe, expect, it } from "vitest";
import { classifyHttpStatus, withRetry } from "./retry.js";

describe("withRetry", () => {
  it("retries passing failures with doubling backoff, honours a platform's wait, and stops at the bound", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    let n = 0;
    const out = await withRetry(
      async () => {
        if (++n < 3) throw Object.assign(new Error("busy"), { after: n === 2 ? 7000 : undefined });
        return "ok";
      },
      {
        baseMs: 100,
        sleep,
        classify: (e) => ({
          retry: true,
          ...((e as { after?: number }).after ? { afterMs: (e as { after: number }).after } : {}),
        }),
      },
    );
    expect(out).toBe("ok");
    expect(waits).toEqual([100, 7000]);
    let tries = 0;
    await expect(
      withRetry(
        async () => {
          tries++;
          throw new Error("down");
        },
        { tries: 3, baseMs: 1, sleep },
      ),
    ).rejects.toThrow("down");
    expect(tries).toBe(3);
  });
  it("does not retry a refusal, and caps a platform's wait", async () => {
    let tries = 0;
    await expect(
      withRetry(
        async () => {
          tries++;
          throw new Error("400");
        },
        { classify: () => ({ retry: false }) },
      ),
    ).rejects.toThrow();
    expect(tries).toBe(1);
    const waits: number[] = [];
    let n = 0;
    await withRetry(
      async () => {
        if (n++ === 0) throw new Error("429");
      },
      { maxMs: 50, classify: () => ({ retry: true, afterMs: 3_600_000 }), sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([50]);
  });
  it("classifies HTTP statuses: 429 and 5xx and no response are passing, other 4xx not", () => {
    expect(classifyHttpStatus(429, 3)).toEqual({ retry: true, afterMs: 3000 });
    expect(classifyHttpStatus(502)).toEqual({ retry: true });
    expect(classifyHttpStatus(undefined)).toEqual({ retry: true });
    expect(classifyHttpStatus(403)).toEqual({ retry: false });
  });
});
