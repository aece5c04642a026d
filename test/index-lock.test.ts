import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCK_DIR, LOCK_OWNER_FILE, withIndexLock, type LockOwner } from "../src/index/index-store.js";

const HOLDER = join(import.meta.dirname, "fixtures", "index", "hold-lock.ts");

/** A child process holding the lock of `dir` (resolves once it has it). */
async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, dir], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => b.toString().includes("locked") && resolve());
    child.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((r) => child.on("exit", (code, signal) => r(signal ?? code)));

describe("index lock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "index-lock-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("records the owner's PID, host and start time", async () => {
    await withIndexLock(dir, async () => {
      const owner = JSON.parse(await readFile(join(dir, LOCK_DIR, LOCK_OWNER_FILE), "utf8")) as LockOwner;
      expect(owner.pid).toBe(process.pid);
      expect(owner.host).toBe(hostname());
      expect(Date.parse(owner.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    });
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
  });

  it("after kill -9 of the holder the next ingest takes the lock at once", async () => {
    const child = await holder(dir);
    await expect(withIndexLock(dir, async () => "never", { waitMs: 300 })).rejects.toThrow(
      new RegExp(`process ${child.pid} on`),
    );
    child.kill("SIGKILL");
    expect(await exited(child)).toBe("SIGKILL");
    expect(existsSync(join(dir, LOCK_DIR))).toBe(true); // left behind, as after a crash
    const logs: string[] = [];
    const t0 = Date.now();
    expect(await withIndexLock(dir, async () => 42, { waitMs: 0, log: (l) => logs.push(l) })).toBe(42);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(logs.join("\n")).toMatch(new RegExp(`process ${child.pid} is no longer running`));
  }, 30_000);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} releases the lock and still ends the process`, async () => {
      const child = await holder(dir);
      child.kill(signal);
      expect(await exited(child)).toBe(signal);
      expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
    }, 30_000);
  }

  it("waits for a lock whose owner runs on another host until it is stale", async () => {
    await mkdir(join(dir, LOCK_DIR));
    await writeFile(
      join(dir, LOCK_DIR, LOCK_OWNER_FILE),
      JSON.stringify({ pid: 1, host: "elsewhere.invalid", startedAt: new Date().toISOString() }),
    );
    await expect(withIndexLock(dir, async () => "never", { waitMs: 200 })).rejects.toThrow(/elsewhere\.invalid/);
    expect(await withIndexLock(dir, async () => "taken", { waitMs: 0, staleMs: 0 })).toBe("taken");
  });
});
