/** `main` (npm start): the terminal chat without a Telegram token, the bot with one, configuration errors. */
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { createFakeAssistant } from "./fakes/fake-assistant.js";
import { FakeBotApi } from "./fakes/fake-bot-api.js";

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString("utf8");
}

describe("main (npm start)", () => {
  const io = (env: Record<string, string>, stdinText = "") => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdin.end(stdinText);
    return { env, stdin, stdout, stderr, out: collect(stdout), err: collect(stderr) };
  };

  it("without a token runs the terminal chat on stdin and exits at end of input", async () => {
    const x = io({ CORPUS_DIRS: "corpus" }, "快递许可\n");
    const assistant = createFakeAssistant();
    const code = await main({ ...x, createAssistant: () => assistant });
    expect(code).toBe(0);
    expect(x.out()).toContain("依法取得快递业务经营许可[1]");
    expect(x.out()).toContain("[1] 《快递暂行条例》");
  });

  it("prints a configuration error and exits 1", async () => {
    const x = io({ TELEGRAM_WEBHOOK_URL: "https://bot.example.gov.cn/hook" });
    const code = await main({ ...x, createAssistant: () => createFakeAssistant() });
    expect(code).toBe(1);
    expect(x.err()).toContain("TELEGRAM_WEBHOOK_SECRET");
  });

  it("with a token runs the bot against TELEGRAM_API_ROOT and stops cleanly on SIGTERM", async () => {
    const api = await FakeBotApi.start();
    try {
      const signals = new EventEmitter();
      const x = io({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_ALLOWED_USERS: "100" });
      const running = main({ ...x, signals, createAssistant: () => createFakeAssistant() });
      api.sendText("快递许可", { id: 100 });
      const [msg] = await api.waitFor("sendMessage");
      expect(String(msg!.payload.text)).toContain("快递业务经营许可");
      signals.emit("SIGTERM");
      expect(await running).toBe(0);
      expect(x.err()).not.toContain(api.token);
    } finally {
      await api.close();
    }
  });

  it("explains a rejected token and exits 1", async () => {
    const api = await FakeBotApi.start();
    try {
      const x = io({ TELEGRAM_BOT_TOKEN: "999:wrong-token", TELEGRAM_API_ROOT: api.apiRoot });
      const code = await main({ ...x, createAssistant: () => createFakeAssistant() });
      expect(code).toBe(1);
      expect(x.err()).toContain("401");
      expect(x.err()).not.toContain("wrong-token");
    } finally {
      await api.close();
    }
  });
});
