/**
 * A fake Telegram Bot API server on loopback for integration tests. The real telegraf bot is
 * pointed at it with `telegram.apiRoot`; tests push updates (served to getUpdates long polls)
 * and wait for the calls the bot makes (sendMessage, sendDocument, …), which are recorded with
 * their parsed payloads (JSON or multipart, files included).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedFile {
  filename: string;
  content: Buffer;
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Files of a multipart call, by field name. */
  files: Record<string, RecordedFile>;
  /** The call was answered with an injected failure. */
  failed?: boolean;
}

interface StoredFile {
  path: string;
  content: Buffer;
}

export interface FakeUser {
  id: number;
  first_name?: string;
  username?: string;
}

export interface FakeChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
}

export const BOT_USER = { id: 4242, is_bot: true, first_name: "Postal Assistant", username: "postal_test_bot" };

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  /** Every request path (to check nothing leaked the token elsewhere). */
  readonly requests: string[] = [];
  private readonly updates: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private readonly files = new Map<string, StoredFile>();
  private readonly failures = new Map<
    string,
    { code: number; description: string; retryAfter?: number; drop?: boolean }[]
  >();
  private callListeners: (() => void)[] = [];
  /** Highest getUpdates offset seen: every update below it has been handled by the bot's middleware. */
  private confirmedOffset = 0;
  /** How long an empty getUpdates is held (real servers: `timeout` seconds). */
  longPollMs = 300;

  private constructor(
    private readonly server: Server,
    readonly token: string,
  ) {}

  static async start(token = "123456:TEST-token_secret"): Promise<FakeBotApi> {
    let api!: FakeBotApi;
    const server = createServer((req, res) => void api.route(req, res));
    api = new FakeBotApi(server, token);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return api;
  }

  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const w of this.waiters) w();
    this.waiters = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // Test controls

  pushUpdate(update: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
    return update_id;
  }

  /** Push a text message from `from` in `chat` (a private chat with the user by default). */
  sendText(text: string, from: FakeUser, chat?: FakeChat, extra: Record<string, unknown> = {}): number {
    const c = chat ?? { id: from.id, type: "private" };
    return this.pushUpdate({
      message: {
        message_id: this.nextMessageId++,
        date: 1_700_000_000,
        chat: c,
        from: { is_bot: false, first_name: "User", ...from },
        text,
        ...extra,
      },
    });
  }

  /** Store a file the bot can download; returns the document object for a message. */
  addFile(filename: string, content: Buffer | string, mime = "text/plain"): Record<string, unknown> {
    const buf = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    const file_id = `file-${this.files.size + 1}`;
    this.files.set(file_id, { path: `documents/${file_id}${filename.slice(filename.lastIndexOf("."))}`, content: buf });
    return { file_id, file_unique_id: `u${file_id}`, file_name: filename, mime_type: mime, file_size: buf.length };
  }

  sendDocument(document: Record<string, unknown>, from: FakeUser, caption?: string, chat?: FakeChat): number {
    const c = chat ?? { id: from.id, type: "private" };
    return this.pushUpdate({
      message: {
        message_id: this.nextMessageId++,
        date: 1_700_000_000,
        chat: c,
        from: { is_bot: false, first_name: "User", ...from },
        document,
        ...(caption ? { caption } : {}),
      },
    });
  }

  /**
   * Make the next call(s) of `method` fail with the given error (a 429 carries
   * `parameters.retry_after` when `retryAfter` is given; `drop` closes the connection instead).
   */
  failNext(
    method: string,
    code = 500,
    description = "Internal Server Error",
    times = 1,
    extra: { retryAfter?: number; drop?: boolean } = {},
  ): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ code, description, ...extra });
    this.failures.set(method, list);
  }

  /** Hold getUpdates calls without answering (a server that never returns), while this is true. */
  hangGetUpdates = false;
  /** getUpdates calls held so far (each one a client that had to give up on its own). */
  getUpdatesHeld = 0;

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Wait until `count` calls match (polling on each new call, with a deadline). */
  async waitForCalls(predicate: (c: ApiCall) => boolean, count = 1, timeoutMs = 10_000): Promise<ApiCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.filter(predicate);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${count} matching call(s); got ${found.length}. Calls: ${this.calls.map((c) => c.method).join(", ")}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.callListeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitFor(method: string, predicate: (c: ApiCall) => boolean = () => true, count = 1, timeoutMs?: number) {
    return this.waitForCalls((c) => c.method === method && predicate(c), count, timeoutMs);
  }

  /**
   * Resolves once the bot asked for updates after `updateId`: telegraf's polling loop does that
   * only when the middleware for the batch holding `updateId` has returned.
   */
  async waitHandled(updateId: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.confirmedOffset <= updateId) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`update ${updateId} was not confirmed in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.callListeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Texts of sendMessage calls to a chat. */
  messagesTo(chatId: number): string[] {
    return this.callsOf("sendMessage")
      .filter((c) => Number(c.payload.chat_id) === chatId)
      .map((c) => String(c.payload.text));
  }

  // -------------------------------------------------------------------------------------------
  // Server

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    this.requests.push(url.pathname);
    const filePrefix = `/file/bot${this.token}/`;
    if (url.pathname.startsWith(filePrefix)) {
      const path = decodeURIComponent(url.pathname.slice(filePrefix.length));
      const file = [...this.files.values()].find((f) => f.path === path);
      if (!file) return this.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.content.length });
      res.end(file.content);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return this.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (m[1] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2]!;
    const { payload, files } = await this.parseBody(req, url);
    const failure = this.failures.get(method)?.shift();
    if (method !== "getUpdates") {
      this.calls.push({ method, payload, files, ...(failure ? { failed: true } : {}) });
      const ls = this.callListeners;
      this.callListeners = [];
      for (const l of ls) l();
    }
    if (failure?.drop) {
      req.socket.destroy();
      return;
    }
    if (failure)
      return this.reply(res, failure.code, {
        ok: false,
        error_code: failure.code,
        description: failure.description,
        ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    if (method === "getUpdates" && this.hangGetUpdates) {
      this.getUpdatesHeld++;
      await new Promise<void>((resolve) => res.once("close", () => resolve()));
      return;
    }
    await this.answer(method, payload, files, req, res);
  }

  private async parseBody(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ payload: Record<string, unknown>; files: Record<string, RecordedFile> }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const type = req.headers["content-type"] ?? "";
    const payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const files: Record<string, RecordedFile> = {};
    if (type.startsWith("application/json") && body.length) Object.assign(payload, JSON.parse(body.toString("utf8")));
    else if (type.startsWith("multipart/form-data")) {
      // Undici's multipart parser (the one behind fetch) reads the form.
      const form = await new Response(body, { headers: { "content-type": type } }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") {
          try {
            payload[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
          } catch {
            payload[key] = value;
          }
        } else {
          files[key] = { filename: value.name, content: Buffer.from(await value.arrayBuffer()) };
          payload[key] = `<file ${value.name}>`;
        }
      }
    }
    return { payload, files };
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private message(chatId: unknown, extra: Record<string, unknown>): Record<string, unknown> {
    const id = Number(chatId);
    return {
      message_id: this.nextMessageId++,
      date: 1_700_000_000,
      chat: { id, type: id < 0 ? "group" : "private" },
      from: BOT_USER,
      ...extra,
    };
  }

  private async answer(
    method: string,
    payload: Record<string, unknown>,
    files: Record<string, RecordedFile>,
    _req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const ok = (result: unknown) => this.reply(res, 200, { ok: true, result });
    switch (method) {
      case "getMe":
        return ok({
          ...BOT_USER,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case "getUpdates": {
        const offset = Number(payload.offset ?? 0);
        if (offset > this.confirmedOffset) {
          this.confirmedOffset = offset;
          const ls = this.callListeners;
          this.callListeners = [];
          for (const l of ls) l();
        }
        const limit = Number(payload.limit ?? 100);
        const pending = () => this.updates.filter((u) => Number(u.update_id) >= offset);
        // Confirmed updates are gone for good, as with the real server.
        for (let i = this.updates.length - 1; i >= 0; i--)
          if (Number(this.updates[i]!.update_id) < offset) this.updates.splice(i, 1);
        if (pending().length === 0 && Number(payload.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, this.longPollMs);
            const wake = () => {
              clearTimeout(t);
              resolve();
            };
            this.waiters.push(wake);
            res.once("close", wake);
          });
        }
        return ok(pending().slice(0, limit));
      }
      case "sendMessage":
        return ok(this.message(payload.chat_id, { text: payload.text }));
      case "sendDocument": {
        const f = files.document;
        return ok(
          this.message(payload.chat_id, {
            document: { file_id: "sent", file_unique_id: "sent", file_name: f?.filename, file_size: f?.content.length },
            ...(payload.caption ? { caption: payload.caption } : {}),
          }),
        );
      }
      case "getFile": {
        const id = String(payload.file_id);
        const f = this.files.get(id);
        if (!f)
          return this.reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
        return ok({ file_id: id, file_unique_id: `u${id}`, file_size: f.content.length, file_path: f.path });
      }
      case "editMessageReplyMarkup":
        return ok(this.message(payload.chat_id, { text: "(edited)" }));
      default:
        // sendChatAction, answerCallbackQuery, deleteWebhook, setWebhook, setMyCommands, …
        return ok(true);
    }
  }
}
