import { describe, expect, it } from "vitest";
import { RateLimiter, roleOf } from "./access.js";

const lists = { allowedUsers: ["100", "@Clerk"], allowedChats: ["-1001"], admins: ["1"] };

describe("roleOf", () => {
  it("ranks admins, allow-listed users (id or @username) and allow-listed chats; everyone else is a stranger", () => {
    expect(roleOf(lists, { userId: 1, chatId: 1 })).toBe("admin");
    expect(roleOf(lists, { userId: 100, chatId: 100 })).toBe("user");
    expect(roleOf(lists, { userId: 5, username: "clerk", chatId: 5 })).toBe("user");
    expect(roleOf(lists, { userId: 7, chatId: -1001 })).toBe("user");
    expect(roleOf(lists, { userId: 7, chatId: 7 })).toBe("stranger");
    expect(roleOf({ allowedUsers: [], allowedChats: [], admins: [] }, { userId: 1, chatId: 1 })).toBe("stranger");
  });
});

describe("RateLimiter", () => {
  it("allows a burst of perMinute, then refills evenly", () => {
    let now = 0;
    const rl = new RateLimiter(3, () => now);
    expect([rl.take("u"), rl.take("u"), rl.take("u"), rl.take("u")]).toEqual([true, true, true, false]);
    expect(rl.retryAfter("u")).toBe(20);
    expect(rl.take("v")).toBe(true);
    now += 20_000;
    expect(rl.take("u")).toBe(true);
    expect(rl.take("u")).toBe(false);
  });
});
