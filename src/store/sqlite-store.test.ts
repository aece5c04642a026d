import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "./sqlite-store.js";
import { storeContract } from "./store.common.case.js";
import { loadMigrations } from "./migrate.js";
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
    expect(list.map((m) => m.version)).toEqual([...list.map((m) => m.version)].sort((a, b) => a - b));
  });
});
