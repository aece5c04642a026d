import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  apologyFor,
  corpusFilename,
  createChatCore,
  describeWhen,
  safeFilename,
  visibleCommands,
} from "./chat-core.js";
import { isIndexableName } from "../../ingest/discover.js";
import { renderPlain } from "./reply.js";
import { AssistantError, IndexNotFoundError } from "../../errors.js";
import { createFakeAssistant } from "../../../test/fakes/fake-assistant.js";

const user = { chatId: "c1", userId: "u1", role: "user" as const };

describe("chat core", () => {
  it("describes time expressions the way staff read them", () => {
    expect(describeWhen({ start: null, end: "2024-11-30", text: "11月30日前", kind: "before" })).toBe("2024-11-30 前");
    expect(describeWhen({ start: "2024-11-01", end: "2024-11-30", text: "", kind: "span" })).toBe(
      "2024-11-01 至 2024-11-30",
    );
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
    expect(renderPlain(apologyFor(new AssistantError("LLM_MODEL is missing; set it.")))).toContain(
      "LLM_MODEL is missing",
    );
    expect(renderPlain(apologyFor(new IndexNotFoundError("data")))).toContain("/reindex");
    expect(renderPlain(apologyFor(new TypeError("x is undefined")))).not.toContain("undefined");
  });

  it("refuses /reindex to non-admins and reports an admin's", async () => {
    const assistant = createFakeAssistant();
    const core = createChatCore({ assistant, corpusDir: "/nonexistent" });
    expect(renderPlain(await core.handle({ command: "reindex", args: "" }, user))).toContain("只有管理员");
    expect(renderPlain(await core.handle({ command: "reindex", args: "" }, { ...user, role: "admin" }))).toContain(
      "共 42 段",
    );
    expect(assistant.calls.ingest).toBe(1);
  });

  it("runs commands from one table: extra entries join /help, adminOnly is enforced before the handler runs", async () => {
    const assistant = createFakeAssistant();
    const ran: string[] = [];
    const core = createChatCore({
      assistant,
      corpusDir: "/nonexistent",
      commands: [
        {
          command: "tasks",
          description: "查看督办事项",
          handle: async (req) => {
            ran.push(`tasks ${req.args}`);
            return { blocks: [{ type: "text", text: "无" }] };
          },
        },
        {
          command: "purge",
          description: "清理（仅管理员）",
          adminOnly: true,
          handle: async () => {
            ran.push("purge");
            return { blocks: [] };
          },
        },
      ],
    });
    expect(renderPlain(await core.handle({ command: "tasks", args: "本周" }, user))).toBe("无");
    expect(renderPlain(await core.handle({ command: "purge", args: "" }, user))).toContain("只有管理员");
    expect(ran).toEqual(["tasks 本周"]);
    await core.handle({ command: "purge", args: "" }, { ...user, role: "admin" });
    expect(ran).toEqual(["tasks 本周", "purge"]);
    const help = renderPlain(await core.handle({ command: "help", args: "" }, user));
    expect(help).toContain("/tasks — 查看督办事项");
    expect(help).not.toContain("/purge");
    expect(help).not.toContain("/reindex");
    expect(renderPlain(await core.handle({ command: "help", args: "" }, { ...user, role: "admin" }))).toContain(
      "/purge",
    );
    expect(visibleCommands(core.commands, false).map((c) => c.command)).not.toContain("start");
    expect(renderPlain(await core.handle({ command: "nosuch", args: "" }, user))).toContain("未知命令 /nosuch");
  });

  it("names a document in the corpus so that ingest indexes it (dotfiles, README), or refuses", () => {
    for (const name of [".hidden.md", "README.md", "readme.txt", "..通知.pdf", "通知.docx", "a/b/.x.txt"]) {
      const n = corpusFilename(name);
      expect(n, name).not.toBeNull();
      expect(isIndexableName(n!), `${name} → ${n}`).toBe(true);
    }
    expect(corpusFilename("通知.docx")).toBe("通知.docx");
    expect(corpusFilename("old.doc")).toBeNull();
    expect(corpusFilename("...")).toBeNull();
  });

  it("adds an admin's README.md under a name that will be indexed, and says so only then", async () => {
    const dir = await mkdtemp(join(tmpdir(), "core-add-"));
    try {
      const src = join(dir, "in.md");
      await writeFile(src, "# 通知\n\n请于11月30日前报送。");
      const assistant = createFakeAssistant();
      const core = createChatCore({ assistant, corpusDir: join(dir, "corpus"), newId: () => "a1" });
      const admin = { ...user, role: "admin" as const };
      await core.handle({ command: null, args: "", attachment: { path: src, filename: "README.md" } }, admin);
      const added = renderPlain(await core.action("add:a1", admin));
      const files = await readdir(join(dir, "corpus"));
      expect(files).toHaveLength(1);
      expect(isIndexableName(files[0]!)).toBe(true);
      expect(added).toContain(`已加入语料库：${files[0]}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
