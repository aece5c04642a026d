/**
 * What the fake chat platforms (DingTalk, Feishu, WeCom) share: an HTTP server on loopback
 * (port 0) with a WebSocket upgrade path, a record of what the bot sent, waiting for sends,
 * and failure injection for "the next N sends fail".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface SentMessage {
  /** Namespaced chat the message went to, as the platform identifies it. */
  to: string;
  /** The rendered text (Markdown) the user would see. */
  text: string;
  /** How it was sent (session webhook, OpenAPI, reply, stream, …). */
  via: string;
  /** Files (calendar) sent along, by name. */
  files?: string[];
}

export type Route = (req: IncomingMessage, body: Buffer, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
  return true;
}

export class FakePlatformBase {
  readonly sent: SentMessage[] = [];
  /** Every send attempt, failed ones included. */
  attempts = 0;
  /** Failures to inject into the next send attempts: an HTTP status or a platform error. */
  readonly failures: { status: number; retryAfter?: number }[] = [];
  protected server!: Server;
  protected wss!: WebSocketServer;
  protected sockets = new Set<WebSocket>();
  private listeners: (() => void)[] = [];
  port = 0;

  protected async listen(route: Route, onSocket: (ws: WebSocket, url: URL) => void, wsPath = "/ws"): Promise<void> {
    this.wss = new WebSocketServer({ noServer: true });
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", `http://127.0.0.1:${this.port}`);
        Promise.resolve(route(req, Buffer.concat(chunks), res, url))
          .then((handled) => {
            if (!handled) json(res, 404, { error: `fake: no route for ${req.method} ${url.pathname}` });
          })
          .catch((err: unknown) => json(res, 500, { error: String(err) }));
      });
    });
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", `http://127.0.0.1:${this.port}`);
      if (url.pathname !== wsPath) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on("close", () => this.sockets.delete(ws));
        onSocket(ws, url);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Make the next `n` send attempts fail with `status` (429 with retry_after seconds, 500, 502 …). */
  failNextSends(n: number, status = 500, retryAfter?: number): void {
    for (let i = 0; i < n; i++) this.failures.push({ status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
  }

  /** Count an attempt; the injected failure for it, if any. */
  protected takeFailure(): { status: number; retryAfter?: number } | undefined {
    this.attempts++;
    return this.failures.shift();
  }

  protected record(m: SentMessage): void {
    this.sent.push(m);
    for (const l of this.listeners.splice(0)) l();
  }

  /** Wait until at least `count` messages satisfy `pred`; resolves with all of them. */
  async waitFor(pred: (m: SentMessage) => boolean, count = 1, timeoutMs = 10_000): Promise<SentMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this.sent.filter(pred);
      if (hits.length >= count) return hits;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `fake: waited ${timeoutMs} ms for ${count} message(s); sent so far: ${JSON.stringify(this.sent.map((s) => s.text.slice(0, 80)))}`,
        );
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.listeners.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Drop every open WebSocket (the platform restarting or the network failing); clients must reconnect. */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss?.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
