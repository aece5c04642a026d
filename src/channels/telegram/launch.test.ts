import { describe, expect, it } from "vitest";
import { launchOptions } from "./launch.js";

describe("launchOptions", () => {
  const base = { webhookPort: 8443, allowedUsers: [], allowedChats: [], admins: [], rateLimitPerMinute: 20 };
  it("long-polls by default", () => {
    expect(launchOptions(base)).toEqual({ allowedUpdates: ["message", "callback_query"] });
  });
  it("uses a webhook with the secret token when TELEGRAM_WEBHOOK_URL is set", () => {
    expect(
      launchOptions({
        ...base,
        webhookUrl: "https://bot.example.gov.cn/tg/hook",
        webhookSecret: "s3cret_X",
        webhookPort: 9000,
      }),
    ).toEqual({
      allowedUpdates: ["message", "callback_query"],
      webhook: {
        domain: "bot.example.gov.cn",
        path: "/tg/hook",
        port: 9000,
        host: "127.0.0.1",
        secretToken: "s3cret_X",
      },
    });
  });
  it("listens on loopback unless TELEGRAM_WEBHOOK_HOST names another address", () => {
    const hook = { ...base, webhookUrl: "https://bot.example.gov.cn/", webhookSecret: "s" };
    expect(launchOptions(hook).webhook?.host).toBe("127.0.0.1");
    expect(launchOptions({ ...hook, webhookHost: "0.0.0.0" }).webhook?.host).toBe("0.0.0.0");
  });
});
