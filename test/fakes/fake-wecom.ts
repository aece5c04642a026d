/**
 * A fake WeCom 智能机器人 long connection on loopback for the real `@wecom/aibot-node-sdk`:
 * JSON frames over a WebSocket — aibot_subscribe (bot_id + secret) answered with errcode 0,
 * ping answered, aibot_msg_callback pushed to the client, aibot_respond_msg (stream replies)
 * and aibot_send_msg acknowledged (or failed on demand) with the request's req_id. Files are
 * served over HTTP encrypted as WeCom does (AES-256-CBC, IV = first 16 key bytes, PKCS#7 to a
 * multiple of 32), the key sent along in the message as `aeskey`.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import type { WebSocket } from "ws";
import { FakePlatformBase } from "./fake-platform.js";

export const WECOM_BOT_ID = "aibFakeBot0001";
export const WECOM_SECRET = "fake-wecom-secret";

interface Frame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

export interface WeComUserMessage {
  userId: string;
  text?: string;
  group?: boolean;
  file?: { name: string; content: Buffer };
  chatId?: string;
}

/** Encrypt as WeCom does for file downloads. */
export function wecomEncrypt(plain: Buffer, aesKey: Buffer): Buffer {
  const pad = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv("aes-256-cbc", aesKey, aesKey.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}

export class FakeWeCom extends FakePlatformBase {
  /** Intermediate (finish=false) stream contents: the progress messages. */
  readonly progress: string[] = [];
  private socket: WebSocket | undefined;
  private authed: (() => void)[] = [];
  private readonly files = new Map<string, { content: Buffer; name: string }>();
  private readonly uploads = new Map<string, { name: string; chunks: Buffer[] }>();
  /** Uploaded temporary media, by media_id. */
  readonly media = new Map<string, { name: string; content: Buffer }>();
  /** req_id of each pushed message → the chat it came from. */
  private readonly chats = new Map<string, string>();
  private seq = 0;
  authenticated = false;

  static async start(): Promise<FakeWeCom> {
    const f = new FakeWeCom();
    await f.listen(
      (req, _body, res, url) => {
        const m = /^\/files\/([a-z0-9]+)$/.exec(url.pathname);
        if (req.method !== "GET" || !m) return false;
        const file = f.files.get(m[1]!);
        if (!file) return false;
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        });
        res.end(file.content);
        return true;
      },
      (ws) => f.onSocket(ws),
      "/",
    );
    return f;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  private onSocket(ws: WebSocket): void {
    this.socket = ws;
    ws.on("close", () => {
      if (this.socket === ws) {
        this.socket = undefined;
        this.authenticated = false;
      }
    });
    const reply = (req_id: string, errcode = 0, body?: Record<string, unknown>) =>
      ws.send(
        JSON.stringify({
          headers: { req_id },
          errcode,
          errmsg: errcode ? "injected failure" : "ok",
          ...(body ? { body } : {}),
        }),
      );
    ws.on("message", (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      const reqId = frame.headers?.req_id ?? "";
      switch (frame.cmd) {
        case "aibot_subscribe": {
          const ok = frame.body?.bot_id === WECOM_BOT_ID && frame.body?.secret === WECOM_SECRET;
          reply(reqId, ok ? 0 : 40001);
          if (ok) {
            this.authenticated = true;
            for (const l of this.authed.splice(0)) l();
          }
          return;
        }
        case "ping":
          reply(reqId);
          return;
        case "aibot_upload_media_init": {
          const id = `up${++this.seq}`;
          this.uploads.set(id, { name: String(frame.body?.filename), chunks: [] });
          return reply(reqId, 0, { upload_id: id });
        }
        case "aibot_upload_media_chunk": {
          const up = this.uploads.get(String(frame.body?.upload_id));
          if (!up) return reply(reqId, 40007);
          up.chunks[Number(frame.body?.chunk_index)] = Buffer.from(String(frame.body?.base64_data), "base64");
          return reply(reqId);
        }
        case "aibot_upload_media_finish": {
          const up = this.uploads.get(String(frame.body?.upload_id));
          if (!up) return reply(reqId, 40007);
          const mediaId = `media${++this.seq}`;
          this.media.set(mediaId, { name: up.name, content: Buffer.concat(up.chunks) });
          return reply(reqId, 0, { media_id: mediaId, type: "file" });
        }
        case "aibot_respond_msg": {
          if (frame.body?.msgtype === "file") {
            const media = this.media.get(String((frame.body.file as { media_id?: string })?.media_id));
            if (!media) return reply(reqId, 40007);
            this.record({ to: this.chats.get(reqId) ?? "?", text: "", via: "file", files: [media.name] });
            return reply(reqId);
          }
          const stream = frame.body?.stream as { id: string; finish: boolean; content: string } | undefined;
          if (frame.body?.msgtype !== "stream" || !stream?.id) return reply(reqId, 40058);
          if (Buffer.byteLength(stream.content, "utf8") > 20480) return reply(reqId, 40058);
          if (!stream.finish) {
            this.progress.push(stream.content);
            return reply(reqId);
          }
          const f = this.takeFailure();
          if (f) return reply(reqId, f.status === 429 ? 45009 : f.status >= 800000 ? f.status : 600039);
          this.record({ to: this.chats.get(reqId) ?? "?", text: stream.content, via: "stream" });
          return reply(reqId);
        }
        case "aibot_send_msg": {
          let f: ReturnType<typeof this.takeFailure> | undefined;
          if (this.failures[0] && this.failures[0].status < 800000) f = this.takeFailure();
          else this.attempts++;
          if (f) return reply(reqId, 45009);
          const md = frame.body?.markdown as { content?: string } | undefined;
          if (frame.body?.msgtype !== "markdown" || !md?.content) return reply(reqId, 40008);
          this.record({ to: String(frame.body?.chatid), text: md.content, via: "send_msg" });
          return reply(reqId);
        }
        default:
          return reply(reqId, 40004);
      }
    });
  }

  async waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.authenticated) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("fake wecom: the client did not authenticate")), timeoutMs);
      this.authed.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Push a message from a user; returns the chat key replies are recorded under (the userid, or the group's chatid). */
  push(m: WeComUserMessage): string {
    if (!this.socket) throw new Error("fake wecom: no client connected");
    const group = m.group ?? false;
    const chat = group ? (m.chatId ?? "wrGroup0001") : m.userId;
    const reqId = `cb_${++this.seq}_${randomBytes(3).toString("hex")}`;
    this.chats.set(reqId, chat);
    const body: Record<string, unknown> = {
      msgid: `msg${this.seq}`,
      aibotid: WECOM_BOT_ID,
      chattype: group ? "group" : "single",
      ...(group ? { chatid: chat } : {}),
      from: { userid: m.userId },
      create_time: Date.now(),
    };
    if (m.file) {
      const key = randomBytes(32);
      const id = randomBytes(6).toString("hex");
      this.files.set(id, { content: wecomEncrypt(m.file.content, key), name: m.file.name });
      Object.assign(body, {
        msgtype: "file",
        file: { url: `${this.baseUrl}/files/${id}`, aeskey: key.toString("base64") },
      });
    } else
      Object.assign(body, {
        msgtype: "text",
        text: { content: group ? `@邮政管理助手 ${m.text ?? ""}` : (m.text ?? "") },
      });
    this.socket.send(JSON.stringify({ cmd: "aibot_msg_callback", headers: { req_id: reqId }, body }));
    return chat;
  }
}
