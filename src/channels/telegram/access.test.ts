import { describe, expect, it } from "vitest";
import { RateLimiter, roleOf } from "./access.js";
import { readIncoming } from "./addressing.js";
import { launchOptions } from "./launch.js";

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

describe("readIncoming", () => {
  const dm = { botUsername: "postal_bot", isGroup: false, repliesToBot: false };
  const group = { ...dm, isGroup: true };
  it("reads commands, with or without the bot's name", () => {
    expect(readIncoming("/search 快递 kind:法规", dm)).toEqual({ command: "search", args: "快递 kind:法规" });
    expect(readIncoming("/Ask@Postal_Bot 问题", group)).toEqual({ command: "ask", args: "问题" });
    expect(readIncoming("/ask@other_bot 问题", group)).toBeNull();
    expect(readIncoming("/draft\n一、要点\n二、要点", dm)).toEqual({ command: "draft", args: "一、要点\n二、要点" });
  });
  it("in groups answers only when mentioned, commanded or replied to", () => {
    expect(readIncoming("今天开会", group)).toBeNull();
    expect(readIncoming("@postal_bot 快递许可？", group)).toEqual({ command: null, args: "快递许可？" });
    expect(readIncoming("@postal_botx 快递许可？", group)).toBeNull();
    expect(readIncoming("快递许可？", { ...group, repliesToBot: true })).toEqual({ command: null, args: "快递许可？" });
    expect(readIncoming("快递许可？", dm)).toEqual({ command: null, args: "快递许可？" });
  });
});

describe("launchOptions", () => {
  const base = { webhookPort: 8443, allowedUsers: [], allowedChats: [], admins: [], rateLimitPerMinute: 20 };
  it("long-polls by default", () => {
    expect(launchOptions(base)).toEqual({ allowedUpdates: ["message", "callback_query"] });
  });
  it("uses a webhook with the secret token when TELEGRAM_WEBHOOK_URL is set", () => {
    expect(
      launchOptions({ ...base, webhookUrl: "https://bot.example.gov.cn/tg/hook", webhookSecret: "s3cret_X", webhookPort: 9000 }),
    ).toEqual({
      allowedUpdates: ["message", "callback_query"],
      webhook: { domain: "bot.example.gov.cn", path: "/tg/hook", port: 9000, secretToken: "s3cret_X" },
    });
  });
});
