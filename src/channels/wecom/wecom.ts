/**
 * The WeCom (企业微信) 智能机器人 adapter: the long connection of the official SDK
 * `@wecom/aibot-node-sdk` (an outbound WebSocket; no public URL needed), over the shared chat
 * gateway and core.
 *
 * - Receives aibot_msg_callback frames (text, file, mixed, voice as text).
 * - Replies as streaming Markdown messages: a "正在查找…" stream opens at once (progress) and
 *   the answer finishes it; a longer answer continues in further messages, each under the
 *   stream limit of 20,480 UTF-8 bytes (the SDK's documented limit).
 * - Documents: the message's encrypted URL, decrypted with its own aeskey by the SDK's
 *   downloadFile (AES-256-CBC); the name comes from the download's Content-Disposition. The .ics
 *   calendar goes back as temporary media (upload over the connection) in a file message.
 * - Reminders (deliver): aibot_send_msg to the chat (a group's chatid, or a user's userid).
 * - Users are identified by their WeCom userid.
 */
import { writeFile } from "node:fs/promises";
import AiBot, { generateReqId, type WsFrame } from "@wecom/aibot-node-sdk";
import { createPlatformGateway, stopAfterQueue, warnIfNobodyAllowed } from "../chat-core/gateway.js";
import type { InboundMessage, Outbound, PlatformChannel, PlatformChannelOptions } from "../chat-core/gateway.js";
import { tooLarge } from "../chat-core/http.js";
import { renderMarkdown, splitText } from "../chat-core/markdown.js";
import { textReply, type Reply } from "../chat-core/reply.js";
import { withRetry, type RetryOptions } from "../chat-core/retry.js";

/** The stream content limit the SDK documents (20,480 bytes), less a margin. */
export const WECOM_STREAM_BYTES = 20_000;

/** The SDK's frame body for messages (fields read here). */
interface CallbackBody {
  msgid: string;
  chatid?: string;
  chattype: "single" | "group";
  from: { userid: string };
  msgtype: string;
  text?: { content: string };
  voice?: { content: string };
  file?: { url: string; aeskey?: string };
  mixed?: { msg_item: { msgtype: string; text?: { content: string } }[] };
  quote?: { msgtype: string; text?: { content: string } };
}

const errcodeOf = (err: unknown) =>
  typeof err === "object" && err && "errcode" in err ? Number((err as { errcode: unknown }).errcode) : undefined;

/**
 * Reply failures that another try on the same callback cannot fix: the req_id is no longer valid
 * (846605), the stream can no longer be updated (846608), or the SDK gave up waiting for the ack
 * (its slot for the req_id is released). The answer then goes out as a new message instead.
 */
function isTerminalReplyError(err: unknown): boolean {
  const code = errcodeOf(err);
  return code === 846605 || code === 846608 || (err instanceof Error && /ack timeout/i.test(err.message));
}

const describe = (err: unknown) =>
  err instanceof Error
    ? err.message
    : typeof err === "object" && err && "errcode" in err
      ? `errcode ${(err as { errcode: unknown }).errcode} ${(err as { errmsg?: unknown }).errmsg ?? ""}`
      : String(err);

export function createWeComChannel(options: PlatformChannelOptions<"wecom">): PlatformChannel {
  const { settings, core } = options;
  const log = options.log ?? (() => {});
  const maxFileBytes = options.maxFileBytes ?? 20 * 1024 * 1024;
  let stopped = false;
  const retry: RetryOptions = {
    classify: (err) => ({ retry: !stopped && !isTerminalReplyError(err) }),
    onRetry: (err, attempt, wait) =>
      log(`[wecom] send failed (${describe(err)}); try ${attempt + 1} in ${wait} ms`, "warn"),
    ...options.retry,
  };
  const logger = {
    debug: () => {},
    info: () => {},
    warn: (...m: unknown[]) => log(`[wecom] ${m.map(String).join(" ")}`, "warn"),
    error: (...m: unknown[]) => log(`[wecom] ${m.map(String).join(" ")}`, "error"),
  };
  const client = new AiBot.WSClient({
    botId: settings.botId,
    secret: settings.secret,
    ...(settings.baseUrl ? { wsUrl: settings.baseUrl } : {}),
    logger,
  });
  const gateway = createPlatformGateway("wecom", settings, { core, log, now: options.now, maxFileBytes: maxFileBytes });

  /** One Markdown message to a chat, without a callback to reply to (reminders, and replies whose req_id expired). */
  const push = (chat: string, content: string) =>
    withRetry(() => client.sendMessage(chat, { msgtype: "markdown", markdown: { content } }), retry);

  const outboundFor = (frame: WsFrame, chat: string): Outbound => {
    let openStream: string | undefined;
    return {
      async progress() {
        const id = generateReqId("stream");
        await client.replyStream(frame, id, "正在查找，请稍候…", false);
        openStream = id;
        return async () => {};
      },
      async send(reply, role) {
        const parts = splitText(renderMarkdown(reply, { role }), { maxBytes: WECOM_STREAM_BYTES });
        for (const part of parts) {
          const id = openStream ?? generateReqId("stream");
          openStream = undefined;
          try {
            await withRetry(() => client.replyStream(frame, id, part, true), retry);
          } catch (err) {
            if (!isTerminalReplyError(err) || stopped) throw err;
            log(
              `[wecom] the reply could not be sent on its callback (${describe(err)}); sending it as a new message`,
              "warn",
            );
            await push(chat, part);
          }
        }
        // The .ics calendar: uploaded as temporary media over the same connection, then sent as a file message.
        for (const f of reply.files ?? []) {
          try {
            const { media_id } = await withRetry(
              () => client.uploadMedia(f.content, { type: "file", filename: f.filename }),
              retry,
            );
            await withRetry(() => client.replyMedia(frame, "file", media_id), retry).catch(async (err: unknown) => {
              if (!isTerminalReplyError(err) || stopped) throw err;
              await withRetry(() => client.sendMediaMessage(chat, "file", media_id), retry);
            });
          } catch (err) {
            log(`[wecom] could not send ${f.filename}: ${describe(err)} (the deadlines are in the message)`, "error");
          }
        }
      },
    };
  };

  const onMessage = (frame: WsFrame) => {
    const b = frame.body as CallbackBody | undefined;
    if (!b?.from?.userid) return;
    const isGroup = b.chattype === "group";
    const chatId = `wecom:${isGroup ? (b.chatid ?? "") : b.from.userid}`;
    let text = b.text?.content ?? b.voice?.content ?? "";
    if (b.msgtype === "mixed") text = (b.mixed?.msg_item ?? []).map((i) => i.text?.content ?? "").join("\n");
    // In a group the message starts with the bot's @name: drop a leading mention.
    if (isGroup) text = text.replace(/^\s*@\S+\s*/, "");
    const msg: InboundMessage = {
      chatId,
      userId: b.from.userid,
      isGroup,
      // WeCom delivers a group message to a smart bot only when it is @mentioned.
      addressed: true,
      text: text.trim(),
      ...(b.quote?.text?.content ? { quoted: b.quote.text.content } : {}),
    };
    if (b.msgtype === "file" && b.file?.url) {
      const { url, aeskey } = b.file;
      msg.file = {
        download: async (dest) => {
          const { buffer, filename } = await client.downloadFile(url, aeskey);
          if (buffer.length > maxFileBytes) throw tooLarge(buffer.length, maxFileBytes);
          await writeFile(dest, buffer);
          return filename ? { filename } : {};
        },
      };
    } else if (!["text", "voice", "mixed"].includes(b.msgtype)) msg.nonText = true;
    gateway.receive(msg, outboundFor(frame, isGroup ? (b.chatid ?? "") : b.from.userid));
  };

  client.on("message", onMessage);

  return {
    gateway,
    async start() {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `WeCom long connection was not authenticated in time: check WECOM_BOT_ID / WECOM_SECRET${settings.baseUrl ? " / WECOM_BASE_URL" : ""}`,
            ),
          );
        }, options.connectTimeoutMs ?? 30_000);
        const onAuth = () => {
          cleanup();
          resolve();
        };
        const onError = (err: Error) => {
          if (!/Authentication failed/.test(err.message)) return; // connection errors: the SDK retries
          cleanup();
          reject(new Error(`WeCom rejected the bot credentials (${err.message}): check WECOM_BOT_ID / WECOM_SECRET`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          client.off("authenticated", onAuth);
          client.off("error", onError);
        };
        client.on("authenticated", onAuth);
        client.on("error", onError);
        client.connect();
      });
      log(`[wecom] connected (long connection, bot ${settings.botId})`);
      warnIfNobodyAllowed("wecom", settings, log);
    },
    stop: stopAfterQueue(gateway, () => {
      stopped = true;
      client.disconnect();
    }),
    async deliver(chatId, message) {
      const m = /^wecom:(.+)$/.exec(chatId);
      if (!m) throw new Error(`not a WeCom chat id: ${chatId}`);
      for (const part of splitText(renderMarkdown(textReply(message)), { maxBytes: WECOM_STREAM_BYTES }))
        await push(m[1]!, part);
    },
  };
}

export type { Reply };
