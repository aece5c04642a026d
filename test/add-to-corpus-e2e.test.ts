/**
 * Issue 13, item 10: an admin's README.md or dotfile added to the corpus from a chat is indexed
 * (under a name ingest reads) and only then reported as 「已加入语料库」 — with the real assistant
 * and ingest, not a fake.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { createChatCore } from "../src/channels/chat-core/chat-core.js";
import { renderPlain } from "../src/channels/chat-core/reply.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "add-corpus-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("adding a document from a chat", () => {
  it.each([
    ["README.md", "关于快件实名收寄抽查工作的补充说明\n\n请各单位于2025年5月20日前完成实名收寄抽查，并报送抽查记录。"],
    [".通知.txt", "关于夜间分拨安全巡查的通知\n\n请各分拨中心于2025年6月10日前完成夜间巡查。"],
  ])(
    "indexes %s under a name that ingest reads, then says so",
    async (name, text) => {
      const dir = join(work, name.replace(/\W/g, "_"));
      const corpus = join(dir, "corpus");
      await mkdir(corpus, { recursive: true });
      await writeFile(join(corpus, "已有.txt"), "关于寄递安全的通知\n\n请加强寄递安全管理。");
      const config = loadConfig({ CORPUS_DIRS: corpus, INDEX_DIR: join(dir, "index"), LOG_LEVEL: "error" });
      const assistant = createAssistant(config, { log: () => {} });
      const core = createChatCore({ assistant, corpusDir: corpus, newId: () => "id1" });
      const admin = { chatId: "test:1", userId: "boss", role: "admin" as const };
      const sent = join(dir, `upload.tmp${name.slice(name.lastIndexOf("."))}`);
      await writeFile(sent, text);

      const extracted = await core.handle(
        { command: null, args: "", attachment: { path: sent, filename: name } },
        admin,
      );
      expect(extracted.actions?.map((a) => a.id)).toEqual(["add:id1"]);
      const added = renderPlain(await core.action("add:id1", admin));
      const files = (await readdir(corpus)).filter((f) => f !== "已有.txt");
      expect(files).toHaveLength(1);
      expect(files[0]).not.toMatch(/^\.|^readme\./i);
      expect(added).toContain(`已加入语料库：${files[0]}`);
      const hits = await assistant.search(text.split("\n")[0]!.slice(2, 12));
      expect(hits.results.some((r) => r.path.endsWith(files[0]!))).toBe(true);
      await core.close();
    },
    120_000,
  );
});
