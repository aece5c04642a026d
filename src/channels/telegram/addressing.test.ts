import { describe, expect, it } from "vitest";
import type { Context } from "telegraf";
import { addressing, readIncoming, type TelegramState } from "./addressing.js";

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

describe("addressing middleware", () => {
  const bot = { id: 42, username: "postal_bot" };
  const run = async (message: Record<string, unknown>, chatType = "private", from = { id: 7, is_bot: false }) => {
    const state: TelegramState = {};
    const c = { message, chat: { id: -5, type: chatType }, from, botInfo: bot, state } as unknown as Context;
    let passed = false;
    await addressing()(c, async () => {
      passed = true;
    });
    return { passed, state };
  };
  it("leaves the reading in ctx.state for messages addressed to the bot", async () => {
    const r = await run({ text: "/search 快递" });
    expect(r.passed).toBe(true);
    expect(r.state.incoming).toEqual({ command: "search", args: "快递" });
    expect((await run({ text: "@postal_bot 许可？" }, "supergroup")).state.incoming).toEqual({
      command: null,
      args: "许可？",
    });
    expect((await run({ text: "许可？", reply_to_message: { from: { id: 42 } } }, "group")).passed).toBe(true);
  });
  it("stops group chatter, other bots' commands, bots, and uncaptioned files in groups", async () => {
    expect((await run({ text: "今天开会" }, "group")).passed).toBe(false);
    expect((await run({ text: "/ask@other_bot 问" }, "group")).passed).toBe(false);
    expect((await run({ text: "你好" }, "private", { id: 9, is_bot: true })).passed).toBe(false);
    expect((await run({ document: { file_id: "f" } }, "group")).passed).toBe(false);
    expect((await run({ document: { file_id: "f" } }, "private")).passed).toBe(true);
  });
  it("lets callback queries through untouched", async () => {
    const state: TelegramState = {};
    const c = { callbackQuery: { data: "add:x" }, from: { id: 1 }, botInfo: bot, state } as unknown as Context;
    let passed = false;
    await addressing()(c, async () => {
      passed = true;
    });
    expect(passed).toBe(true);
  });
});
