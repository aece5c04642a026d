#!/usr/bin/env node
/**
 * `npm start`: the Telegram bot when TELEGRAM_BOT_TOKEN is set (long polling, or a webhook when
 * TELEGRAM_WEBHOOK_URL is set), otherwise the local terminal chat over the same handlers.
 */
import type { Assistant } from "./assistant/assistant.js";
import { createAssistant, openTasks } from "./app.js";
import { loadConfig, type AppConfig } from "./config/config.js";
import { ConfigError } from "./errors.js";
import { createTelegramBot, redactor, type TelegramBotOptions } from "./channels/telegram/bot.js";
import { runTerminalChat } from "./channels/terminal/terminal-chat.js";
import { launchWeb } from "./channels/web/launch.js";
import type { Store } from "./store/types.js";

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

  // The web workspace (WEB_PORT): served beside the messaging channels; it replaces the terminal chat.
  let web: { close(): Promise<void> } | undefined;
  let store: Store | undefined;
  if (config.web) {
    try {
      const components = await openTasks(config);
      store = components.store;
      web = await launchWeb({ config, assistant, store, tasks: components.tasks, log });
    } catch (err) {
      await store?.close().catch(() => {});
      io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  const closeWeb = async () => {
    await web?.close().catch(() => {});
    await store?.close().catch(() => {});
  };

  const token = config.telegram.token;
  if (!token) {
    if (!web) return runTerminalChat({ assistant, input: io.stdin, output: io.stdout, corpusDir, log });
    const signals = io.signals ?? process;
    await new Promise<void>((resolve) => {
      signals.once("SIGINT", () => resolve());
      signals.once("SIGTERM", () => resolve());
    });
    log("[web] stopping");
    await closeWeb();
    return 0;
  }

  const tb = createTelegramBot({ token, settings: config.telegram, assistant, corpusDir, log, ...io.botOptions });
  const signals = io.signals ?? process;
  let onSignal: (() => void) | undefined;
  const stopRequested = new Promise<string>((resolve) => {
    onSignal = () => resolve("signal");
    signals.once("SIGINT", onSignal);
    signals.once("SIGTERM", onSignal);
  });
  try {
    const { done } = await tb.start();
    const outcome = await Promise.race([stopRequested, done.then(() => "stopped")]);
    log(`[telegram] stopping (${outcome})`);
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
    await tb.stop("error").catch(() => {});
    return 1;
  } finally {
    if (onSignal) {
      signals.off("SIGINT", onSignal);
      signals.off("SIGTERM", onSignal);
    }
    await closeWeb();
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
