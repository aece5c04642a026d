/** The chat platforms' block of the configuration (DingTalk, Feishu, WeCom; Telegram's webhook host). */
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("chat platform settings", () => {
  it("are off unless an id and its secret are set", () => {
    expect(loadConfig({}).channels).toEqual({ dingtalk: null, feishu: null, wecom: null });
  });

  it("read each platform's credentials, allow lists, admins, base URL and rate limit", () => {
    const c = loadConfig({
      DINGTALK_CLIENT_ID: "dingabc",
      DINGTALK_CLIENT_SECRET: "s1",
      DINGTALK_ALLOWED_USERS: "manager01, 0123",
      DINGTALK_ADMINS: "boss",
      DINGTALK_BASE_URL: "https://api.zj.gov.cn",
      FEISHU_APP_ID: "cli_a1b2c3d4e5f60718",
      FEISHU_APP_SECRET: "s2",
      FEISHU_ALLOWED_USERS: "ou_1,ou_2",
      WECOM_BOT_ID: "aib1",
      WECOM_SECRET: "s3",
      WECOM_BASE_URL: "wss://ws.example.gov.cn",
      WECOM_RATE_LIMIT_PER_MINUTE: "5",
    });
    expect(c.channels.dingtalk).toEqual({
      clientId: "dingabc",
      clientSecret: "s1",
      allowedUsers: ["manager01", "0123"],
      admins: ["boss"],
      baseUrl: "https://api.zj.gov.cn",
      rateLimitPerMinute: 20,
    });
    expect(c.channels.feishu).toMatchObject({
      appId: "cli_a1b2c3d4e5f60718",
      allowedUsers: ["ou_1", "ou_2"],
      admins: [],
    });
    expect(c.channels.wecom).toMatchObject({
      botId: "aib1",
      baseUrl: "wss://ws.example.gov.cn",
      rateLimitPerMinute: 5,
    });
  });

  it("name the variable and the fix for what is missing or malformed", () => {
    expect(() => loadConfig({ DINGTALK_CLIENT_ID: "x" })).toThrow(
      /DINGTALK_CLIENT_ID is set but DINGTALK_CLIENT_SECRET is not/,
    );
    expect(() => loadConfig({ WECOM_SECRET: "x" })).toThrow(/WECOM_SECRET is set but WECOM_BOT_ID is not/);
    expect(() => loadConfig({ FEISHU_APP_ID: "my-app", FEISHU_APP_SECRET: "s" })).toThrow(
      /FEISHU_APP_ID must look like cli_/,
    );
    expect(() => loadConfig({ FEISHU_BASE_URL: "open.feishu.cn" })).toThrow(/FEISHU_BASE_URL must be an http\(s\) URL/);
    expect(() => loadConfig({ WECOM_BASE_URL: "https://x" })).toThrow(/WECOM_BASE_URL must be a ws\(s\) URL/);
    expect(() => loadConfig({ FEISHU_ALLOWED_USERS: "ou_1" })).toThrow(
      /FEISHU_ALLOWED_USERS \/ FEISHU_ADMINS are set but the feishu bot is not/,
    );
    expect(() => loadConfig({ DINGTALK_RATE_LIMIT_PER_MINUTE: "0" })).toThrow(
      /DINGTALK_RATE_LIMIT_PER_MINUTE must be a whole number ≥ 1/,
    );
  });

  it("Telegram's webhook listens on loopback unless TELEGRAM_WEBHOOK_HOST is set", () => {
    expect(loadConfig({}).telegram.webhookHost).toBeUndefined();
    expect(loadConfig({ TELEGRAM_WEBHOOK_HOST: "0.0.0.0" }).telegram.webhookHost).toBe("0.0.0.0");
  });
});
