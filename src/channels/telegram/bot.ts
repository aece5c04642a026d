/**
 * The Telegram bot (telegraf). Thin adapter over the shared chat core:
 * - access control (allow-lists, admins), group addressing, per-user rate limit;
 * - slow work is queued per chat and *not awaited* by the middleware, because telegraf's
 *   polling loop waits for a whole batch of updates before fetching the next one;
 * - replies are rendered as escaped HTML and split under 4096 characters;
 * - every failure, in middleware (bot.catch) or in queued work, becomes an apology and a log line.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { Telegraf, TelegramError, type Context, type Telegram } from "telegraf";
import type { Message, Update, User } from "telegraf/types";
import type { Assistant } from "../../assistant/assistant.js";
import type { AppConfig } from "../../config/config.js";
import {
  apologyFor,
  createChatCore,
  isSupportedFile,
  SUPPORTED_EXTENSIONS,
  type Attachment,
  type Caller,
  type ChatCore,
  type ChatRequest,
  visibleCommands,
} from "../chat-core/chat-core.js";
import { textReply, type Reply } from "../chat-core/reply.js";
import { roleOf, RateLimiter } from "./access.js";
import { readIncoming } from "./addressing.js";
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
}

export interface TelegramBot {
  bot: Telegraf;
  core: ChatCore;
  /**
   * Launch (long polling, or a webhook when settings.webhookUrl is set). Resolves once the bot
   * is running; `done` settles when polling ends (rejects on a fatal error such as a bad token).
   */
  start(launch?: (bot: Telegraf, options: ReturnType<typeof launchOptions>) => Promise<void>): Promise<{ done: Promise<void> }>;
  /** Stop receiving updates, finish queued work, remove temporary files. */
  stop(reason?: string): Promise<void>;
  /** Resolves when no chat has queued work. */
  idle(): Promise<void>;
}

export type LogLevel = "info" | "warn" | "error";

export const REFUSAL =
  "抱歉，您没有使用本助手的权限。如需开通，请发送 /whoami 查看您的用户 ID，并把它发给管理员。";

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
  });
  const queue = new ChatQueue();
  const limiter = new RateLimiter(settings.rateLimitPerMinute, options.now);
  const refused = new Set<string>();
  const limitedNotified = new Set<string>();
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
        await telegram.sendMessage(chatId, part, { parse_mode: "HTML", ...extra });
      } catch (err) {
        // Should the HTML ever be refused, the words still get through as plain text.
        if (!(err instanceof TelegramError && err.code === 400 && /parse entities/i.test(err.description))) throw err;
        logError(`Telegram refused the HTML of a reply (${err.description}); sent as plain text`);
        await telegram.sendMessage(chatId, htmlToText(part), extra);
      }
    }
    for (const f of reply.files ?? []) {
      await telegram.sendDocument(chatId, { source: f.content, filename: f.filename }, f.caption ? { caption: f.caption } : {});
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

  const callerOf = (from: User, chatId: number): Caller => ({
    chatId: String(chatId),
    userId: String(from.id),
    role: roleOf(settings, { userId: from.id, username: from.username, chatId }),
    name: from.username ? `@${from.username}` : [from.first_name, from.last_name].filter(Boolean).join(" "),
  });

  /** Returns false (after telling the user once) when the user is over the rate limit. */
  const withinRate = async (ctx: Context, userId: string): Promise<boolean> => {
    if (limiter.take(userId)) {
      limitedNotified.delete(userId);
      return true;
    }
    if (!limitedNotified.has(userId)) {
      limitedNotified.add(userId);
      await ctx.reply(`请求太频繁了，请 ${limiter.retryAfter(userId)} 秒后再试。`);
    }
    return false;
  };

  const documentOf = (m: Message | undefined): Message.DocumentMessage["document"] | undefined =>
    m && "document" in m ? m.document : undefined;

  const fetchAttachment = async (telegram: Telegram, doc: Message.DocumentMessage["document"]): Promise<Attachment> => {
    const fromMime = doc.mime_type ? MIME_EXTENSIONS[doc.mime_type] : undefined;
    const filename = doc.file_name ?? `document${fromMime ?? ".txt"}`;
    const ext = extname(filename).toLowerCase() || fromMime || ".txt";
    const dir = await tmpDir();
    const path = join(dir, `${doc.file_unique_id.replace(/[^A-Za-z0-9_-]/g, "_")}-${Date.now().toString(36)}${ext}`);
    await downloadTelegramFile(telegram, doc.file_id, path, { maxBytes: maxFileBytes, fetch: options.fetch });
    return { path, filename: extname(filename) ? filename : `${filename}${ext}`, dispose: () => rm(path, { force: true }) };
  };

  bot.on("message", async (ctx) => {
    const msg = ctx.message;
    const chat = ctx.chat;
    const from = ctx.from;
    if (!from || from.is_bot) return;
    const isGroup = chat.type === "group" || chat.type === "supergroup";
    const text = "text" in msg ? msg.text : "caption" in msg ? (msg.caption ?? "") : "";
    const replied = "reply_to_message" in msg ? msg.reply_to_message : undefined;
    const repliesToBot = replied?.from?.id === ctx.botInfo.id;
    let doc = documentOf(msg);
    const incoming = readIncoming(text, { botUsername: ctx.botInfo.username, isGroup, repliesToBot });
    if (!incoming) return; // a group message not addressed to the bot, or /cmd@otherbot
    if (isGroup && !text && doc) return; // an uncaptioned file in a group is not for us
    const caller = callerOf(from, chat.id);
    const replyTo = isGroup ? msg.message_id : undefined;

    if (caller.role === "stranger") {
      if (incoming.command === "whoami") {
        if (await withinRate(ctx, caller.userId)) await send(ctx.telegram, chat.id, await core.handle({ command: "whoami", args: "" }, caller), "stranger", replyTo);
        return;
      }
      if (!refused.has(caller.userId)) {
        if (refused.size >= 10_000) refused.clear(); // bounded memory; worst case a stranger hears it twice
        refused.add(caller.userId);
        log(`refused user ${caller.userId} in chat ${chat.id} (not allow-listed)`);
        await ctx.reply(REFUSAL);
      }
      return;
    }
    if (!(await withinRate(ctx, caller.userId))) return;

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
        quick(`文件太大（${(doc.file_size / 1024 / 1024).toFixed(1)} MB），最多 ${(maxFileBytes / 1024 / 1024).toFixed(0)} MB。请压缩或拆分后再发送。`);
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
    const caller = callerOf(q.from, chatId);
    if (caller.role !== "admin") {
      await ctx.answerCbQuery("抱歉，只有管理员可以执行此操作。", { show_alert: true });
      return;
    }
    if (!(await withinRate(ctx, caller.userId))) {
      await ctx.answerCbQuery();
      return;
    }
    await ctx.answerCbQuery("处理中…");
    // Remove the button so the action is not run twice.
    await ctx.editMessageReplyMarkup(undefined).catch((e: unknown) => logError(`could not remove the button: ${describeError(e)}`));
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
      else if (opts.webhook) await bot.launch(opts);
      else {
        await new Promise<void>((resolve, reject) => {
          // telegraf's launch() settles only when polling stops; onLaunch fires once getMe succeeded.
          bot.launch(opts, () => resolve()).then(
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
        .setMyCommands(visibleCommands(core.commands, false).map(({ command, description }) => ({ command, description })))
        .catch((e: unknown) => logError(`setMyCommands failed: ${describeError(e)}`));
      log(opts.webhook ? `webhook on port ${opts.webhook.port} (${opts.webhook.domain})` : `@${bot.botInfo?.username} is polling for updates`);
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
      await Promise.race([queue.idle(), new Promise<void>((r) => (timer = setTimeout(r, options.stopGraceMs ?? 15_000)))]);
      clearTimeout(timer);
      await core.close();
      if (tmp) await rm(await tmp, { recursive: true, force: true });
    },
    idle: () => queue.idle(),
  };
}

export type { Update };
