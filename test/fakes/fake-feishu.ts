/**
 * A fake Feishu open platform on loopback for the real `@larksuiteoapi/node-sdk`:
 * - the long connection: POST /callback/ws/endpoint hands out a WebSocket URL; events go out as
 *   protobuf `pbbp2.Frame`s (method 1 = data, headers type=event, message_id, sum, seq) and the
 *   client's acknowledgement (the same frame back with payload {"code":200}) is recorded with
 *   how long it took;
 * - the OpenAPI the adapter calls: tenant_access_token, bot/v3/info, im/v1/messages (create,
 *   reply), reactions, message resources (files), im/v1/files (upload).
 */
import { randomBytes } from "node:crypto";
import protobuf from "protobufjs";
import type { WebSocket } from "ws";
import { FakePlatformBase, json } from "./fake-platform.js";

export const FEISHU_APP_ID = "cli_a1b2c3d4e5f60718";
export const FEISHU_APP_SECRET = "fake-feishu-secret";
export const FEISHU_BOT_OPEN_ID = "ou_fakebot000000000000000000000000";
const TOKEN = "t-fake-tenant-token";

// The frame of the long connection (field numbers as in the SDK's pbbp2 definition).
const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        Frame: {
          fields: {
            SeqID: { type: "uint64", id: 1 },
            LogID: { type: "uint64", id: 2 },
            service: { type: "int32", id: 3 },
            method: { type: "int32", id: 4 },
            headers: { rule: "repeated", type: "Header", id: 5 },
            payloadEncoding: { type: "string", id: 6 },
            payloadType: { type: "string", id: 7 },
            payload: { type: "bytes", id: 8 },
            LogIDNew: { type: "string", id: 9 },
          },
        },
      },
    },
  },
});
const Frame = root.lookupType("pbbp2.Frame");

interface FrameObj {
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

export interface FeishuUserMessage {
  openId: string;
  text?: string;
  group?: boolean;
  mention?: boolean;
  file?: { name: string; content: Buffer };
  chatId?: string;
}

export class FakeFeishu extends FakePlatformBase {
  /** Event message ids acknowledged by the client, with the time it took (ms). */
  readonly acks: { messageId: string; ms: number; code: number }[] = [];
  readonly reactions: string[] = [];
  readonly uploads: string[] = [];
  private socket: WebSocket | undefined;
  private connected: (() => void)[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly pushedAt = new Map<string, number>();
  private seq = 0;
  unauthorized = 0;

  static async start(): Promise<FakeFeishu> {
    const f = new FakeFeishu();
    await f.listen(
      (req, body, res, url) =>
        f.route(
          req.method ?? "GET",
          url,
          body,
          String(req.headers.authorization ?? ""),
          String(req.headers["content-type"] ?? ""),
          res,
        ),
      (ws) => f.onSocket(ws),
      "/ws",
    );
    return f;
  }

  private route(
    method: string,
    url: URL,
    body: Buffer,
    auth: string,
    type: string,
    res: import("node:http").ServerResponse,
  ): boolean {
    const p = url.pathname;
    const data =
      type.includes("json") && body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    if (method === "POST" && p === "/callback/ws/endpoint") {
      if (data.AppID !== FEISHU_APP_ID || data.AppSecret !== FEISHU_APP_SECRET)
        return json(res, 200, { code: 1000040343, msg: "app secret invalid", data: {} });
      return json(res, 200, {
        code: 0,
        data: {
          URL: `ws://127.0.0.1:${this.port}/ws?device_id=fake-device&service_id=7`,
          ClientConfig: { PingInterval: 120, ReconnectCount: 3, ReconnectInterval: 1, ReconnectNonce: 0 },
        },
      });
    }
    if (method === "POST" && p === "/open-apis/auth/v3/tenant_access_token/internal") {
      if (data.app_id !== FEISHU_APP_ID || data.app_secret !== FEISHU_APP_SECRET)
        return json(res, 200, { code: 10014, msg: "app secret invalid" });
      return json(res, 200, { code: 0, msg: "ok", tenant_access_token: TOKEN, expire: 7200 });
    }
    if (auth !== `Bearer ${TOKEN}`) {
      this.unauthorized++;
      return json(res, 401, { code: 99991663, msg: "invalid tenant access token" });
    }
    if (method === "GET" && p === "/open-apis/bot/v3/info")
      return json(res, 200, { code: 0, msg: "ok", bot: { open_id: FEISHU_BOT_OPEN_ID, app_name: "邮政管理助手" } });
    let m = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(p);
    if (method === "GET" && m) {
      const content = this.files.get(m[2]!);
      if (!content || url.searchParams.get("type") !== "file")
        return json(res, 400, { code: 234003, msg: "file not found" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(content.length) });
      res.end(content);
      return true;
    }
    m = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reactions(?:\/([^/]+))?$/.exec(p);
    if (m) {
      if (method === "POST") {
        this.reactions.push(String((data.reaction_type as { emoji_type?: string })?.emoji_type));
        return json(res, 200, { code: 0, data: { reaction_id: `r${++this.seq}` } });
      }
      return json(res, 200, { code: 0, data: {} });
    }
    if (method === "POST" && p === "/open-apis/im/v1/files") {
      const raw = body.toString("latin1");
      const name = /name="file_name"\r\n\r\n([^\r]*)/.exec(raw)?.[1];
      const fileKey = `file_v2_${randomBytes(4).toString("hex")}`;
      this.uploads.push(Buffer.from(name ?? "", "latin1").toString("utf8"));
      return json(res, 200, { code: 0, data: { file_key: fileKey } });
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p);
    if (method === "POST" && (reply || p === "/open-apis/im/v1/messages")) {
      const f = this.takeFailure();
      if (f) return json(res, f.status, { code: f.status === 429 ? 99991400 : 2200, msg: "injected failure" });
      const to = reply ? `reply:${reply[1]}` : `chat:${String(data.receive_id)}`;
      if (!reply && url.searchParams.get("receive_id_type") !== "chat_id")
        return json(res, 400, { code: 230001, msg: "bad receive_id_type" });
      const content = JSON.parse(String(data.content)) as {
        elements?: { tag: string; content: string }[];
        file_key?: string;
      };
      if (data.msg_type === "interactive") {
        const md = content.elements?.find((e) => e.tag === "markdown")?.content;
        if (md === undefined) return json(res, 400, { code: 230099, msg: "card has no markdown element" });
        if (Buffer.byteLength(String(data.content)) > 30 * 1024)
          return json(res, 400, { code: 230025, msg: "card content exceeds 30KB" });
        this.record({ to, text: md, via: reply ? "reply" : "create" });
      } else if (data.msg_type === "file") {
        this.record({ to, text: "", via: reply ? "reply" : "create", files: [String(content.file_key)] });
      } else this.record({ to, text: String(data.content), via: String(data.msg_type) });
      return json(res, 200, { code: 0, msg: "success", data: { message_id: `om_${++this.seq}` } });
    }
    return false;
  }

  private onSocket(ws: WebSocket): void {
    this.socket = ws;
    ws.on("close", () => {
      if (this.socket === ws) this.socket = undefined;
    });
    ws.on("message", (raw: Buffer) => {
      const frame = Frame.toObject(Frame.decode(raw), { longs: Number, bytes: Buffer }) as FrameObj;
      const h = Object.fromEntries((frame.headers ?? []).map((x) => [x.key, x.value]));
      if (frame.method === 0 && h.type === "ping") {
        ws.send(
          Frame.encode(
            Frame.fromObject({
              SeqID: 0,
              LogID: 0,
              service: 7,
              method: 0,
              headers: [{ key: "type", value: "pong" }],
              payload: Buffer.from(
                JSON.stringify({ PingInterval: 120, ReconnectCount: 3, ReconnectInterval: 1, ReconnectNonce: 0 }),
              ),
            }),
          ).finish(),
        );
        return;
      }
      if (frame.method === 1 && h.message_id) {
        const resp = JSON.parse(Buffer.from(frame.payload ?? []).toString("utf8")) as { code: number };
        this.acks.push({
          messageId: h.message_id,
          ms: Date.now() - (this.pushedAt.get(h.message_id) ?? Date.now()),
          code: resp.code,
        });
      }
    });
    for (const l of this.connected.splice(0)) l();
  }

  async waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.socket && this.socket.readyState === this.socket.OPEN) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("fake feishu: the client did not connect")), timeoutMs);
      this.connected.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Push im.message.receive_v1 from a user; returns the message id (replies go to "reply:<id>"). */
  push(m: FeishuUserMessage): string {
    if (!this.socket) throw new Error("fake feishu: no client connected");
    const messageId = `om_in_${++this.seq}`;
    const group = m.group ?? false;
    const mention = group ? (m.mention ?? true) : false;
    let messageType = "text";
    let content: Record<string, unknown>;
    if (m.file) {
      const key = `file_in_${randomBytes(4).toString("hex")}`;
      this.files.set(key, m.file.content);
      messageType = "file";
      content = { file_key: key, file_name: m.file.name };
    } else content = { text: mention ? `@_user_1 ${m.text ?? ""}` : (m.text ?? "") };
    const event = {
      schema: "2.0",
      header: {
        event_id: randomBytes(8).toString("hex"),
        event_type: "im.message.receive_v1",
        create_time: String(Date.now()),
        token: "",
        app_id: FEISHU_APP_ID,
        tenant_key: "fake-tenant",
      },
      event: {
        sender: {
          sender_id: { open_id: m.openId, user_id: `u-${m.openId}`, union_id: `on_${m.openId}` },
          sender_type: "user",
          tenant_key: "fake-tenant",
        },
        message: {
          message_id: messageId,
          create_time: String(Date.now()),
          chat_id: m.chatId ?? (group ? "oc_group0001" : `oc_p2p_${m.openId}`),
          chat_type: group ? "group" : "p2p",
          message_type: messageType,
          content: JSON.stringify(content),
          mentions: mention
            ? [
                {
                  key: "@_user_1",
                  id: { open_id: FEISHU_BOT_OPEN_ID, user_id: "", union_id: "" },
                  name: "邮政管理助手",
                  tenant_key: "fake-tenant",
                },
              ]
            : [],
        },
      },
    };
    const frame = Frame.fromObject({
      SeqID: ++this.seq,
      LogID: 0,
      service: 7,
      method: 1,
      headers: [
        { key: "type", value: "event" },
        { key: "message_id", value: messageId },
        { key: "sum", value: "1" },
        { key: "seq", value: "0" },
        { key: "trace_id", value: randomBytes(4).toString("hex") },
      ],
      payload: Buffer.from(JSON.stringify(event), "utf8"),
    });
    this.pushedAt.set(messageId, Date.now());
    this.socket.send(Frame.encode(frame).finish());
    return messageId;
  }
}
