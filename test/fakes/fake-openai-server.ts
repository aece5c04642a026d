/**
 * A fake OpenAI-compatible Chat Completions server for tests: real HTTP on 127.0.0.1, port 0.
 *
 * API
 *   const fake = await startFakeOpenAI();          // listening; fake.baseUrl = "http://127.0.0.1:PORT/v1"
 *   fake.enqueue(reply("答案[1]"));                // scripted replies, consumed one per request (FIFO)
 *   fake.enqueue(toolCall("answer", { answer: "…", citations: [1] }));
 *   fake.enqueue(httpError(500));                  // HTTP 500 with an OpenAI-style error body
 *   fake.enqueue(hang());                          // never answers (until the client gives up / close())
 *   fake.setDefault(reply("…"));                   // used when the queue is empty (default: HTTP 500 "no scripted reply")
 *   fake.requests                                  // every request received: { path, headers, body } (body parsed JSON)
 *   fake.respond = (req) => script | undefined;    // optional dynamic responder, consulted before the queue
 *   await fake.close();
 *
 * Config for the app: { provider: "openai", baseUrl: fake.baseUrl, apiKey: "test", model: "fake-model", … }.
 * Only non-streaming POST {base}/chat/completions is implemented (plus GET /models for probes).
 * `reply(text)` answers with an assistant message; when the request carries `tools` and the script is
 * a plain `reply`, the text is returned as is (a model that ignored the tools). `toolCall(name, args)`
 * answers with `tool_calls` (function calling), what `withStructuredOutput(..., {method:"functionCalling"})` expects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeScript =
  | { kind: "reply"; text: string }
  | { kind: "tool"; name: string; args: unknown }
  | { kind: "error"; status: number; message: string }
  | { kind: "hang" };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON as sent by the client
  body: any;
}

export const reply = (text: string): FakeScript => ({ kind: "reply", text });
export const toolCall = (name: string, args: unknown): FakeScript => ({ kind: "tool", name, args });
export const httpError = (status = 500, message = "internal error"): FakeScript => ({ kind: "error", status, message });
export const hang = (): FakeScript => ({ kind: "hang" });

export interface FakeOpenAI {
  baseUrl: string;
  requests: RecordedRequest[];
  enqueue(...scripts: FakeScript[]): void;
  setDefault(script: FakeScript): void;
  respond?: (req: RecordedRequest) => FakeScript | undefined;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
  res.end(data);
}

let counter = 0;

function completion(model: string, message: Record<string, unknown>, finish: string): unknown {
  counter += 1;
  return {
    id: `chatcmpl-fake-${counter}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: FakeScript[] = [];
  let fallback: FakeScript = httpError(500, "no scripted reply");
  const hanging = new Set<ServerResponse>();

  const fake: FakeOpenAI = {
    baseUrl: "",
    requests: [],
    enqueue: (...s) => void queue.push(...s),
    setDefault: (s) => void (fallback = s),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(parts).toString("utf8");
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const path = (req.url ?? "").split("?")[0] ?? "";
      const rec: RecordedRequest = { method: req.method ?? "", path, headers: req.headers, body };
      if (req.method === "GET" && path.endsWith("/models")) {
        send(res, 200, { object: "list", data: [{ id: "fake-model", object: "model", owned_by: "fake" }] });
        return;
      }
      if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
        send(res, 404, { error: { message: `fake server: no route ${req.method} ${path}`, type: "not_found" } });
        return;
      }
      fake.requests.push(rec);
      const script = fake.respond?.(rec) ?? queue.shift() ?? fallback;
      const model = (body as { model?: string } | null)?.model ?? "fake-model";
      switch (script.kind) {
        case "hang":
          hanging.add(res);
          res.on("close", () => hanging.delete(res));
          return;
        case "error":
          send(res, script.status, { error: { message: script.message, type: "server_error", code: null } });
          return;
        case "tool":
          send(
            res,
            200,
            completion(
              model,
              {
                role: "assistant",
                content: null,
                tool_calls: [
                  {
                    id: `call_${counter + 1}`,
                    type: "function",
                    function: { name: script.name, arguments: JSON.stringify(script.args) },
                  },
                ],
              },
              "tool_calls",
            ),
          );
          return;
        case "reply":
          send(res, 200, completion(model, { role: "assistant", content: script.text }, "stop"));
          return;
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  return fake;
}
