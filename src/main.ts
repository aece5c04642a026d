#!/usr/bin/env node
/**
 * `npm start`: the Telegram bot when TELEGRAM_BOT_TOKEN is set (long polling, or a webhook when
 * TELEGRAM_WEBHOOK_URL is set), otherwise the local terminal chat over the same handlers.
 */
import type { Assistant } from "./assistant/assistant.js";
import { chatExtensions, createAssistant, createReminders, openTasks, type TaskComponents } from "./app.js";
import { loadConfig, type AppConfig } from "./config/config.js";
import { AssistantError, ConfigError } from "./errors.js";
import { telegramNotifier } from "./channels/telegram/notifier.js";
import { createTelegramBot, redactor, type TelegramBotOptions } from "./channels/telegram/bot.js";
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
  /** The clock of the reminder scheduler and the store's timestamps (tests). */
  now?: () => Date;
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
  // The store (tasks, turns, kept files, refusals, audit log): SQLite at STORE_PATH or PostgreSQL at DATABASE_URL.
  let parts: TaskComponents;
  try {
    parts = await openTasks(config, { now: io.now });
  } catch (err) {
    if (err instanceof AssistantError) {
      io.stderr.write(`${err.message}
`);
      return 1;
    }
    throw err;
  }
  try {
    return await run(io, config, assistant, corpusDir, parts, log);
  } finally {
    await parts.close().catch((err: unknown) => log(`could not close the store: ${String(err)}`, "warn"));
  }
}

async function run(
  io: MainIo,
  config: AppConfig,
  assistant: Assistant,
  corpusDir: string,
  parts: TaskComponents,
  log: (line: string, level?: (typeof LEVELS)[number]) => void,
): Promise<number> {
  const token = config.telegram.token;
  if (!token) {
    const ext = await chatExtensions(config, parts, "terminal", { now: io.now, log });
    return runTerminalChat({ assistant, input: io.stdin, output: io.stdout, corpusDir, log, chat: ext.chat });
  }

  const ext = await chatExtensions(config, parts, "telegram", { now: io.now, log });
  const tb = createTelegramBot({ token, settings: config.telegram, assistant, corpusDir, log, chat: ext.chat, refusals: ext.refusals, ...io.botOptions });
  // 督办 reminders at REMIND_AT, in the chats the tasks came from; exactly once per task and day
  // even with several bot processes on one database.
  const reminders = await createReminders(config, parts, telegramNotifier({ telegram: tb.bot.telegram }), { now: io.now, log: (l) => log(`[reminders] ${l}`, "warn") });
  const signals = io.signals ?? process;
  let onSignal: (() => void) | undefined;
  const stopRequested = new Promise<string>((resolve) => {
    onSignal = () => resolve("signal");
    signals.once("SIGINT", onSignal);
    signals.once("SIGTERM", onSignal);
  });
  try {
    const { done } = await tb.start();
    reminders.start();
    const outcome = await Promise.race([stopRequested, done.then(() => "stopped")]);
    log(`[telegram] stopping (${outcome})`);
    await reminders.stop();
    await tb.stop(outcome);
    return 0;
  } catch (err) {
    const code = (err as { response?: { error_code?: number } }).response?.error_code;
    const hint =
      code === 401
        ? "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token BotFather gave you again."
        : code === 409
          ? "Another instance is already receiving updates for this bot (409 Conflict): stop it, or unset TELEGRAM_WEBHOOK_URL consistently."
          : `The Telegram bot stopped: ${err instanceof Error ? err.message : String(err)}`;
    io.stderr.write(`${redactor(token)(hint)}\n`);
    await reminders.stop();
    await tb.stop("error").catch(() => {});
    return 1;
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
      process.stderr.write(`Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
