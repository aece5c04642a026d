#!/usr/bin/env node
/**
 * `npm start`: every configured chat channel in one process — the Telegram bot when
 * TELEGRAM_BOT_TOKEN is set, DingTalk (DINGTALK_CLIENT_ID/_SECRET), Feishu (FEISHU_APP_ID/_SECRET)
 * and WeCom (WECOM_BOT_ID/_SECRET) — over the same handlers; one that fails to start is reported
 * and the others run. With WEB_PORT set, the web workspace is served beside them. With no channel
 * and no web workspace, the local terminal chat. 督办 reminders go out at REMIND_AT through the
 * channels that run.
 */
import type { Assistant } from "./assistant/assistant.js";
import { chatExtensions, createAssistant, createReminders, openTasks } from "./app.js";
import type { TaskComponents } from "./assistant/tasks/task-service.js";
import { loadConfig, type AppConfig } from "./config/config.js";
import { AssistantError, ConfigError, describeFatal } from "./errors.js";
import type { TelegramBotOptions } from "./channels/telegram/bot.js";
import { configuredChannels, startChannels, type RunningChannels } from "./channels/channels.js";
import { runTerminalChat } from "./channels/terminal/terminal-chat.js";
import { launchWeb } from "./channels/web/launch.js";
import { isMainModule } from "./is-main-module.js";

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
  /** The clock of the reminder scheduler and the store's timestamps (tests). */
  now?: () => Date;
}

const LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
type Log = (line: string, level?: (typeof LEVELS)[number]) => void;

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
  const log: Log = (line, level = "info") => {
    if (LEVELS.indexOf(level) >= threshold) io.stderr.write(`${line}\n`);
  };
  const assistant = (io.createAssistant ?? createAssistant)(config, { log });
  const corpusDir = config.corpusDirs[0] ?? "corpus";
  // The store (tasks, turns, kept files, refusals, audit log, web accounts): SQLite at STORE_PATH or PostgreSQL at DATABASE_URL.
  let parts: TaskComponents;
  try {
    parts = await openTasks(config, { now: io.now });
  } catch (err) {
    if (err instanceof AssistantError) {
      io.stderr.write(`${err.message}\n`);
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
  log: Log,
): Promise<number> {
  const deps = { now: io.now, log };
  const channelsWanted = configuredChannels(config).length > 0;
  if (!channelsWanted && !config.web) {
    const ext = await chatExtensions(config, parts, "terminal", deps);
    return runTerminalChat({ assistant, input: io.stdin, output: io.stdout, corpusDir, log, chat: ext.chat });
  }

  const signals = io.signals ?? process;
  let onSignal: (() => void) | undefined;
  const stopRequested = new Promise<string>((resolve) => {
    onSignal = () => resolve("signal");
    signals.once("SIGINT", onSignal);
    signals.once("SIGTERM", onSignal);
  });
  let web: { close(): Promise<void> } | undefined;
  let channels: RunningChannels | undefined;
  let reminders: { start(): void; stop(): Promise<void> } | undefined;
  try {
    if (config.web) {
      try {
        web = await launchWeb({
          config,
          assistant,
          store: parts.store,
          tasks: parts.tasks,
          log,
          ...(io.now ? { now: io.now } : {}),
        });
      } catch (err) {
        io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
    }
    if (channelsWanted) {
      channels = await startChannels(config, assistant, {
        log,
        extensions: (channel) => chatExtensions(config, parts, channel, deps),
        ...(io.botOptions ? { telegram: io.botOptions } : {}),
      });
      if (channels.running.length === 0 && !web) {
        io.stderr.write(`No chat channel could start:\n${channels.failed.map((f) => `- ${f.reason}`).join("\n")}\n`);
        return 1;
      }
      log(
        `running: ${channels.running.join(", ")}${channels.failed.length ? `; not running: ${channels.failed.map((f) => f.name).join(", ")}` : ""}`,
      );
      // 督办 reminders at REMIND_AT, in the chats the tasks came from; exactly once per task and day
      // even with several bot processes on one database.
      if (channels.running.length) {
        reminders = await createReminders(config, parts, channels.notifier, {
          now: io.now,
          log: (l) => log(`[reminders] ${l}`, "warn"),
        });
        reminders.start();
      }
      io.onStarted?.(channels);
    }
    const outcome = await Promise.race([
      stopRequested,
      channels?.running.length ? channels.allDone.then(() => "stopped") : new Promise<string>(() => {}),
    ]);
    log(`stopping (${outcome})`);
    return channels?.failed.length && outcome === "stopped" ? 1 : 0;
  } finally {
    await reminders?.stop().catch(() => {});
    await channels?.stop().catch(() => {});
    await web?.close().catch(() => {});
    if (onSignal) {
      signals.off("SIGINT", onSignal);
      signals.off("SIGTERM", onSignal);
    }
  }
}

const isMain = isMainModule(import.meta.url);
if (isMain) {
  main({ env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${describeFatal(err, process.env)}\n`);
      process.exit(1);
    },
  );
}
