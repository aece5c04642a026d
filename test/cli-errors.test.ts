/**
 * User mistakes end the CLI with one plain message naming the setting and the fix, never a stack
 * trace (issue 13, item 10); the stack only with LOG_LEVEL=debug. Real processes (the npm script's
 * entry point), so the top-level handler is what is tested.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EmbedderMismatchError,
  IndexNotFoundError,
  IndexUnreadableError,
  describeFatal,
  userMessage,
} from "../src/errors.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-errors-"));
  await writeFile(join(dir, "a-file"), "not a folder");
  await writeFile(join(dir, "notice.txt"), "关于快递安全的通知\n各单位要落实安全责任。\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/channels/cli/main.ts", ...args],
      {
        cwd: repo,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", INDEX_DIR: join(dir, "index"), ...env },
        timeout: 120_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const STACK = /^\s+at /m;

describe("CLI: no stack trace for a user's mistake", () => {
  it("TIMEZONE=Mars/Olympus", async () => {
    const r = await cli(["extract", join(dir, "notice.txt")], { TIMEZONE: "Mars/Olympus" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TIMEZONE must be an IANA time zone such as Asia\/Shanghai/);
    expect(r.stderr).not.toMatch(STACK);
  }, 120_000);

  it("an unwritable INDEX_DIR is reported plainly, naming INDEX_DIR; the stack only with LOG_LEVEL=debug", async () => {
    const bad = join(dir, "a-file", "index"); // under a regular file: not writable, even as root
    const r = await cli(["ingest", "--corpus", dir], { INDEX_DIR: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot \w+ .*a-file.* \(a part of the path is not a folder\); check INDEX_DIR/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(/Unexpected error/);
    const debug = await cli(["ingest", "--corpus", dir], { INDEX_DIR: bad, LOG_LEVEL: "debug" });
    expect(debug.stderr).toMatch(/check INDEX_DIR/);
    expect(debug.stderr).toMatch(STACK);
  }, 120_000);

  it("no index yet: says which command to run", async () => {
    const r = await cli(["search", "快递"], { INDEX_DIR: join(dir, "empty-index") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No index in .*run `npm run ingest/);
    expect(r.stderr).not.toMatch(STACK);
  }, 120_000);
});

describe("error classes carry fields", () => {
  it("are told apart by class and fields, not by message", () => {
    const unreadable = new IndexUnreadableError("data", "data/g1", "Unexpected end of JSON input");
    expect(unreadable).toBeInstanceOf(IndexNotFoundError);
    expect(unreadable).toMatchObject({ indexDir: "data", file: "data/g1", detail: "Unexpected end of JSON input" });
    expect(unreadable.message).toMatch(/--rebuild/);
    const mismatch = new EmbedderMismatchError("data", "hashing-1024", "openai:bge-m3");
    expect(mismatch).toMatchObject({ stored: "hashing-1024", configured: "openai:bge-m3" });
  });

  it("an OS error a user can fix becomes a message naming the setting; a bug does not", () => {
    const inUse = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE", address: "0.0.0.0", port: 8443 });
    expect(userMessage(inUse, { ports: { "8443": "TELEGRAM_WEBHOOK_PORT" } })).toMatch(
      /port is already in use.*set TELEGRAM_WEBHOOK_PORT to a free port/,
    );
    expect(userMessage(new TypeError("x is undefined"))).toBeNull();
    expect(describeFatal(new TypeError("x is undefined"), {})).toBe(
      "Unexpected error: x is undefined (set LOG_LEVEL=debug to see where it happened)",
    );
  });
});
