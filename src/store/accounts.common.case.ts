/** The AccountStore contract (web sign-in), run over the SQLite and PostgreSQL stores and the in-memory one. */
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword, type AccountStore } from "./accounts.js";

export function accountsContract(
  name: string,
  fresh: () => Promise<{ accounts: AccountStore; reopen?: () => Promise<AccountStore>; close?: () => Promise<void> }>,
): void {
  describe(`accounts contract: ${name}`, () => {
    it("adds, finds, lists and removes accounts; a name is taken once", async () => {
      const { accounts, close } = await fresh();
      try {
        const hash = await hashPassword("a long password");
        await accounts.addAccount({
          name: "wang",
          role: "admin",
          passwordHash: hash,
          createdAt: "2024-10-12T01:00:00.000Z",
        });
        await accounts.addAccount({
          name: "li",
          role: "user",
          passwordHash: hash,
          createdAt: "2024-10-12T01:00:00.000Z",
        });
        await expect(
          accounts.addAccount({ name: "li", role: "user", passwordHash: hash, createdAt: "x" }),
        ).rejects.toThrow(/already exists/);
        const wang = await accounts.getAccount("wang");
        expect(wang?.role).toBe("admin");
        expect(await verifyPassword("a long password", wang!.passwordHash)).toBe(true);
        expect(await verifyPassword("wrong", wang!.passwordHash)).toBe(false);
        expect((await accounts.listAccounts()).map((a) => a.name)).toEqual(["li", "wang"]);
        expect(await accounts.listAccounts()).not.toContainEqual(
          expect.objectContaining({ passwordHash: expect.anything() }),
        );
        expect(await accounts.removeAccount("li")).toBe(true);
        expect(await accounts.removeAccount("li")).toBe(false);
        expect(await accounts.getAccount("li")).toBeNull();
      } finally {
        await close?.();
      }
    });

    it("keeps sessions, expires them, and drops a removed user's sessions", async () => {
      const { accounts, reopen, close } = await fresh();
      try {
        await accounts.addAccount({
          name: "zhao",
          role: "user",
          passwordHash: await hashPassword("a long password"),
          createdAt: "2024-10-12T01:00:00.000Z",
        });
        await accounts.saveSession({
          idHash: "h1",
          user: "zhao",
          createdAt: "2024-10-12T01:00:00.000Z",
          expiresAt: "2024-10-12T13:00:00.000Z",
        });
        await accounts.saveSession({
          idHash: "h2",
          user: "zhao",
          createdAt: "2024-10-11T01:00:00.000Z",
          expiresAt: "2024-10-11T13:00:00.000Z",
        });
        const again = reopen ? await reopen() : accounts;
        expect((await again.getSession("h1"))?.user).toBe("zhao");
        await again.deleteExpiredSessions("2024-10-12T02:00:00.000Z");
        expect(await again.getSession("h2")).toBeNull();
        expect(await again.getSession("h1")).not.toBeNull();
        await again.deleteSession("h1");
        expect(await again.getSession("h1")).toBeNull();
        await again.saveSession({
          idHash: "h3",
          user: "zhao",
          createdAt: "2024-10-12T01:00:00.000Z",
          expiresAt: "2024-10-12T13:00:00.000Z",
        });
        await again.removeAccount("zhao");
        expect(await again.getSession("h3")).toBeNull();
      } finally {
        await close?.();
      }
    });
  });
}
