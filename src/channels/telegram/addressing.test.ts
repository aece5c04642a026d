import { describe, expect, it } from "vitest";
import { readIncoming } from "./addressing.js";

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

