import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "./sqlite-store.js";
import { storeContract } from "./store.common.case.js";
import { loadMigrations } from "./migrate.js";

const root = mkdtempSync(join(tmpdir(), "sqlite-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeContract("sqlite", {
  async fresh() {
    const path = join(root, `db-${++n}`, "assistant.db");
    return { open: () => openSqliteStore(path) };
  },
});

describe("migrations", () => {
  it("are numbered files found in src/store/migrations", async () => {
    const list = await loadMigrations();
    expect(list[0]).toMatchObject({ version: 1, name: "initial" });
    expect(list.map((m) => m.version)).toEqual([...list.map((m) => m.version)].sort((a, b) => a - b));
  });
});
