/**
 * The Telegram bot (telegraf). Thin adapter over the shared chat core:
 * - access control (allow-lists, admins), group addressing, per-user rate limit;
 * - slow work is queued per chat and *not awaited* by the middleware, because telegraf's
 *   polling loop waits for a whole batch of updates before fetching the next one;
 * - replies are rendered as escaped HTML and split under 4096 characters;
 * - every failure, in middleware (bot.catch) or in queued work, becomes an apology and a log line.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { Telegraf, TelegramError, type Telegram } from "telegraf";
import type { Message, Update } from "telegraf/types";
import type { Assistant } from "../../assistant/assistant.js";
import type { AppConfig } from "../../config/config.js";
import type { Store } from "../../store/types.js";
import {
  apologyFor,
  createChatCore,
  isSupportedFile,
  SUPPORTED_EXTENSIONS,
  type Attachment,
  type Caller,
  type ChatCore,
  type ChatCoreOptions,
  type ChatRequest,
  visibleCommands,
} from "../chat-core/chat-core.js";
import { textReply, type Reply } from "../chat-core/reply.js";
import { RateLimiter } from "../chat-core/access.js";
import type { Notifier } from "../chat-core/notifier.js";
import { withRetry, type RetryDecision, type RetryOptions } from "../chat-core/retry.js";
import { accessControl, callerOf, REFUSAL } from "./access.js";
import { addressing, type TelegramState } from "./addressing.js";
import { rateLimit } from "./rate-limit.js";
import { ChatQueue } from "./chat-queue.js";
import { DownloadError, downloadTelegramFile, MAX_DOWNLOAD_BYTES } from "./download.js";
import { htmlToText, renderHtml, splitMessage } from "./format.js";
import { launchOptions } from "./launch.js";

export interface TelegramBotOptions {
  token: string;
  settings: AppConfig["telegram"];
  assistant: Assistant;
  /** Where "add to corpus" copies documents (the first corpus folder). */
  corpusDir: string;
  /** Log sink; `level` lets the caller filter (LOG_LEVEL). Lines never contain the token. */
  log?: (line: string, level: LogLevel) => void;
  /** Clock in ms, for the rate limiter. */
  now?: () => number;
  newId?: () => string;
  maxFileBytes?: number;
  typingIntervalMs?: number;
  historyTurns?: number;
  fetch?: typeof fetch;
  /** How long stop() waits for queued work (default 15 s). */
  stopGraceMs?: number;
  /** Retries of failed sends (429 after retry_after, 5xx and network errors with backoff). */
  retry?: RetryOptions;
  /** Long-poll timeout asked of getUpdates (default 25 s); the client gives up 5 s after it. */
  longPollSeconds?: number;
  /** How long past the long-poll timeout a getUpdates may take before the client gives up (default 5000 ms). */
  pollGraceMs?: number;
  /** Chat-core extensions: persistent memory (turns, kept files, audit), 督办 commands and actions. */
  chat?: Pick<ChatCoreOptions, "memory" | "commands" | "actions" | "onExtract" | "extractActions">;
  /** The refusal record, kept across restarts (default: in memory). */
  refusals?: Pick<Store, "recordRefusal">;
}

export interface TelegramBot extends Notifier {
  bot: Telegraf;
  core: ChatCore;
  /**
   * Launch (long polling, or a webhook when settings.webhookUrl is set). Resolves once the bot
   * is running; `done` settles when polling ends (rejects on a fatal error such as a bad token).
   */
  start(
    launch?: (bot: Telegraf, options: ReturnType<typeof launchOptions>) => Promise<void>,
  ): Promise<{ done: Promise<void> }>;
  /** Stop receiving updates, finish queued work, remove temporary files. */
  stop(reason?: string): Promise<void>;
  /** Resolves when no chat has queued work. */
  idle(): Promise<void>;
}

export type LogLevel = "info" | "warn" | "error";

export { REFUSAL };

/** The webhook port is taken: says which and what to do (no stack trace). */
export class WebhookPortInUseError extends Error {
  override name = "WebhookPortInUseError";
}

/** Telegram's passing failures: 429 (wait retry_after), 5xx, and network errors (no response). */
export function classifyTelegramError(err: unknown): RetryDecision {
  if (err instanceof TelegramError) {
    if (err.code === 429) {
      const after = Number(err.parameters?.retry_after);
      return { retry: true, ...(Number.isFinite(after) ? { afterMs: after * 1000 } : {}) };
    }
    return { retry: err.code >= 500 };
  }
  const name = (err as { name?: string }).name;
  const code = (err as { code?: string }).code;
  return {
    retry:
      name === "FetchError" || name === "AbortError" || /^E(CONNRESET|CONNREFUSED|PIPE|TIMEDOUT)$/.test(code ?? ""),
  };
}

/** Is `port` on `host` free to listen on? (telegraf's webhook server has no error handler of its own.) */
async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE")
        reject(
          new WebhookPortInUseError(
            `TELEGRAM_WEBHOOK_PORT ${port} on ${host} is already in use by another program: stop it, or set TELEGRAM_WEBHOOK_PORT to a free port.`,
          ),
        );
      else if (err.code === "EACCES")
        reject(
          new WebhookPortInUseError(
            `TELEGRAM_WEBHOOK_PORT ${port} on ${host} needs more privileges: use a port above 1023 behind the reverse proxy.`,
          ),
        );
      else if (err.code === "EADDRNOTAVAIL")
        reject(
          new WebhookPortInUseError(
            `TELEGRAM_WEBHOOK_HOST ${host} is not an address of this machine: use 127.0.0.1 (behind a reverse proxy) or one of its own addresses.`,
          ),
        );
      else reject(err);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

const MIME_EXTENSIONS: Record<string, string> = {
  "application/pdf": ".pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
  "text/plain": ".txt",
  "text/markdown": ".md",
  "text/html": ".html",
};

/** Redact the bot token (and any `bot<id>:<secret>` path segment) from a log line. */
export function redactor(token: string): (line: string) => string {
  return (line) => {
    let out = token ? line.split(token).join("<token>") : line;
    out = out.replace(/bot\d+:[A-Za-z0-9_-]+/g, "bot<token>");
    return out;
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // observed by whoever awaits `done`; never an unhandled rejection
  return { promise, resolve, reject };
}

const describeError = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { settings, assistant } = options;
  const redact = redactor(options.token);
  const rawLog = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const log = (line: string, level: LogLevel = "info") => rawLog(redact(`[telegram] ${line}`), level);
  const logError = (line: string) => log(line, "error");
  const warn = (line: string) => log(line, "warn");
  const maxFileBytes = options.maxFileBytes ?? MAX_DOWNLOAD_BYTES;
  const typingIntervalMs = options.typingIntervalMs ?? 4000;

  const bot = new Telegraf(options.token, {
    // Queued work replies after the webhook request has ended: never answer through the webhook response.
    telegram: { ...(settings.apiRoot ? { apiRoot: settings.apiRoot } : {}), webhookReply: false },
  });
  const core = createChatCore({
    assistant,
    corpusDir: options.corpusDir,
    historyTurns: options.historyTurns,
    newId: options.newId,
    log,
    allowListSetting: "TELEGRAM_ALLOWED_USERS",
    channel: "telegram",
    ...options.chat,
  });
  const retry: RetryOptions = {
    classify: classifyTelegramError,
    onRetry: (err, attempt, wait) => warn(`send failed (${describeError(err)}); try ${attempt + 1} in ${wait} ms`),
    ...options.retry,
  };

  // getUpdates with a client timeout just above its long-poll timeout. telegraf asks for a 50 s
  // long poll and gives every call 500 s, so a getUpdates that never returns stalls the bot for
  // minutes; here the poll is shorter and the call gives up soon after it. The give-up is
  // reported as a FetchError, which telegraf's polling loop retries (an AbortError would end it).
  const longPoll = options.longPollSeconds ?? 25;
  const pollGrace = options.pollGraceMs ?? 5000;
  const callApi = bot.telegram.callApi.bind(bot.telegram);
  bot.telegram.callApi = (async (
    method: string,
    payload: Record<string, unknown>,
    extra: { signal?: AbortSignal } = {},
  ) => {
    if (method !== "getUpdates" || payload.timeout === undefined)
      return callApi(method as never, payload as never, extra as never);
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(), longPoll * 1000 + pollGrace);
    t.unref?.();
    const outer = extra.signal as AbortSignal | { signal?: AbortSignal } | undefined;
    const outerSignal = outer && "aborted" in outer ? outer : (outer as { signal?: AbortSignal } | undefined)?.signal;
    const onOuter = () => timer.abort();
    outerSignal?.addEventListener?.("abort", onOuter);
    try {
      return await callApi(
        method as never,
        { ...payload, timeout: longPoll } as never,
        { signal: timer.signal } as never,
      );
    } catch (err) {
      if (timer.signal.aborted && !outerSignal?.aborted) {
        const e = new Error(`getUpdates gave no answer within ${longPoll} s + ${pollGrace} ms; polling again`);
        e.name = "FetchError";
        warn(e.message);
        throw e;
      }
      throw err;
    } finally {
      clearTimeout(t);
      outerSignal?.removeEventListener?.("abort", onOuter);
    }
  }) as typeof bot.telegram.callApi;
  const queue = new ChatQueue();
  const limiter = new RateLimiter(settings.rateLimitPerMinute, options.now);
  let tmp: Promise<string> | undefined;
  const tmpDir = () => (tmp ??= mkdtemp(join(tmpdir(), "postal-bot-")));
  let running = false;
  const stopped = deferred();

  // ---------------------------------------------------------------------------------------
  // Sending

  const send = async (telegram: Telegram, chatId: number, reply: Reply, role: Caller["role"], replyTo?: number) => {
    const parts = splitMessage(renderHtml(reply.blocks));
    const actions = (reply.actions ?? []).filter((a) => a.role !== "admin" || role === "admin");
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const extra = {
        link_preview_options: { is_disabled: true },
        ...(i === 0 && replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
        ...(last && actions.length
          ? { reply_markup: { inline_keyboard: [actions.map((a) => ({ text: a.label, callback_data: a.id }))] } }
          : {}),
      };
      try {
        await withRetry(() => telegram.sendMessage(chatId, part, { parse_mode: "HTML", ...extra }), retry);
      } catch (err) {
        // Should the HTML ever be refused, the words still get through as plain text.
        if (!(err instanceof TelegramError && err.code === 400 && /parse entities/i.test(err.description))) throw err;
        logError(`Telegram refused the HTML of a reply (${err.description}); sent as plain text`);
        await withRetry(() => telegram.sendMessage(chatId, htmlToText(part), extra), retry);
      }
    }
    for (const f of reply.files ?? []) {
      await withRetry(
        () =>
          telegram.sendDocument(
            chatId,
            { source: f.content, filename: f.filename },
            f.caption ? { caption: f.caption } : {},
          ),
        retry,
      );
    }
  };

  const startTyping = (telegram: Telegram, chatId: number) => {
    const ping = () => void telegram.sendChatAction(chatId, "typing").catch(() => {});
    ping();
    const timer = setInterval(ping, typingIntervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  };

  /** Queue work for a chat; the middleware returns at once. Errors end in an apology and a log line. */
  const dispatch = (
    telegram: Telegram,
    chatId: number,
    what: string,
    work: () => Promise<Reply>,
    role: Caller["role"],
    replyTo?: number,
  ) => {
    void queue.push(String(chatId), async () => {
      const stopTyping = startTyping(telegram, chatId);
      try {
        const reply = await work();
        stopTyping();
        await send(telegram, chatId, reply, role, replyTo);
      } catch (err) {
        stopTyping();
        logError(`${what} in chat ${chatId} failed: ${describeError(err)}`);
        const apology = err instanceof DownloadError ? textReply(err.message) : apologyFor(err);
        await send(telegram, chatId, apology, role, replyTo).catch((e: unknown) =>
          logError(`could not send the apology to chat ${chatId}: ${describeError(e)}`),
        );
      }
    });
  };

  // ---------------------------------------------------------------------------------------
  // Updates

  const documentOf = (m: Message | undefined): Message.DocumentMessage["document"] | undefined =>
    m && "document" in m ? m.document : undefined;

  const fetchAttachment = async (telegram: Telegram, doc: Message.DocumentMessage["document"]): Promise<Attachment> => {
    const fromMime = doc.mime_type ? MIME_EXTENSIONS[doc.mime_type] : undefined;
    const filename = doc.file_name ?? `document${fromMime ?? ".txt"}`;
    const ext = extname(filename).toLowerCase() || fromMime || ".txt";
    const dir = await tmpDir();
    const path = join(dir, `${doc.file_unique_id.replace(/[^A-Za-z0-9_-]/g, "_")}-${Date.now().toString(36)}${ext}`);
    await downloadTelegramFile(telegram, doc.file_id, path, { maxBytes: maxFileBytes, fetch: options.fetch });
    return {
      path,
      filename: extname(filename) ? filename : `${filename}${ext}`,
      dispose: () => rm(path, { force: true }),
    };
  };

  // Middlewares, in order: is the message for this bot; who sent it (strangers stop here with one
  // refusal); is the sender within the rate limit. The handlers below see ctx.state filled in.
  bot.use(addressing());
  bot.use(accessControl(settings, { log, ...(options.refusals ? { refusals: options.refusals } : {}) }));
  bot.use(rateLimit(limiter));

  bot.on("message", async (ctx) => {
    const msg = ctx.message;
    const chat = ctx.chat;
    const state = ctx.state as TelegramState;
    const incoming = state.incoming!;
    const caller = state.caller!;
    const isGroup = chat.type === "group" || chat.type === "supergroup";
    const replied = "reply_to_message" in msg ? msg.reply_to_message : undefined;
    let doc = documentOf(msg);
    const replyTo = isGroup ? msg.message_id : undefined;

    if (caller.role === "stranger") {
      // Only /whoami gets this far (access control refused the rest).
      await send(
        ctx.telegram,
        chat.id,
        await core.handle({ command: "whoami", args: "" }, caller),
        "stranger",
        replyTo,
      );
      return;
    }

    const req: ChatRequest = { command: incoming.command, args: incoming.args };
    const quoted = replied && ("text" in replied ? replied.text : "caption" in replied ? replied.caption : undefined);
    if (quoted) req.quoted = quoted;
    if (!doc && (incoming.command === "extract" || incoming.command === "draft")) doc = documentOf(replied);

    // Quick answers still go through the chat's queue, so they arrive after earlier replies.
    const quick = (text: string) => {
      void queue.push(String(chat.id), () =>
        send(ctx.telegram, chat.id, textReply(text), caller.role, replyTo).catch((e: unknown) =>
          logError(`could not reply in chat ${chat.id}: ${describeError(e)}`),
        ),
      );
    };
    if (!doc && !("text" in msg)) {
      if (!isGroup) quick("我能读文字消息，以及以文件形式发送的 PDF、Word(docx)、TXT、Markdown 和 HTML。");
      return;
    }
    if (doc) {
      const name = doc.file_name ?? `document${(doc.mime_type && MIME_EXTENSIONS[doc.mime_type]) ?? ""}`;
      if (!isSupportedFile(name)) {
        const hint = /\.(doc|wps)$/i.test(name) ? "旧版 .doc 请另存为 .docx 后再发送。" : "";
        quick(`暂不支持这种文件（${extname(name) || "无扩展名"}）。支持：${SUPPORTED_EXTENSIONS.join("、")}。${hint}`);
        return;
      }
      if (doc.file_size !== undefined && doc.file_size > maxFileBytes) {
        quick(
          `文件太大（${(doc.file_size / 1024 / 1024).toFixed(1)} MB），最多 ${(maxFileBytes / 1024 / 1024).toFixed(0)} MB。请压缩或拆分后再发送。`,
        );
        return;
      }
    }
    const theDoc = doc;
    const what = theDoc ? `document ${incoming.command ?? "extract"}` : `/${incoming.command ?? "ask"}`;
    dispatch(
      ctx.telegram,
      chat.id,
      what,
      async () => {
        if (theDoc) req.attachment = await fetchAttachment(ctx.telegram, theDoc);
        return core.handle(req, caller);
      },
      caller.role,
      replyTo,
    );
  });

  bot.on("callback_query", async (ctx) => {
    const q = ctx.callbackQuery;
    const data = "data" in q ? q.data : undefined;
    const message = q.message;
    if (!data || !message) {
      await ctx.answerCbQuery();
      return;
    }
    const chatId = message.chat.id;
    const caller = (ctx.state as TelegramState).caller ?? callerOf(settings, q.from, chatId);
    // Who may run which action is the core's business (adding to the corpus: admins only).
    if (caller.role === "stranger" || (data.startsWith("add:") && caller.role !== "admin")) {
      await ctx.answerCbQuery(caller.role === "stranger" ? REFUSAL : "抱歉，只有管理员可以执行此操作。", {
        show_alert: true,
      });
      return;
    }
    await ctx.answerCbQuery("处理中…");
    // Remove the buttons so the action is not run twice (those that only show something stay).
    if (!/^task:(?:source|extend):/.test(data))
      await ctx
        .editMessageReplyMarkup(undefined)
        .catch((e: unknown) => logError(`could not remove the button: ${describeError(e)}`));
    dispatch(ctx.telegram, chatId, `action ${data}`, () => core.action(data, caller), caller.role);
  });

  bot.catch(async (err, ctx) => {
    logError(`error while handling update ${ctx.update.update_id}: ${describeError(err)}`);
    if (!ctx.chat) return;
    try {
      await send(ctx.telegram, ctx.chat.id, apologyFor(err), "stranger");
    } catch (e) {
      logError(`could not send the apology to chat ${ctx.chat.id}: ${describeError(e)}`);
    }
  });

  // ---------------------------------------------------------------------------------------
  // Lifecycle

  return {
    bot,
    core,
    async start(launch) {
      const opts = launchOptions(settings);
      if (!settings.allowedUsers.length && !settings.allowedChats.length && !settings.admins.length)
        warn("no user is allowed yet: set TELEGRAM_ALLOWED_USERS / TELEGRAM_ADMINS (users find their id with /whoami)");
      if (launch) await launch(bot, opts);
      else if (opts.webhook) {
        await assertPortFree(opts.webhook.host ?? "127.0.0.1", opts.webhook.port ?? 8443);
        await bot.launch(opts);
        const server = (bot as unknown as { webhookServer?: import("node:net").Server }).webhookServer;
        server?.on("error", (err) => logError(`webhook server: ${describeError(err)}`));
      } else {
        await new Promise<void>((resolve, reject) => {
          // telegraf's launch() settles only when polling stops; onLaunch fires once getMe succeeded.
          bot
            .launch(opts, () => resolve())
            .then(
              () => stopped.resolve(),
              (err: unknown) => {
                reject(err);
                stopped.reject(err);
              },
            );
        });
      }
      running = true;
      await bot.telegram
        .setMyCommands(
          visibleCommands(core.commands, false).map(({ command, description }) => ({ command, description })),
        )
        .catch((e: unknown) => logError(`setMyCommands failed: ${describeError(e)}`));
      log(
        opts.webhook
          ? `webhook on ${opts.webhook.host}:${opts.webhook.port} (${opts.webhook.domain})`
          : `@${bot.botInfo?.username} is polling for updates`,
      );
      return { done: stopped.promise };
    },
    async stop(reason = "stop") {
      stopped.resolve();
      if (running) {
        running = false;
        try {
          bot.stop(reason);
        } catch {
          // not running (e.g. launch failed): nothing to stop
        }
      }
      // Let queued work finish, but do not hang shutdown on a stuck request.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        queue.idle(),
        new Promise<void>((r) => (timer = setTimeout(r, options.stopGraceMs ?? 15_000))),
      ]);
      clearTimeout(timer);
      await core.close();
      if (tmp) await rm(await tmp, { recursive: true, force: true });
    },
    idle: () => queue.idle(),
    accepts: (chatId) => /^telegram:-?\d+$/.test(chatId),
    async deliver(chatId, message, buttons) {
      const m = /^telegram:(-?\d+)$/.exec(chatId);
      if (!m) throw new Error(`not a Telegram chat id: ${chatId}`);
      await send(
        bot.telegram,
        Number(m[1]),
        {
          ...textReply(message),
          ...(buttons?.length ? { actions: buttons.map((b) => ({ id: b.id, label: b.label })) } : {}),
        },
        "user",
      );
    },
  };
}

export type { Update };
