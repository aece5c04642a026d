/**
 * The DingTalk (钉钉, also 浙政钉 and other 专有钉钉 deployments) adapter: Stream mode through the
 * official SDK `dingtalk-stream` (an outbound WebSocket; no public URL needed), over the shared
 * chat gateway and core.
 *
 * - Receives robot messages (topic /v1.0/im/bot/messages/get), acknowledges each at once
 *   (socketCallBackResponse, so DingTalk does not push it again), then works on it in the
 *   chat's queue.
 * - Replies as `markdown` through the message's sessionWebhook while it is valid, otherwise
 *   (and for reminders: deliver) through the robot OpenAPI (oToMessages/batchSend for one-to-one
 *   chats, groupMessages/send for groups) with an app access token.
 * - Documents: the message's downloadCode → /v1.0/robot/messageFiles/download → downloadUrl.
 * - Users are identified by senderStaffId (the enterprise userid an admin sees in the console).
 */
import { DWClient, EventAck, TOPIC_ROBOT, type DWClientDownStream } from "dingtalk-stream";
import { createPlatformGateway, stopAfterQueue, warnIfNobodyAllowed } from "../chat-core/gateway.js";
import type { InboundMessage, Outbound, PlatformChannel, PlatformChannelOptions } from "../chat-core/gateway.js";
import { classifyHttpError, downloadToFile, HttpError, postJson } from "../chat-core/http.js";
import { firstLine, renderMarkdown, splitText } from "../chat-core/markdown.js";
import { textReply, type Reply } from "../chat-core/reply.js";
import { withRetry, type RetryOptions } from "../chat-core/retry.js";

/**
 * DingTalk does not publish a length limit for robot markdown; 3,000 characters keeps one
 * message readable on a phone and well inside what the service accepts.
 */
export const DINGTALK_MARKDOWN_CHARS = 3000;

export const DEFAULT_DINGTALK_BASE_URL = "https://api.dingtalk.com";

/** The robot message as the Stream gateway sends it (fields this adapter reads). */
interface RobotMessage {
  conversationId: string;
  /** "1" one-to-one, "2" group. */
  conversationType: string;
  msgId: string;
  msgtype: string;
  senderStaffId?: string;
  senderId?: string;
  senderNick?: string;
  isInAtList?: boolean;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  robotCode?: string;
  text?: { content?: string };
  content?: { downloadCode?: string; fileName?: string; fileSize?: number | string };
}

/** The SDK's client with the gateway address taken from settings (it hard-codes api.dingtalk.com). */
class StreamClient extends DWClient {
  constructor(
    opts: { clientId: string; clientSecret: string },
    private readonly baseUrl: string,
  ) {
    super({ ...opts, keepAlive: true });
  }

  override async getEndpoint(): Promise<this> {
    // The same request as DWClient.getEndpoint, to a configurable host (private deployments).
    const config = this.getConfig();
    const res = await postJson<{ endpoint?: string; ticket?: string }>(
      `${this.baseUrl}/v1.0/gateway/connections/open`,
      {
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        ua: config.ua ?? "postal-assistant",
        subscriptions: config.subscriptions,
      },
    );
    if (!res.endpoint || !res.ticket) throw new Error("DingTalk gateway returned no endpoint/ticket");
    (this.config as { endpoint?: unknown }).endpoint = res;
    (this as unknown as { dw_url: string }).dw_url = `${res.endpoint}?ticket=${res.ticket}`;
    return this;
  }
}

export function createDingTalkChannel(options: PlatformChannelOptions<"dingtalk">): PlatformChannel {
  const { settings, core } = options;
  const base = (settings.baseUrl ?? DEFAULT_DINGTALK_BASE_URL).replace(/\/+$/, "");
  const log = options.log ?? (() => {});
  let stopped = false;
  const retry: RetryOptions = {
    classify: (err) => (stopped ? { retry: false } : classifyDingTalkError(err)),
    onRetry: (err, attempt, wait) =>
      log(`[dingtalk] send failed (${describe(err)}); try ${attempt + 1} in ${wait} ms`, "warn"),
    ...options.retry,
  };
  const gateway = createPlatformGateway("dingtalk", settings, {
    core,
    log,
    now: options.now,
    maxFileBytes: options.maxFileBytes,
  });
  const client = new StreamClient({ clientId: settings.clientId, clientSecret: settings.clientSecret }, base);

  let token: { value: string; until: number } | null = null;
  const accessToken = async (): Promise<string> => {
    if (token && token.until > Date.now() + 60_000) return token.value;
    const res = await postJson<{ accessToken?: string; expireIn?: number }>(`${base}/v1.0/oauth2/accessToken`, {
      appKey: settings.clientId,
      appSecret: settings.clientSecret,
    });
    if (!res.accessToken)
      throw new HttpError("DingTalk gave no access token: check DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET", 401);
    token = { value: res.accessToken, until: Date.now() + (res.expireIn ?? 7200) * 1000 };
    return token.value;
  };

  const openApi = async (path: string, body: unknown) =>
    postJson<Record<string, unknown>>(`${base}${path}`, body, {
      headers: { "x-acs-dingtalk-access-token": await accessToken() },
    });

  /** One markdown message through the session webhook (answers the conversation the message came from). */
  const viaSession = async (webhook: string, title: string, text: string) => {
    const res = await postJson<{ errcode?: number; errmsg?: string }>(
      webhook,
      { msgtype: "markdown", markdown: { title, text } },
      {
        headers: { "x-acs-dingtalk-access-token": await accessToken() },
      },
    );
    if (res.errcode)
      throw new HttpError(
        `DingTalk refused the reply: ${res.errcode} ${res.errmsg ?? ""}`,
        200,
        undefined,
        res.errcode,
      );
  };

  /** One markdown message through the robot OpenAPI, to a chat id "dingtalk:user:<staffId>" or "dingtalk:group:<openConversationId>". */
  const viaOpenApi = async (chatId: string, title: string, text: string) => {
    const m = /^dingtalk:(user|group):(.+)$/.exec(chatId);
    if (!m) throw new Error(`not a DingTalk chat id: ${chatId}`);
    const msgParam = JSON.stringify({ title, text });
    if (m[1] === "user")
      await openApi("/v1.0/robot/oToMessages/batchSend", {
        robotCode: settings.clientId,
        userIds: [m[2]],
        msgKey: "sampleMarkdown",
        msgParam,
      });
    else
      await openApi("/v1.0/robot/groupMessages/send", {
        robotCode: settings.clientId,
        openConversationId: m[2],
        msgKey: "sampleMarkdown",
        msgParam,
      });
  };

  const sendReply = async (
    reply: Reply,
    role: "admin" | "user" | "stranger",
    chatId: string,
    session?: { url: string; until: number },
  ) => {
    const title = firstLine(reply);
    for (const part of splitText(renderMarkdown(reply, { role }), { maxChars: DINGTALK_MARKDOWN_CHARS })) {
      await withRetry(async () => {
        if (session && session.until > Date.now() + 5_000) await viaSession(session.url, title, part);
        else await viaOpenApi(chatId, title, part);
      }, retry);
    }
    // The .ics calendar: DingTalk robots can send files only after a media upload to the old
    // oapi; the deadlines are in the message itself, so the file is named, not sent.
    for (const f of reply.files ?? [])
      log(`[dingtalk] calendar ${f.filename} listed in the reply (files are not sent on DingTalk)`);
  };

  const onRobotMessage = (down: DWClientDownStream) => {
    // Acknowledge first: DingTalk pushes an unacknowledged message again.
    client.socketCallBackResponse(down.headers.messageId, { status: "SUCCESS" });
    let m: RobotMessage;
    try {
      m = JSON.parse(down.data) as RobotMessage;
    } catch {
      log("[dingtalk] a robot message that is not JSON was ignored", "warn");
      return;
    }
    const isGroup = m.conversationType === "2";
    const userId = m.senderStaffId || m.senderId || "";
    const chatId = isGroup ? `dingtalk:group:${m.conversationId}` : `dingtalk:user:${userId}`;
    const msg: InboundMessage = {
      chatId,
      userId,
      ...(m.senderId && m.senderId !== userId ? { altUserIds: [m.senderId] } : {}),
      ...(m.senderNick ? { name: m.senderNick } : {}),
      isGroup,
      // DingTalk delivers a group message to a robot only when it is @mentioned.
      addressed: !isGroup || m.isInAtList !== false,
      text: (m.text?.content ?? "").trim(),
    };
    if (m.msgtype === "file" && m.content?.downloadCode) {
      const downloadCode = m.content.downloadCode;
      const size = Number(m.content.fileSize);
      msg.file = {
        filename: m.content.fileName ?? "document.txt",
        ...(Number.isFinite(size) ? { size } : {}),
        download: async (dest) => {
          const res = await openApi("/v1.0/robot/messageFiles/download", {
            downloadCode,
            robotCode: m.robotCode ?? settings.clientId,
          });
          const url = typeof res.downloadUrl === "string" ? res.downloadUrl : "";
          if (!url) throw new HttpError("DingTalk gave no download URL for the file", 502);
          await downloadToFile(url, dest, { maxBytes: options.maxFileBytes ?? 20 * 1024 * 1024 });
        },
      };
    } else if (m.msgtype !== "text") {
      msg.nonText = true; // a picture, voice, rich text…: the gateway tells one-to-one chats what it reads
    }
    gateway.receive(msg, outboundFor(chatId, m));
  };

  const outboundFor = (chatId: string, m: RobotMessage): Outbound => {
    const session = m.sessionWebhook
      ? { url: m.sessionWebhook, until: m.sessionWebhookExpiredTime ?? Date.now() + 60 * 60_000 }
      : undefined;
    return { send: (reply, role) => sendReply(reply, role, chatId, session) };
  };

  client.registerCallbackListener(TOPIC_ROBOT, onRobotMessage);
  client.registerAllEventListener(() => ({ status: EventAck.SUCCESS }));

  return {
    gateway,
    async start() {
      // The first connection is made here so that bad credentials fail start(); the SDK reconnects after that.
      await client.getEndpoint();
      await client._connect();
      log(`[dingtalk] connected (Stream mode, robot ${settings.clientId})`);
      warnIfNobodyAllowed("dingtalk", settings, log);
    },
    stop: stopAfterQueue(gateway, () => {
      stopped = true;
      client.disconnect();
    }),
    async deliver(chatId, message) {
      await sendReply(textReply(message), "user", chatId);
    },
  };
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** DingTalk's passing failures: HTTP 429/5xx, network errors, and its throttling codes in a 200 reply. */
function classifyDingTalkError(err: unknown) {
  if (err instanceof HttpError && err.status === 200) {
    // 130101: sending too fast; -1: system busy.
    return { retry: err.code === 130101 || err.code === -1 };
  }
  return classifyHttpError(err);
}
