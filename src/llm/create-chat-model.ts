/**
 * The optional language model, behind LangChain's `BaseChatModel`.
 *
 * - `createChatModel(config.llm)`: ChatOpenAI (any OpenAI-compatible endpoint: DeepSeek, vLLM,
 *   llama.cpp server, …; always the Chat Completions API) or ChatOllama; `null` when no model is
 *   configured (the embedded default, which every capability must handle).
 * - `invokeChat(model, messages, opts)`: one call with a hard timeout and the caller's abort signal,
 *   returning the reply text; every failure (timeout, HTTP error, refused connection) becomes a
 *   `ProviderError` so callers can fall back with one `catch`.
 * - `invokeStructured(model, schema, messages, opts)`: structured output through function calling
 *   (`withStructuredOutput(schema, { method: "functionCalling" })`), never json_schema, which
 *   DeepSeek and several other OpenAI-compatible servers reject.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessageLike } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { ChatOllama } from "@langchain/ollama";
import type { z } from "zod";
import { ProviderError } from "../errors.js";

/** The language model settings (LLM_*; read and validated by src/config/config.ts). */
export interface LlmConfig {
  provider: "openai" | "ollama";
  baseUrl?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  maxRetries?: number;
  temperature: number;
}

export interface ChatModelOptions {
  /** Retries on transient provider errors (default 1; tests use 0 for speed). */
  maxRetries?: number;
}

/** Per-model timeout remembered for `invokeChat` (ChatOllama has no timeout option of its own). */
const timeouts = new WeakMap<BaseChatModel, number>();
const providers = new WeakMap<BaseChatModel, string>();

export function createChatModel(llm: LlmConfig | null, options: ChatModelOptions = {}): BaseChatModel | null {
  if (!llm) return null;
  const maxRetries = options.maxRetries ?? llm.maxRetries ?? 1;
  let model: BaseChatModel;
  if (llm.provider === "openai") {
    model = new ChatOpenAI({
      model: llm.model,
      // An OpenAI-compatible server without authentication still needs a non-empty key for the client.
      apiKey: llm.apiKey || "not-needed",
      temperature: llm.temperature,
      timeout: llm.timeoutMs,
      maxRetries,
      useResponsesApi: false,
      configuration: llm.baseUrl ? { baseURL: llm.baseUrl } : undefined,
    });
  } else {
    model = new ChatOllama({
      model: llm.model,
      baseUrl: llm.baseUrl,
      temperature: llm.temperature,
      maxRetries,
    });
  }
  timeouts.set(model, llm.timeoutMs);
  providers.set(model, `${llm.provider}:${llm.model}`);
  return model;
}

export interface InvokeOptions {
  signal?: AbortSignal;
  /** Overrides the configured timeout for this call. */
  timeoutMs?: number;
}

function callSignal(model: BaseChatModel, opts: InvokeOptions): { signal: AbortSignal; timeoutMs: number } {
  const timeoutMs = opts.timeoutMs ?? timeouts.get(model) ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  return { signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout, timeoutMs };
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts: a model or client that ignores the
 * abort signal cannot hold a caller past its timeout.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function providerName(model: BaseChatModel): string {
  return providers.get(model) ?? model._llmType();
}

function wrap(model: BaseChatModel, err: unknown, timeoutMs: number, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const timedOut = signal.aborted && signal.reason instanceof DOMException && signal.reason.name === "TimeoutError";
  const text =
    timedOut || /timed? ?out/i.test(msg)
      ? `no reply within ${timeoutMs} ms (the server at LLM_BASE_URL may be down or slow; check it, or raise LLM_TIMEOUT_MS)`
      : `${msg} (check LLM_BASE_URL, LLM_API_KEY and LLM_MODEL)`;
  return new ProviderError(providerName(model), text, { cause: err });
}

/** Text content of a chat reply (string content, or the text parts of a multi-part reply). */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p) =>
        typeof p === "string"
          ? p
          : p && typeof p === "object" && "text" in p
            ? String((p as { text: unknown }).text)
            : "",
      )
      .join("");
  return "";
}

/** One chat call; resolves to the reply text. Throws ProviderError on any failure. */
export async function invokeChat(
  model: BaseChatModel,
  messages: BaseMessageLike[],
  opts: InvokeOptions = {},
): Promise<string> {
  const { signal, timeoutMs } = callSignal(model, opts);
  try {
    const reply = await untilAborted(model.invoke(messages, { signal }), signal);
    return messageText(reply.content);
  } catch (err) {
    throw wrap(model, err, timeoutMs, signal);
  }
}

/**
 * Structured output via function calling (the model is asked to call a tool named after `name`
 * whose arguments follow `schema`). Throws ProviderError on any failure, including arguments that
 * do not parse against the schema.
 */
export async function invokeStructured<S extends z.ZodType>(
  model: BaseChatModel,
  schema: S,
  messages: BaseMessageLike[],
  opts: InvokeOptions & { name: string; description?: string },
): Promise<z.infer<S>> {
  const { signal, timeoutMs } = callSignal(model, opts);
  try {
    const runnable = model.withStructuredOutput(
      schema as never,
      {
        method: "functionCalling",
        name: opts.name,
        ...(opts.description ? { description: opts.description } : {}),
      } as never,
    );
    const out: unknown = await untilAborted(runnable.invoke(messages, { signal }), signal);
    const parsed = schema.safeParse(out);
    if (!parsed.success)
      throw new ProviderError(
        providerName(model),
        `structured reply did not match the schema: ${parsed.error.message}`,
      );
    return parsed.data as z.infer<S>;
  } catch (err) {
    throw wrap(model, err, timeoutMs, signal);
  }
}
