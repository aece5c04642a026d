import { afterAll, beforeAll } from "vitest";
import { describe } from "vitest";
import { pgForTests, startPgCluster, type PgCluster } from "../../test/support/pg-cluster.js";
import { openPostgresStore } from "./postgres-store.js";
import { storeContract } from "./store.common.case.js";
import { accountsContract } from "./accounts.common.case.js";

const pg = pgForTests();

describe.skipIf(pg.skip)("postgres", () => {
  let cluster: PgCluster;
  let n = 0;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  storeContract("postgres", {
    async fresh() {
      const url = await cluster.createDatabase(`store_${++n}`);
      return { open: () => openPostgresStore(url) };
    },
  });
  accountsContract("postgres", async () => {
    const url = await cluster.createDatabase(`accounts_${++n}`);
    const store = await openPostgresStore(url);
    const others: { close(): Promise<void> }[] = [];
    return {
      accounts: store.accounts,
      reopen: async () => {
        const s = await openPostgresStore(url);
        others.push(s);
        return s.accounts;
      },
      close: async () => {
        await Promise.all([store, ...others].map((s) => s.close()));
      },
    };
  });
});
