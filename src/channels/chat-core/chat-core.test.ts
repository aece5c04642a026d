import { describe, expect, it } from "vitest";
import { apologyFor, createChatCore, describeWhen, safeFilename } from "./chat-core.js";
import { renderPlain } from "./reply.js";
import { AssistantError, IndexNotFoundError } from "../../errors.js";
import { createFakeAssistant } from "../../../test/fakes/fake-assistant.js";

const user = { chatId: "c1", userId: "u1", role: "user" as const };

describe("chat core", () => {
  it("describes time expressions the way staff read them", () => {
    expect(describeWhen({ start: null, end: "2024-11-30", text: "11月30日前", kind: "before" })).toBe("2024-11-30 前");
    expect(describeWhen({ start: "2024-11-01", end: "2024-11-30", text: "", kind: "span" })).toBe("2024-11-01 至 2024-11-30");
    expect(describeWhen({ start: "2024-12-01", end: null, text: "", kind: "after" })).toBe("2024-12-01 起");
    expect(describeWhen({ start: "2024-11-09", end: "2024-11-09", text: "", kind: "point" })).toBe("2024-11-09");
    expect(describeWhen({ start: null, end: null, text: "每月5日前", kind: "recurring" })).toBe("每月5日前");
  });

  it("makes user file names safe for the corpus folder", () => {
    expect(safeFilename("../../etc/passwd")).toBe("passwd");
    expect(safeFilename("a\\b\\通知<1>.pdf")).toBe("通知_1_.pdf");
    expect(safeFilename("..")).toBe("document.txt");
  });

  it("passes the draft form and notes through", async () => {
    const assistant = createFakeAssistant();
    const core = createChatCore({ assistant, corpusDir: "/nonexistent" });
    await core.handle({ command: "draft", args: "summary 一、要点" }, user);
    await core.handle({ command: "draft", args: "一、要点" }, user);
    expect(assistant.calls.draft).toEqual([
      { notes: "一、要点", form: "summary" },
      { notes: "一、要点", form: undefined },
    ]);
  });

  it("keeps conversation memory per chat, bounded, and forgets it on /reset", async () => {
    const assistant = createFakeAssistant();
    const core = createChatCore({ assistant, corpusDir: "/nonexistent", historyTurns: 2 });
    for (const q of ["一", "二", "三"]) await core.handle({ command: null, args: q }, user);
    await core.handle({ command: null, args: "别的会话" }, { ...user, chatId: "c2" });
    await core.handle({ command: null, args: "四" }, user);
    expect(assistant.calls.ask.at(-1)!.history.map((t) => t.question)).toEqual(["二", "三"]);
    expect(assistant.calls.ask[3]!.history).toEqual([]);
    await core.handle({ command: "reset", args: "" }, user);
    expect(renderPlain(await core.handle({ command: "sources", args: "" }, user))).toContain("还没有回答过问题");
  });

  it("turns errors into replies: actionable messages shown, others hidden", () => {
    expect(renderPlain(apologyFor(new AssistantError("LLM_MODEL is missing; set it.")))).toContain("LLM_MODEL is missing");
    expect(renderPlain(apologyFor(new IndexNotFoundError("data")))).toContain("/reindex");
    expect(renderPlain(apologyFor(new TypeError("x is undefined")))).not.toContain("undefined");
  });

  it("refuses /reindex to non-admins and reports an admin's", async () => {
    const assistant = createFakeAssistant();
    const core = createChatCore({ assistant, corpusDir: "/nonexistent" });
    expect(renderPlain(await core.handle({ command: "reindex", args: "" }, user))).toContain("只有管理员");
    expect(renderPlain(await core.handle({ command: "reindex", args: "" }, { ...user, role: "admin" }))).toContain("共 42 段");
    expect(assistant.calls.ingest).toBe(1);
  });
});
