#!/usr/bin/env node
/**
 * `npm start`: every configured chat channel in one process — the Telegram bot when
 * TELEGRAM_BOT_TOKEN is set, DingTalk (DINGTALK_CLIENT_ID/_SECRET), Feishu (FEISHU_APP_ID/_SECRET)
 * and WeCom (WECOM_BOT_ID/_SECRET) — over the same handlers; one that fails to start is reported
 * and the others run. With none configured, the local terminal chat.
 */
import type { Assistant } from "./assistant/assistant.js";
import { createAssistant } from "./app.js";
import { loadConfig, type AppConfig } from "./config/config.js";
import { ConfigError, describeFatal } from "./errors.js";
import type { TelegramBotOptions } from "./channels/telegram/bot.js";
import { configuredChannels, startChannels, type RunningChannels } from "./channels/channels.js";
import { runTerminalChat } from "./channels/terminal/terminal-chat.js";

export interface MainIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where SIGINT / SIGTERM arrive (default: process). */
  signals?: Pick<NodeJS.EventEmitter, "once" | "off">;
  /** Build the assistant (default: src/app.ts); injected by tests. */
  createAssistant?: (config: AppConfig, deps: { log: (line: string) => void }) => Assistant;
  /** Extra options for the bot (tests). */
  botOptions?: Partial<TelegramBotOptions>;
  /** Called once the channels run (tests; reminders reach chats through `channels.notifier`). */
  onStarted?: (channels: RunningChannels) => void;
}

const LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

export async function main(io: MainIo): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const threshold = LEVELS.indexOf(config.logLevel);
  const log = (line: string, level: (typeof LEVELS)[number] = "info") => {
    if (LEVELS.indexOf(level) >= threshold) io.stderr.write(`${line}\n`);
  };
  const assistant = (io.createAssistant ?? createAssistant)(config, { log });
  const corpusDir = config.corpusDirs[0] ?? "corpus";

  if (configuredChannels(config).length === 0) {
    return runTerminalChat({ assistant, input: io.stdin, output: io.stdout, corpusDir, log });
  }

  const signals = io.signals ?? process;
  let onSignal: (() => void) | undefined;
  const stopRequested = new Promise<string>((resolve) => {
    onSignal = () => resolve("signal");
    signals.once("SIGINT", onSignal);
    signals.once("SIGTERM", onSignal);
  });
  try {
    const channels = await startChannels(config, assistant, { log, ...(io.botOptions ? { telegram: io.botOptions } : {}) });
    if (channels.running.length === 0) {
      io.stderr.write(`No chat channel could start:\n${channels.failed.map((f) => `- ${f.reason}`).join("\n")}\n`);
      return 1;
    }
    log(`running: ${channels.running.join(", ")}${channels.failed.length ? `; not running: ${channels.failed.map((f) => f.name).join(", ")}` : ""}`);
    io.onStarted?.(channels);
    const outcome = await Promise.race([stopRequested, channels.allDone.then(() => "stopped")]);
    log(`stopping (${outcome})`);
    await channels.stop();
    return channels.failed.length && outcome === "stopped" ? 1 : 0;
  } finally {
    if (onSignal) {
      signals.off("SIGINT", onSignal);
      signals.off("SIGTERM", onSignal);
    }
  }
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("src/main.ts");
if (isMain) {
  main({ env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${describeFatal(err, process.env)}\n`);
      process.exit(1);
    },
  );
}
