/**
 * The Feishu (飞书) adapter: the long connection of the official SDK `@larksuiteoapi/node-sdk`
 * (WSClient: an outbound WebSocket, no public URL needed), over the shared chat gateway and core.
 *
 * - Receives im.message.receive_v1. The SDK acknowledges an event when its handler returns, and
 *   Feishu wants that within 3 s, so the handler only queues the work and returns; the answer
 *   follows as a reply.
 * - Replies are interactive cards with one lark_md element, split under the card size limit;
 *   the .ics calendar is uploaded (im/v1/files) and sent as a file message.
 * - Progress: an "OnIt" reaction on the user's message while the work lasts.
 * - Documents: the message resource API (im/v1/messages/:id/resources/:file_key?type=file).
 * - Users are identified by open_id (ou_…); an admin may list a user_id instead.
 * - In groups the bot answers only when @mentioned (its open_id from /open-apis/bot/v3/info).
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import * as lark from "@larksuiteoapi/node-sdk";
import { createPlatformGateway, stopAfterQueue, warnIfNobodyAllowed } from "../chat-core/gateway.js";
import type { InboundMessage, Outbound, PlatformChannel, PlatformChannelOptions } from "../chat-core/gateway.js";
import { capBytes } from "../chat-core/http.js";
import { firstLine, renderMarkdown, splitText } from "../chat-core/markdown.js";
import { textReply, type Reply, type ReplyFile } from "../chat-core/reply.js";
import { classifyAxiosError, withRetry, type RetryDecision, type RetryOptions } from "../chat-core/retry.js";

export const DEFAULT_FEISHU_BASE_URL = "https://open.feishu.cn";

/**
 * A card's request body may be up to 30 KB; the Markdown of one card is kept to 20,000 UTF-8
 * bytes, leaving room for the card's JSON and its escaping.
 */
export const FEISHU_CARD_MARKDOWN_BYTES = 20_000;

/** Feishu's error codes for "too many requests" (passing). */
const RATE_LIMIT_CODES = new Set([99991400, 11232, 230020]);

export class FeishuApiError extends Error {
  override name = "FeishuApiError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Feishu error ${code}: ${message}`);
  }
}

function classifyFeishuError(err: unknown): RetryDecision {
  if (err instanceof FeishuApiError) return { retry: RATE_LIMIT_CODES.has(err.code) };
  const body = (err as { response?: { data?: { code?: number } } }).response?.data;
  if (body?.code !== undefined && RATE_LIMIT_CODES.has(body.code)) return { retry: true };
  return classifyAxiosError(err);
}

const check = <T extends { code?: number; msg?: string }>(res: T): T => {
  if (res && res.code !== undefined && res.code !== 0) throw new FeishuApiError(res.code, res.msg ?? "");
  return res;
};

/** A card with one Markdown element. */
export function feishuCard(markdown: string, title?: string): string {
  return JSON.stringify({
    config: { wide_screen_mode: true },
    ...(title ? { header: { title: { tag: "plain_text", content: title } } } : {}),
    elements: [{ tag: "markdown", content: markdown }],
  });
}

interface ReceiveEvent {
  sender?: { sender_id?: { open_id?: string; user_id?: string; union_id?: string }; sender_type?: string };
  message?: {
    message_id: string;
    chat_id: string;
    chat_type: string;
    message_type: string;
    content: string;
    mentions?: { key: string; id?: { open_id?: string }; name?: string }[];
    parent_id?: string;
  };
}

export function createFeishuChannel(options: PlatformChannelOptions<"feishu">): PlatformChannel {
  const { settings, core } = options;
  const domain = (settings.baseUrl ?? DEFAULT_FEISHU_BASE_URL).replace(/\/+$/, "");
  const log = options.log ?? (() => {});
  const maxFileBytes = options.maxFileBytes ?? 20 * 1024 * 1024;
  let stopped = false;
  const retry: RetryOptions = {
    classify: (err) => (stopped ? { retry: false } : classifyFeishuError(err)),
    onRetry: (err, attempt, wait) =>
      log(`[feishu] send failed (${describe(err)}); try ${attempt + 1} in ${wait} ms`, "warn"),
    ...options.retry,
  };
  const sdkLogger = {
    error: (...m: unknown[]) => log(`[feishu] ${m.map(String).join(" ")}`, "error"),
    warn: (...m: unknown[]) => log(`[feishu] ${m.map(String).join(" ")}`, "warn"),
    info: () => {},
    debug: () => {},
    trace: () => {},
  };
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain,
    logger: sdkLogger,
    loggerLevel: lark.LoggerLevel.warn,
  });
  const gateway = createPlatformGateway("feishu", settings, {
    core,
    log,
    now: options.now,
    maxFileBytes: maxFileBytes,
  });
  let botOpenId: string | undefined;
  let ws: lark.WSClient | undefined;

  /** One message (a card, a file) in reply to the user's message when there is one, else to the chat. */
  const send = (msgType: "interactive" | "file", content: string, target: { replyTo?: string; chatId: string }) =>
    withRetry(async () => {
      if (target.replyTo)
        check(
          await client.im.v1.message.reply({
            path: { message_id: target.replyTo },
            data: { msg_type: msgType, content },
          }),
        );
      else
        check(
          await client.im.v1.message.create({
            params: { receive_id_type: "chat_id" },
            data: { receive_id: target.chatId, msg_type: msgType, content },
          }),
        );
    }, retry);

  const sendCard = async (markdown: string, title: string, target: { replyTo?: string; chatId: string }) =>
    send("interactive", feishuCard(markdown, title), target);

  const sendFile = async (f: ReplyFile, target: { replyTo?: string; chatId: string }) => {
    const up = await withRetry(
      async () => client.im.v1.file.create({ data: { file_type: "stream", file_name: f.filename, file: f.content } }),
      retry,
    );
    const key = up?.file_key;
    if (!key) throw new Error("Feishu returned no file_key for the calendar file");
    await send("file", JSON.stringify({ file_key: key }), target);
  };

  const sendReply = async (
    reply: Reply,
    role: "admin" | "user" | "stranger",
    target: { replyTo?: string; chatId: string },
  ) => {
    const title = firstLine(reply);
    const parts = splitText(renderMarkdown(reply, { role }), { maxBytes: FEISHU_CARD_MARKDOWN_BYTES });
    for (const [i, part] of parts.entries())
      await sendCard(part, parts.length > 1 ? `${title}（${i + 1}/${parts.length}）` : title, target);
    for (const f of reply.files ?? []) {
      await sendFile(f, target).catch((err: unknown) =>
        log(`[feishu] could not send ${f.filename}: ${describe(err)}`, "error"),
      );
    }
  };

  const outboundFor = (messageId: string, chatId: string): Outbound => ({
    send: (reply, role) => sendReply(reply, role, { replyTo: messageId, chatId }),
    async progress() {
      const res = await client.im.v1.messageReaction.create({
        path: { message_id: messageId },
        data: { reaction_type: { emoji_type: "OnIt" } },
      });
      const reactionId = check(res)?.data?.reaction_id;
      return async () => {
        if (reactionId)
          await client.im.v1.messageReaction
            .delete({ path: { message_id: messageId, reaction_id: reactionId } })
            .catch(() => {});
      };
    },
  });

  const onMessage = (event: ReceiveEvent) => {
    const m = event.message;
    if (!m || event.sender?.sender_type === "app") return;
    const ids = event.sender?.sender_id ?? {};
    const userId = ids.open_id ?? ids.user_id ?? "";
    const isGroup = m.chat_type !== "p2p";
    const mentions = m.mentions ?? [];
    const addressed = !isGroup || (botOpenId ? mentions.some((x) => x.id?.open_id === botOpenId) : mentions.length > 0);
    let content: Record<string, unknown> = {};
    try {
      content = JSON.parse(m.content) as Record<string, unknown>;
    } catch {
      // leave empty
    }
    let text = typeof content.text === "string" ? content.text : "";
    for (const x of mentions) text = text.split(x.key).join(" ");
    const chatId = `feishu:${m.chat_id}`;
    const msg: InboundMessage = {
      chatId,
      userId,
      altUserIds: [ids.user_id, ids.union_id].filter((x): x is string => !!x && x !== userId),
      isGroup,
      addressed,
      text: text.replace(/[ \t]+/g, " ").trim(),
    };
    if (m.message_type === "file" && typeof content.file_key === "string") {
      const fileKey = content.file_key;
      msg.file = {
        filename: typeof content.file_name === "string" ? content.file_name : "document.txt",
        download: async (dest) => {
          const res = await client.im.v1.messageResource.get({
            path: { message_id: m.message_id, file_key: fileKey },
            params: { type: "file" },
          });
          await pipeline(res.getReadableStream() as Readable, capBytes(maxFileBytes), createWriteStream(dest));
        },
      };
    } else if (m.message_type !== "text") msg.nonText = true;
    gateway.receive(msg, outboundFor(m.message_id, m.chat_id));
  };

  const dispatcher = new lark.EventDispatcher({ logger: sdkLogger, loggerLevel: lark.LoggerLevel.warn }).register({
    "im.message.receive_v1": async (data: ReceiveEvent) => {
      // Return at once: the SDK acknowledges the event when this returns (Feishu wants it within 3 s).
      try {
        onMessage(data);
      } catch (err) {
        log(`[feishu] could not read an event: ${describe(err)}`, "error");
      }
    },
  });

  return {
    gateway,
    async start() {
      if (!/^cli_[0-9a-fA-F]{16}$/.test(settings.appId))
        throw new Error(`FEISHU_APP_ID "${settings.appId}" is not an app id (cli_ and 16 hex digits)`);
      const info = (await client.request({ method: "GET", url: "/open-apis/bot/v3/info" }).catch((err: unknown) => {
        throw new Error(
          `Feishu rejected the app credentials or is unreachable (${describe(err)}): check FEISHU_APP_ID / FEISHU_APP_SECRET${settings.baseUrl ? " / FEISHU_BASE_URL" : ""}`,
        );
      })) as { code?: number; msg?: string; bot?: { open_id?: string; app_name?: string } };
      check(info);
      botOpenId = info.bot?.open_id;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("Feishu long connection did not open within the time allowed")),
          options.connectTimeoutMs ?? 30_000,
        );
        ws = new lark.WSClient({
          appId: settings.appId,
          appSecret: settings.appSecret,
          domain,
          logger: sdkLogger,
          loggerLevel: lark.LoggerLevel.warn,
          onReady: () => {
            clearTimeout(timer);
            resolve();
          },
          onError: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        });
        void ws.start({ eventDispatcher: dispatcher });
      });
      log(`[feishu] connected (long connection, bot ${info.bot?.app_name ?? settings.appId})`);
      warnIfNobodyAllowed("feishu", settings, log);
    },
    stop: stopAfterQueue(gateway, () => {
      stopped = true;
      ws?.close({ force: true });
    }),
    async deliver(chatId, message) {
      const m = /^feishu:(.+)$/.exec(chatId);
      if (!m) throw new Error(`not a Feishu chat id: ${chatId}`);
      await sendReply(textReply(message), "user", { chatId: m[1]! });
    },
  };
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
