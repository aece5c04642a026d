import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "./sqlite-store.js";
import { storeContract } from "./store.common.case.js";
import { loadMigrations, migrate } from "./migrate.js";
import { openSqliteDb } from "./sqlite-db.js";
import { accountsContract } from "./accounts.common.case.js";
import { createMemoryAccountStore } from "./accounts.js";

const root = mkdtempSync(join(tmpdir(), "sqlite-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeContract("sqlite", {
  async fresh() {
    const path = join(root, `db-${++n}`, "assistant.db");
    return { open: () => openSqliteStore(path) };
  },
});

accountsContract("sqlite", async () => {
  const path = join(root, `acc-${++n}`, "assistant.db");
  const store = await openSqliteStore(path);
  const others: { close(): Promise<void> }[] = [];
  return {
    accounts: store.accounts,
    reopen: async () => {
      const s = await openSqliteStore(path);
      others.push(s);
      return s.accounts;
    },
    close: async () => {
      await Promise.all([store, ...others].map((s) => s.close()));
    },
  };
});
accountsContract("memory", async () => ({ accounts: createMemoryAccountStore() }));

describe("migrations", () => {
  it("are numbered files found in src/store/migrations", async () => {
    const list = await loadMigrations();
    expect(list[0]).toMatchObject({ version: 1, name: "initial" });
    expect(list[1]).toMatchObject({ version: 2, name: "last-extracts" });
    expect(list.map((m) => m.version)).toEqual([...list.map((m) => m.version)].sort((a, b) => a - b));
  });

  it("bring an older database up to date on open, keeping its data", async () => {
    const path = join(root, "upgrade", "assistant.db");
    const db = openSqliteDb(path);
    const [first] = await loadMigrations();
    expect(await migrate(db, [first!])).toEqual([1]);
    await db.query("INSERT INTO refusals (user_id, chat_id, at) VALUES ($1, $2, $3)", [
      "telegram:9",
      "telegram:9",
      "2024-10-12T00:00:00.000Z",
    ]);
    await db.close();
    const store = await openSqliteStore(path);
    expect(await store.recordRefusal("telegram:9", "telegram:9", "2024-10-13T00:00:00.000Z")).toBe(false);
    await store.setLastExtract("telegram:9", {
      at: "2024-10-13T00:00:00.000Z",
      notice: { title: "t", path: null },
      extract: {},
    });
    expect(await store.lastExtract("telegram:9")).not.toBeNull();
    await store.close();
    const again = openSqliteDb(path);
    expect(await migrate(again)).toEqual([]);
    await again.close();
  });
});
