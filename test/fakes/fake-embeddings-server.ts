/**
 * A fake embeddings server for tests: real HTTP on 127.0.0.1, port 0, speaking both
 *   POST /v1/embeddings  (OpenAI shape: { model, input: string | string[], encoding_format? })
 *   POST /api/embed      (Ollama shape: { model, input: string | string[] })
 *
 * API
 *   const fake = await startFakeEmbeddingsServer({ dimensions: 32 });
 *   fake.openaiBaseUrl   // "http://127.0.0.1:PORT/v1"  (EMBEDDINGS_BASE_URL for provider openai)
 *   fake.ollamaBaseUrl   // "http://127.0.0.1:PORT"     (EMBEDDINGS_BASE_URL for provider ollama)
 *   fake.mode = "ok" | "fail" | "hang"   // fail: HTTP 500 with an error body; hang: never answers
 *   fake.requests        // every request: { method, path, headers, body }
 *   await fake.close();  // also drops hanging connections
 *
 * Vectors are deterministic and a little semantic, so contract tests can compare texts: a text's
 * vector is the L2-normalised sum of pseudo-random ±1 vectors of its characters and character
 * bigrams (seeded by FNV-1a of the feature), so texts sharing characters have higher cosine.
 * Like OpenAI, `rejectEmptyInput` (default true) answers 400 to an empty string in `input`.
 * An empty text in Ollama shape gets the vector of no features: all zeros except a 1 at index 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";

export type FakeEmbeddingsMode = "ok" | "fail" | "hang";

export interface RecordedEmbeddingsRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON as sent by the client
  body: any;
}

export interface FakeEmbeddingsServer {
  openaiBaseUrl: string;
  ollamaBaseUrl: string;
  mode: FakeEmbeddingsMode;
  requests: RecordedEmbeddingsRequest[];
  dimensions: number;
  close(): Promise<void>;
}

export interface FakeEmbeddingsOptions {
  dimensions?: number;
  /** Answer 400 to "" in the OpenAI shape, as OpenAI does (default true). */
  rejectEmptyInput?: boolean;
}

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The fake's vector for a text (exported so tests can compute expected values). */
export function fakeVector(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const chars = Array.from(text.replace(/\s+/g, ""));
  const features = [...chars, ...chars.slice(1).map((c, i) => chars[i] + c)];
  for (const f of features) {
    let state = fnv1a(f, 0x2545f491);
    for (let d = 0; d < dimensions; d++) {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      v[d]! += state & 1 ? 1 : -1;
    }
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
  res.end(data);
}

function toBase64(v: number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString("base64");
}

export async function startFakeEmbeddingsServer(options: FakeEmbeddingsOptions = {}): Promise<FakeEmbeddingsServer> {
  const dimensions = options.dimensions ?? 32;
  const rejectEmpty = options.rejectEmptyInput ?? true;
  const sockets = new Set<Socket>();
  const requests: RecordedEmbeddingsRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      // biome-ignore lint/suspicious/noExplicitAny: parsed JSON as sent by the client
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });

      if (fake.mode === "hang") return; // never answer; close() drops the socket
      if (fake.mode === "fail") {
        // Each API's own error shape: Ollama sends { error: string }, OpenAI { error: { message, type } }.
        const message = "fake embeddings server: internal error";
        send(res, 500, path.startsWith("/api/") ? { error: message } : { error: { message, type: "server_error" } });
        return;
      }
      if (req.method !== "POST" || (path !== "/v1/embeddings" && path !== "/api/embed")) {
        send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
        return;
      }
      const input: unknown = body?.input;
      const texts =
        typeof input === "string"
          ? [input]
          : Array.isArray(input) && input.every((x) => typeof x === "string")
            ? (input as string[])
            : null;
      if (!texts || typeof body?.model !== "string") {
        send(res, 400, {
          error: { message: "body must be { model: string, input: string | string[] }", type: "invalid_request_error" },
        });
        return;
      }
      if (path === "/api/embed") {
        send(res, 200, { model: body.model, embeddings: texts.map((t) => fakeVector(t, dimensions)) });
        return;
      }
      if (rejectEmpty && texts.some((t) => t === "")) {
        send(res, 400, { error: { message: "'$.input' is invalid: empty string", type: "invalid_request_error" } });
        return;
      }
      const base64 = body.encoding_format === "base64";
      send(res, 200, {
        object: "list",
        model: body.model,
        data: texts.map((t, index) => {
          const v = fakeVector(t, dimensions);
          return { object: "embedding", index, embedding: base64 ? toBase64(v) : v };
        }),
        usage: { prompt_tokens: texts.join("").length, total_tokens: texts.join("").length },
      });
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeEmbeddingsServer = {
    openaiBaseUrl: `http://127.0.0.1:${port}/v1`,
    ollamaBaseUrl: `http://127.0.0.1:${port}`,
    mode: "ok",
    requests,
    dimensions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return fake;
}
