/**
 * `WEB_PORT=… npm start` end to end in one process: an admin added with the users command (SQLite
 * store at STORE_PATH) signs in and asks; the terminal chat does not open; SIGTERM stops the server.
 */
import { EventEmitter } from "node:events";
import { mkdtemp, rm, mkdir, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { runCli } from "../src/channels/cli/main.js";
import { captureIo } from "./fakes/capture-io.js";

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "web-start-"));
  const corpus = join(dir, "corpus");
  await mkdir(corpus);
  await cp("../shared/corpus/regulations/快递暂行条例.md", join(corpus, "快递暂行条例.md"));
  env = {
    CORPUS_DIRS: corpus,
    INDEX_DIR: join(dir, "index"),
    STORE_PATH: join(dir, "store", "assistant.db"),
    LOG_LEVEL: "info",
  };
  const ingest = captureIo({ env });
  expect(await runCli(["ingest"], ingest.io)).toBe(0);
  const add = captureIo({ env, stdin: "a long admin password\n" });
  expect(await runCli(["users", "add", "wang", "--role", "admin"], add.io)).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm start with WEB_PORT", () => {
  it("serves the workspace instead of the terminal chat; the users command's admin signs in and asks", async () => {
    const signals = new EventEmitter();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    let out = "";
    stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const running = main({ env: { ...env, WEB_PORT: "0" }, stdin, stdout, stderr, signals });
    await expect
      .poll(() => /workspace at (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1], { timeout: 30_000 })
      .toBeTruthy();
    const url = /workspace at (http:\/\/127\.0\.0\.1:\d+)/.exec(err)![1]!;
    const login = await fetch(`${url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "wang", password: "a long admin password" }),
    });
    expect(login.status).toBe(204);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    const ask = await fetch(`${url}/api/ask`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie },
      body: JSON.stringify({ question: "快递末端网点开办以后多少天内要备案？" }),
    });
    const body = (await ask.json()) as { citations: { title: string; section: string }[] };
    expect(body.citations.some((c) => c.title === "快递暂行条例" && c.section === "第十八条")).toBe(true);
    expect(out).toBe(""); // no terminal chat prompt or banner
    signals.emit("SIGTERM");
    expect(await running).toBe(0);
    await expect(fetch(`${url}/api/session`)).rejects.toThrow();
    // the sign-in was audited in the store
    const { openStore } = await import("../src/store/open-store.js");
    const store = await openStore({ path: env.STORE_PATH! });
    try {
      const log = await store.auditLog();
      expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(["users.add", "sign-in", "ask"]));
    } finally {
      await store.close();
    }
  }, 60_000);

  it("says plainly when WEB_PORT is not a port", async () => {
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const code = await main({
      env: { ...env, WEB_PORT: "eighty" },
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
    });
    expect(code).toBe(1);
    expect(err).toContain("WEB_PORT");
    expect(err).not.toMatch(/at .*\.ts:\d+/);
  });
});
