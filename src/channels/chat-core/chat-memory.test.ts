import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { storeChatMemory } from "./chat-memory.js";
import type { AskResponse } from "../../assistant/ask/types.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "chat-memory-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const answer = (q: string): AskResponse => ({
  question: q,
  answer: `答：${q}`,
  abstained: false,
  citations: [
    {
      n: 1,
      docId: "d",
      title: "快递暂行条例",
      date: null,
      section: "第十七条",
      path: "p.md",
      quote: "q",
      chunkText: "long passage",
    },
  ],
});

describe("chat memory in the store", () => {
  it("keeps turns, the last answer and kept files across a restart; evicts the oldest files", async () => {
    const path = join(dir, "a.db");
    const now = () => new Date("2024-10-21T02:00:00Z");
    const open = async () => {
      const store = await openSqliteStore(path);
      return {
        store,
        memory: storeChatMemory({
          store,
          historyTurns: 2,
          maxPending: 1,
          pendingDir: join(dir, "pending"),
          now,
          log: () => {},
        }),
      };
    };
    const a = await open();
    for (const q of ["一", "二", "三"]) await a.memory.record("telegram:1", answer(q));
    const download = join(dir, "download.txt");
    await writeFile(download, "通知全文");
    let disposed = false;
    await a.memory.keepFile(
      "f1",
      { path: download, filename: "通知.txt", dispose: async () => void (disposed = true) },
      { chatId: "telegram:1", userId: "telegram:5" },
    );
    expect(disposed).toBe(true); // the download is released once copied
    await a.store.close();

    const b = await open();
    expect((await b.memory.history("telegram:1")).map((t) => t.question)).toEqual(["二", "三"]);
    const last = (await b.memory.lastAnswer("telegram:1"))!;
    expect(last.question).toBe("三");
    expect(last.citations[0]).not.toHaveProperty("chunkText");
    const kept = (await b.memory.takeFile("f1"))!;
    expect(kept.filename).toBe("通知.txt");
    expect(await readFile(kept.path, "utf8")).toBe("通知全文");
    await kept.dispose!();
    await expect(stat(kept.path)).rejects.toThrow(/ENOENT/);
    expect(await b.memory.takeFile("f1")).toBeNull();

    await writeFile(download, "x");
    await b.memory.keepFile(
      "f2",
      { path: download, filename: "a.txt" },
      { chatId: "telegram:1", userId: "telegram:5" },
    );
    await b.memory.keepFile(
      "f3",
      { path: download, filename: "b.txt" },
      { chatId: "telegram:1", userId: "telegram:5" },
    );
    expect(await b.memory.takeFile("f2")).toBeNull();
    expect(await b.memory.takeFile("f3")).not.toBeNull();
    await b.memory.reset("telegram:1");
    expect(await b.memory.history("telegram:1")).toEqual([]);
    await b.store.close();
  });
});
