/**
 * A fake DingTalk on loopback that speaks the Stream protocol to the real `dingtalk-stream`
 * client: POST /v1.0/gateway/connections/open hands out a WebSocket endpoint and ticket; robot
 * messages are pushed as CALLBACK frames (topic /v1.0/im/bot/messages/get) and the client's
 * acknowledgements recorded; replies arrive on the message's sessionWebhook or the robot
 * OpenAPI (oToMessages/batchSend, groupMessages/send) with an access token from
 * /v1.0/oauth2/accessToken; files are served through /v1.0/robot/messageFiles/download.
 */
import { randomBytes } from "node:crypto";
import type { WebSocket } from "ws";
import { FakePlatformBase, json } from "./fake-platform.js";

export const DINGTALK_ROBOT_CODE = "dingfake0robot";
export const DINGTALK_SECRET = "fake-secret";
const TOKEN = "fake-dingtalk-token";

export interface DingTalkUserMessage {
  staffId: string;
  text?: string;
  group?: boolean;
  mention?: boolean;
  file?: { name: string; content: Buffer };
  nick?: string;
  conversationId?: string;
}

export class FakeDingTalk extends FakePlatformBase {
  readonly acks: string[] = [];
  private socket: WebSocket | undefined;
  private connected: (() => void)[] = [];
  private readonly files = new Map<string, Buffer>();
  private seq = 0;
  /** Requests that reached the OpenAPI without the token. */
  unauthorized = 0;

  static async start(): Promise<FakeDingTalk> {
    const f = new FakeDingTalk();
    await f.listen(
      (req, body, res, url) => f.route(req.method ?? "GET", url, body, req.headers["x-acs-dingtalk-access-token"], res),
      (ws, url) => f.onSocket(ws, url),
      "/connect",
    );
    return f;
  }

  private route(
    method: string,
    url: URL,
    body: Buffer,
    token: string | string[] | undefined,
    res: import("node:http").ServerResponse,
  ): boolean {
    const data = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    const p = url.pathname;
    if (method === "POST" && p === "/v1.0/gateway/connections/open") {
      if (data.clientId !== DINGTALK_ROBOT_CODE || data.clientSecret !== DINGTALK_SECRET)
        return json(res, 401, { code: "InvalidAuthentication" });
      return json(res, 200, {
        endpoint: `ws://127.0.0.1:${this.port}/connect`,
        ticket: randomBytes(8).toString("hex"),
      });
    }
    if (method === "POST" && p === "/v1.0/oauth2/accessToken") {
      if (data.appKey !== DINGTALK_ROBOT_CODE || data.appSecret !== DINGTALK_SECRET)
        return json(res, 400, { code: "invalidClientIdOrSecret" });
      return json(res, 200, { accessToken: TOKEN, expireIn: 7200 });
    }
    if (method === "GET" && p.startsWith("/files/")) {
      const content = this.files.get(p.slice("/files/".length));
      if (!content) return json(res, 404, {});
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(content.length) });
      res.end(content);
      return true;
    }
    if (token !== TOKEN) {
      this.unauthorized++;
      return json(res, 401, { code: "InvalidAuthentication", message: "no access token" });
    }
    if (method === "POST" && p === "/v1.0/robot/messageFiles/download") {
      if (!this.files.has(String(data.downloadCode))) return json(res, 400, { code: "invalidDownloadCode" });
      return json(res, 200, { downloadUrl: `${this.baseUrl}/files/${String(data.downloadCode)}` });
    }
    const fail = () => {
      const f = this.takeFailure();
      if (!f) return false;
      json(
        res,
        f.status,
        { code: "Throttling", message: "injected failure" },
        f.retryAfter !== undefined ? { "retry-after": String(f.retryAfter) } : {},
      );
      return true;
    };
    if (method === "POST" && p.startsWith("/session/")) {
      if (fail()) return true;
      const md = data.markdown as { title?: string; text?: string } | undefined;
      if (data.msgtype !== "markdown" || !md?.text || !md.title)
        return json(res, 200, { errcode: 400101, errmsg: "bad message" });
      this.record({ to: decodeURIComponent(p.slice("/session/".length)), text: md.text, via: "sessionWebhook" });
      return json(res, 200, { errcode: 0, errmsg: "ok" });
    }
    if (method === "POST" && (p === "/v1.0/robot/oToMessages/batchSend" || p === "/v1.0/robot/groupMessages/send")) {
      if (fail()) return true;
      if (data.robotCode !== DINGTALK_ROBOT_CODE || data.msgKey !== "sampleMarkdown")
        return json(res, 400, { code: "invalidParameter" });
      const param = JSON.parse(String(data.msgParam)) as { text: string };
      const to = p.endsWith("batchSend")
        ? `user:${(data.userIds as string[])[0]}`
        : `group:${String(data.openConversationId)}`;
      this.record({ to, text: param.text, via: "openapi" });
      return json(res, 200, { processQueryKey: randomBytes(4).toString("hex") });
    }
    return false;
  }

  private onSocket(ws: WebSocket, url: URL): void {
    if (!url.searchParams.get("ticket")) {
      ws.close(4001, "no ticket");
      return;
    }
    this.socket = ws;
    ws.on("close", () => {
      if (this.socket === ws) this.socket = undefined;
    });
    ws.on("message", (raw) => {
      const frame = JSON.parse(String(raw)) as { code?: number; headers?: { messageId?: string } };
      if (frame.code === 200 && frame.headers?.messageId) this.acks.push(frame.headers.messageId);
    });
    ws.send(
      JSON.stringify({
        specVersion: "1.0",
        type: "SYSTEM",
        headers: { topic: "CONNECTED", messageId: "sys-0", contentType: "application/json", time: String(Date.now()) },
        data: "{}",
      }),
    );
    for (const l of this.connected.splice(0)) l();
  }

  async waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.socket && this.socket.readyState === this.socket.OPEN) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("fake dingtalk: the client did not connect")), timeoutMs);
      this.connected.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Push a robot message from a user, as DingTalk does; returns the chat id the adapter should use. */
  push(m: DingTalkUserMessage): string {
    if (!this.socket) throw new Error("fake dingtalk: no client connected");
    const group = m.group ?? false;
    const conversationId = m.conversationId ?? (group ? "cidGroup0001" : `cidSingle-${m.staffId}`);
    const messageId = `msg-${++this.seq}`;
    const session = group ? `group:${conversationId}` : `user:${m.staffId}`;
    const base: Record<string, unknown> = {
      conversationId,
      conversationType: group ? "2" : "1",
      msgId: `m${this.seq}`,
      senderNick: m.nick ?? m.staffId,
      senderStaffId: m.staffId,
      senderId: `$:LWCP_v1:$${m.staffId}`,
      chatbotUserId: "$:LWCP_v1:$bot",
      isInAtList: group ? (m.mention ?? true) : true,
      sessionWebhook: `${this.baseUrl}/session/${encodeURIComponent(session)}`,
      sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
      robotCode: DINGTALK_ROBOT_CODE,
      createAt: Date.now(),
    };
    if (m.file) {
      const code = randomBytes(6).toString("hex");
      this.files.set(code, m.file.content);
      Object.assign(base, { msgtype: "file", content: { downloadCode: code, fileName: m.file.name } });
    } else Object.assign(base, { msgtype: "text", text: { content: ` ${m.text ?? ""}` } });
    this.socket.send(
      JSON.stringify({
        specVersion: "1.0",
        type: "CALLBACK",
        headers: {
          topic: "/v1.0/im/bot/messages/get",
          messageId,
          contentType: "application/json",
          time: String(Date.now()),
          appId: "fake",
        },
        data: JSON.stringify(base),
      }),
    );
    return group ? `dingtalk:group:${conversationId}` : `dingtalk:user:${m.staffId}`;
  }
}
