/**
 * Running every configured chat channel in one process (`npm start`): Telegram, DingTalk,
 * Feishu and WeCom, each over its own chat core and the one Assistant. A channel that fails to
 * start (bad credentials, unreachable) is reported with what to fix and the others carry on; a
 * channel that dies later is reported the same way. `notifier` delivers reminders to any
 * running channel's chats by their namespaced ids.
 */
import { userMessage } from "../errors.js";
import type { Assistant } from "../assistant/assistant.js";
import type { AppConfig } from "../config/config.js";
import { createChatCore } from "./chat-core/chat-core.js";
import { createNotifierRouter, type Notifier } from "./chat-core/notifier.js";
import { createDingTalkChannel } from "./dingtalk/dingtalk.js";
import { createFeishuChannel } from "./feishu/feishu.js";
import { createTelegramBot, redactor, WebhookPortInUseError, type TelegramBotOptions } from "./telegram/bot.js";
import { createWeComChannel } from "./wecom/wecom.js";

export type ChannelName = "telegram" | "dingtalk" | "feishu" | "wecom";
export type Log = (line: string, level?: "info" | "warn" | "error") => void;

interface Runnable extends Notifier {
  name: ChannelName;
  start(): Promise<unknown>;
  stop(): Promise<void>;
  /** Settles when the channel stops by itself (Telegram's polling ending); never for the others. */
  done?: Promise<void>;
}

export interface RunningChannels {
  /** Channels that started. */
  running: ChannelName[];
  /** Channels that could not start, with the reason shown to the operator. */
  failed: { name: ChannelName; reason: string }[];
  notifier: Notifier;
  /** Settles when every running channel has stopped by itself. */
  allDone: Promise<void>;
  stop(): Promise<void>;
}

/** The names of the channels the configuration turns on. */
export function configuredChannels(config: AppConfig): ChannelName[] {
  const out: ChannelName[] = [];
  if (config.telegram.token) out.push("telegram");
  if (config.channels.dingtalk) out.push("dingtalk");
  if (config.channels.feishu) out.push("feishu");
  if (config.channels.wecom) out.push("wecom");
  return out;
}

/** What the operator reads when Telegram will not start. */
export function telegramStartHint(err: unknown, token: string): string {
  if (err instanceof WebhookPortInUseError) return err.message;
  const code = (err as { response?: { error_code?: number } }).response?.error_code;
  const hint =
    code === 401
      ? "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token BotFather gave you again."
      : code === 409
        ? "Another instance is already receiving updates for this bot (409 Conflict): stop it, or unset TELEGRAM_WEBHOOK_URL consistently."
        : `The Telegram bot stopped: ${userMessage(err) ?? (err instanceof Error ? err.message : String(err))}`;
  return redactor(token)(hint);
}

/** What a channel's chat core gets beyond the assistant: store-backed memory, 督办 commands, the refusal record. */
export interface ChannelExtensions {
  chat?: NonNullable<TelegramBotOptions["chat"]>;
  refusals?: NonNullable<TelegramBotOptions["refusals"]>;
}

export async function startChannels(
  config: AppConfig,
  assistant: Assistant,
  options: {
    log: Log;
    telegram?: Partial<TelegramBotOptions>;
    /** Per channel: the store-backed chat memory and 督办 commands (src/app.ts chatExtensions), and the refusal record. */
    extensions?: (channel: ChannelName) => Promise<ChannelExtensions>;
  },
): Promise<RunningChannels> {
  const { log } = options;
  const corpusDir = config.corpusDirs[0] ?? "corpus";
  const extensionsOf = async (channel: ChannelName): Promise<ChannelExtensions> =>
    options.extensions ? options.extensions(channel) : {};
  const core = async (channel: ChannelName, allowListSetting: string) =>
    createChatCore({
      assistant,
      corpusDir,
      log: (l) => log(l),
      allowListSetting,
      channel,
      ...(await extensionsOf(channel)).chat,
    });
  const all: Runnable[] = [];

  const token = config.telegram.token;
  if (token) {
    const ext = await extensionsOf("telegram");
    const tb = createTelegramBot({
      token,
      settings: config.telegram,
      assistant,
      corpusDir,
      log: (l, level) => log(l, level),
      ...(ext.chat ? { chat: ext.chat } : {}),
      ...(ext.refusals ? { refusals: ext.refusals } : {}),
      ...options.telegram,
    });
    let done: Promise<void> = new Promise(() => {});
    all.push({
      name: "telegram",
      async start() {
        done = (await tb.start()).done;
        this.done = done;
      },
      stop: () => tb.stop(),
      accepts: (chatId) => tb.accepts?.(chatId) ?? true,
      deliver: (chatId, message, buttons) => tb.deliver(chatId, message, buttons),
    });
  }
  const { dingtalk, feishu, wecom } = config.channels;
  if (dingtalk) {
    const ch = createDingTalkChannel({
      settings: dingtalk,
      core: await core("dingtalk", "DINGTALK_ALLOWED_USERS"),
      log,
    });
    all.push({ name: "dingtalk", start: () => ch.start(), stop: () => ch.stop(), deliver: (c, m) => ch.deliver(c, m) });
  }
  if (feishu) {
    const ch = createFeishuChannel({ settings: feishu, core: await core("feishu", "FEISHU_ALLOWED_USERS"), log });
    all.push({ name: "feishu", start: () => ch.start(), stop: () => ch.stop(), deliver: (c, m) => ch.deliver(c, m) });
  }
  if (wecom) {
    const ch = createWeComChannel({ settings: wecom, core: await core("wecom", "WECOM_ALLOWED_USERS"), log });
    all.push({ name: "wecom", start: () => ch.start(), stop: () => ch.stop(), deliver: (c, m) => ch.deliver(c, m) });
  }

  const results = await Promise.allSettled(all.map((c) => c.start()));
  const running: Runnable[] = [];
  const failed: RunningChannels["failed"] = [];
  results.forEach((r, i) => {
    const c = all[i]!;
    if (r.status === "fulfilled") running.push(c);
    else {
      const reason =
        c.name === "telegram" && token
          ? telegramStartHint(r.reason, token)
          : `${c.name} did not start: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`;
      failed.push({ name: c.name, reason });
      log(reason, "error");
    }
  });
  // A channel that could not start still holds timers or a half-open connection: release it.
  await Promise.all(all.filter((c) => !running.includes(c)).map((c) => c.stop().catch(() => {})));

  const lasting = running.map((c) =>
    c.done
      ? c.done.then(
          () => log(`[${c.name}] stopped`),
          (err: unknown) =>
            log(
              c.name === "telegram" && token ? telegramStartHint(err, token) : `[${c.name}] stopped: ${String(err)}`,
              "error",
            ),
        )
      : new Promise<void>(() => {}),
  );
  const notifier = createNotifierRouter(new Map(running.map((c) => [c.name, c] as const)));
  return {
    running: running.map((c) => c.name),
    failed,
    notifier,
    allDone: running.length ? Promise.all(lasting).then(() => {}) : Promise.resolve(),
    async stop() {
      await Promise.all(
        running.map((c) =>
          c.stop().catch((err: unknown) => log(`[${c.name}] could not stop cleanly: ${String(err)}`, "warn")),
        ),
      );
    },
  };
}
