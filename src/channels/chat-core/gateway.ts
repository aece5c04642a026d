/**
 * What every chat platform adapter does the same way between "a message arrived" and "a reply
 * is handed to the platform": who the sender is (allow list, admins), the group rule (answer
 * only when addressed), one polite refusal for strangers, a per-user rate limit, one queue per
 * chat (replies keep their order, the receive loop never waits), the file check and download to
 * a temporary file, progress, and an apology when anything fails. The adapters (DingTalk,
 * Feishu, WeCom) only translate their platform's events into an InboundMessage and provide an
 * Outbound that renders, splits and sends (with retries) in the platform's own format.
 */
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import type { ChannelSettings, PlatformSettings } from "../../config/config.js";
import { roleOf, RateLimiter, type AccessLists } from "./access.js";
import {
  apologyFor,
  isSupportedFile,
  SUPPORTED_EXTENSIONS,
  type Caller,
  type ChatCore,
  type ChatRequest,
} from "./chat-core.js";
import { FileTooLargeError } from "./http.js";
import { textReply, type Reply } from "./reply.js";
import type { Notifier } from "./notifier.js";
import type { RetryOptions } from "./retry.js";

export interface InboundFile {
  /** The name, when the message tells it (WeCom's only comes with the download). */
  filename?: string;
  /** Size the platform announced, if any (checked before downloading). */
  size?: number;
  /**
   * Write the file's bytes to `dest` (the platform's own download: downloadCode, message
   * resource, encrypted URL); returns the file name when only the download tells it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: the platforms' download functions return nothing when the message already named the file
  download(dest: string): Promise<{ filename?: string } | void>;
}

export interface InboundMessage {
  /** Namespaced chat id ("dingtalk:…", "feishu:…", "wecom:…"): also where reminders are delivered. */
  chatId: string;
  /** The platform's user id, as admins write it in …_ALLOWED_USERS / …_ADMINS. */
  userId: string;
  /** Other ids of the same user an admin may have listed instead. */
  altUserIds?: string[];
  name?: string;
  isGroup: boolean;
  /** In a group: the bot was @mentioned (or replied to). Always true in a one-to-one chat. */
  addressed: boolean;
  /** The text with the bot's @mention removed. */
  text: string;
  quoted?: string;
  file?: InboundFile;
  /** A kind of message the assistant cannot read (picture, voice, sticker). */
  nonText?: boolean;
}

export const NON_TEXT_HINT = "我能读文字消息，以及以文件形式发送的 PDF、Word(docx)、TXT、Markdown 和 HTML。";

/** How an adapter answers one inbound message. */
export interface Outbound {
  /** Render, split under the platform's limit and send, retrying passing failures. */
  send(reply: Reply, role: Caller["role"]): Promise<void>;
  /** Show that work is under way (typing, a reaction, a streaming message); returns a stop function. */
  progress?(): Promise<() => Promise<void>>;
}

export interface GatewayOptions {
  /** "dingtalk", "feishu", "wecom": used in log lines. */
  channel: string;
  core: ChatCore;
  access: AccessLists;
  rateLimitPerMinute: number;
  /** The setting that allow-lists users, named in the refusal's hint. */
  allowListSetting: string;
  log?: (line: string, level?: "info" | "warn" | "error") => void;
  now?: () => number;
  maxFileBytes?: number;
}

export const STRANGER_REFUSAL =
  "抱歉，您没有使用本助手的权限。如需开通，请发送 /whoami 查看您的用户 ID，并把它发给管理员。";

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ChatGateway {
  /** Take a message; the work is queued and this returns at once (platforms want a fast ack). */
  receive(msg: InboundMessage, out: Outbound): void;
  /** Resolves when no chat has queued work. */
  idle(): Promise<void>;
  /** Wait (at most graceMs) for queued work, then remove temporary files. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The gateway of a platform bot (DingTalk, Feishu, WeCom) from its settings: its allow lists and
 * rate limit, with `<CHANNEL>_ALLOWED_USERS` named in the refusal's hint.
 */
export function createPlatformGateway(
  channel: string,
  settings: PlatformSettings,
  options: Pick<GatewayOptions, "core" | "log" | "now" | "maxFileBytes">,
): ChatGateway {
  return createChatGateway({
    channel,
    core: options.core,
    access: { allowedUsers: settings.allowedUsers, allowedChats: [], admins: settings.admins },
    rateLimitPerMinute: settings.rateLimitPerMinute,
    allowListSetting: `${channel.toUpperCase()}_ALLOWED_USERS`,
    log: options.log,
    now: options.now,
    maxFileBytes: options.maxFileBytes,
  });
}

/** A platform adapter's stop(): let queued replies finish (bounded), then `disconnect` (no retries after that). */
export function stopAfterQueue(gateway: ChatGateway, disconnect: () => void): () => Promise<void> {
  return async () => {
    await gateway.close();
    disconnect();
  };
}

/** The start-up warning of a platform bot that nobody may use yet. */
export function warnIfNobodyAllowed(
  channel: string,
  settings: PlatformSettings,
  log: (line: string, level?: "info" | "warn" | "error") => void,
): void {
  const name = channel.toUpperCase();
  if (!settings.allowedUsers.length && !settings.admins.length)
    log(
      `[${channel}] no user is allowed yet: set ${name}_ALLOWED_USERS / ${name}_ADMINS (users find their id with /whoami)`,
      "warn",
    );
}

/** `/cmd args` → command and arguments; anything else is a question. */
export function parseCommand(text: string): ChatRequest {
  const t = text.trim();
  const m = /^[/／]([A-Za-z_]{1,32})(?=\s|$)\s*([\s\S]*)$/.exec(t);
  if (!m) return { command: null, args: t };
  return { command: m[1]!.toLowerCase(), args: m[2]!.trim() };
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export function createChatGateway(options: GatewayOptions): ChatGateway {
  const { core, channel } = options;
  const log = options.log ?? (() => {});
  const limiter = new RateLimiter(options.rateLimitPerMinute, options.now);
  const maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const tails = new Map<string, Promise<void>>();
  const refused = new Set<string>();
  const limitedNotified = new Set<string>();
  let tmp: Promise<string> | undefined;
  const tmpDir = () => (tmp ??= mkdtemp(join(tmpdir(), `postal-${channel}-`)));

  const enqueue = (chatId: string, task: () => Promise<void>) => {
    const prev = tails.get(chatId) ?? Promise.resolve();
    const next = prev
      .then(task)
      .catch((err: unknown) => log(`[${channel}] unexpected failure in chat ${chatId}: ${describe(err)}`, "error"));
    tails.set(chatId, next);
    void next.then(() => {
      if (tails.get(chatId) === next) tails.delete(chatId);
    });
  };

  const sendQuietly = async (out: Outbound, reply: Reply, role: Caller["role"], chatId: string) => {
    try {
      await out.send(reply, role);
    } catch (err) {
      log(`[${channel}] could not send to chat ${chatId}: ${describe(err)}`, "error");
    }
  };

  const unsupported = (filename: string) => {
    const hint = /\.(doc|wps)$/i.test(filename) ? "旧版 .doc 请另存为 .docx 后再发送。" : "";
    return textReply(
      `暂不支持这种文件（${extname(filename) || "无扩展名"}）。支持：${SUPPORTED_EXTENSIONS.join("、")}。${hint}`,
    );
  };

  /** Download to a temporary file; null (after telling the user) when the name shows an unsupported type. */
  const fetchFile = async (file: InboundFile) => {
    const dir = await tmpDir();
    const stem = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const tmpPath = join(dir, `${stem}.download`);
    const got = await file.download(tmpPath);
    const filename = file.filename ?? got?.filename ?? "document.txt";
    if (!isSupportedFile(filename)) {
      await rm(tmpPath, { force: true });
      return { unsupported: unsupported(filename) };
    }
    // The loaders choose by extension: give the temporary file the document's.
    const path = join(dir, `${stem}${extname(filename).toLowerCase()}`);
    await rename(tmpPath, path);
    return { attachment: { path, filename, dispose: () => rm(path, { force: true }) } };
  };

  const receive = (msg: InboundMessage, out: Outbound) => {
    if (msg.isGroup && !msg.addressed) return;
    const caller: Caller = {
      chatId: msg.chatId,
      userId: msg.userId,
      role: roleOf(options.access, {
        userId: msg.userId,
        chatId: msg.chatId,
        ...(msg.altUserIds ? { altIds: msg.altUserIds } : {}),
      }),
      ...(msg.name ? { name: msg.name } : {}),
    };
    const req = parseCommand(msg.text);
    if (msg.quoted) req.quoted = msg.quoted;

    if (caller.role === "stranger") {
      if (req.command === "whoami" && limiter.take(caller.userId)) {
        enqueue(msg.chatId, async () =>
          sendQuietly(out, await core.handle({ command: "whoami", args: "" }, caller), "stranger", msg.chatId),
        );
        return;
      }
      if (refused.has(caller.userId)) return;
      if (refused.size >= 10_000) refused.clear(); // bounded; at worst a stranger hears it twice
      refused.add(caller.userId);
      log(`[${channel}] refused user ${caller.userId} in chat ${msg.chatId} (not in ${options.allowListSetting})`);
      enqueue(msg.chatId, () => sendQuietly(out, textReply(STRANGER_REFUSAL), "stranger", msg.chatId));
      return;
    }

    if (!limiter.take(caller.userId)) {
      if (!limitedNotified.has(caller.userId)) {
        limitedNotified.add(caller.userId);
        const wait = limiter.retryAfter(caller.userId);
        enqueue(msg.chatId, () =>
          sendQuietly(out, textReply(`请求太频繁了，请 ${wait} 秒后再试。`), caller.role, msg.chatId),
        );
      }
      return;
    }
    limitedNotified.delete(caller.userId);

    const file = msg.file;
    if (file) {
      if (file.filename !== undefined && !isSupportedFile(file.filename)) {
        const reply = unsupported(file.filename);
        enqueue(msg.chatId, () => sendQuietly(out, reply, caller.role, msg.chatId));
        return;
      }
      if (file.size !== undefined && file.size > maxFileBytes) {
        const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
        const text = `文件太大（${mb(file.size)} MB），最多 ${mb(maxFileBytes)} MB。请压缩或拆分后再发送。`;
        enqueue(msg.chatId, () => sendQuietly(out, textReply(text), caller.role, msg.chatId));
        return;
      }
    } else if (msg.nonText && !req.args) {
      if (!msg.isGroup) enqueue(msg.chatId, () => sendQuietly(out, textReply(NON_TEXT_HINT), caller.role, msg.chatId));
      return;
    } else if (!req.args && req.command === null) {
      return; // an empty message (e.g. only the @mention)
    }

    enqueue(msg.chatId, async () => {
      let stop: (() => Promise<void>) | undefined;
      try {
        stop = out.progress ? await out.progress().catch(() => undefined) : undefined;
        let reply: Reply;
        if (req.command === "add") reply = await core.action(`add:${req.args}`, caller);
        else {
          const fetched = file ? await fetchFile(file) : undefined;
          if (fetched?.unsupported) reply = fetched.unsupported;
          else {
            if (fetched?.attachment) req.attachment = fetched.attachment;
            reply = await core.handle(req, caller);
          }
        }
        await stop?.().catch(() => {});
        stop = undefined;
        await out.send(reply, caller.role);
      } catch (err) {
        await stop?.().catch(() => {});
        log(
          `[${channel}] ${req.command ? `/${req.command}` : file ? "document" : "question"} in chat ${msg.chatId} failed: ${describe(err)}`,
          "error",
        );
        await sendQuietly(
          out,
          err instanceof FileTooLargeError ? textReply(err.message) : apologyFor(err),
          caller.role,
          msg.chatId,
        );
      }
    });
  };

  const idle = async () => {
    while (tails.size > 0) await Promise.all([...tails.values()]);
  };

  return {
    receive,
    idle,
    async close(graceMs = 15_000) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([idle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      await core.close();
      if (tmp) await rm(await tmp, { recursive: true, force: true });
    },
  };
}

/** What every messaging-platform adapter (DingTalk, Feishu, WeCom) is given: its settings and the shared chat core. */
/** What a platform adapter is made from: the bot's settings (its variables, read by src/config/config.ts) and the chat core. */
export interface PlatformChannelOptions<P extends keyof ChannelSettings> {
  settings: NonNullable<ChannelSettings[P]>;
  core: ChatCore;
  log?: (line: string, level?: "info" | "warn" | "error") => void;
  now?: () => number;
  retry?: RetryOptions;
  maxFileBytes?: number;
  /** How long start() waits for the first connection (default 30 s). */
  connectTimeoutMs?: number;
}

/** A running messaging-platform adapter: started and stopped by channels.ts, reminders through deliver(). */
export interface PlatformChannel extends Notifier {
  start(): Promise<void>;
  stop(): Promise<void>;
  gateway: ChatGateway;
}
