import { describe, expect, it } from "vitest";
import type { Context } from "telegraf";
import { RateLimiter } from "../chat-core/access.js";
import { rateLimit } from "./rate-limit.js";

function ctx(userId: number) {
  const replies: string[] = [];
  const c = {
    from: { id: userId },
    state: { caller: { userId: String(userId) } },
    reply: async (t: string) => void replies.push(t),
  };
  return { c: c as unknown as Context, replies };
}

describe("rateLimit middleware", () => {
  it("passes perMinute requests per user, then says once how long to wait, and passes again when refilled", async () => {
    let now = 0;
    const mw = rateLimit(new RateLimiter(2, () => now));
    const outcome: boolean[] = [];
    const replies: string[] = [];
    const send = async (user: number) => {
      const x = ctx(user);
      let passed = false;
      await mw(x.c, async () => {
        passed = true;
      });
      replies.push(...x.replies);
      return passed;
    };
    for (let i = 0; i < 4; i++) outcome.push(await send(100));
    expect(outcome).toEqual([true, true, false, false]);
    expect(replies).toEqual(["请求太频繁了，请 30 秒后再试。"]);
    expect(await send(200)).toBe(true); // another user has their own bucket
    now += 30_000;
    expect(await send(100)).toBe(true);
    expect(await send(100)).toBe(false);
    expect(replies).toHaveLength(2); // told again after having been let through
  });
});
