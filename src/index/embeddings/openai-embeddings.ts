/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, TEI, llama.cpp
 * server, Ollama's /v1, SiliconFlow, …) through LangChain's `OpenAIEmbeddings`, wrapped so that
 * - it declares its identity (provider `openai`, the model as `modelId`) for the index;
 * - every failure becomes a `ProviderError` that says what to check;
 * - vectors are requested as floats (`encoding_format: "float"`): the openai SDK otherwise asks for
 *   base64, which several OpenAI-compatible servers do not implement;
 * - empty texts are sent as one space (OpenAI-compatible servers reject empty input);
 * - every reply is checked (one finite vector per text, one length).
 */
import type { EmbeddingsParams } from "@langchain/core/embeddings";
import type { OpenAIEmbeddings } from "@langchain/openai";
import { checkVectors, endpointError, type EndpointInfo } from "./endpoint-error.js";
import { IdentifiedEmbeddings } from "./identified-embeddings.js";

export interface OpenAICompatibleEmbeddingsOptions {
  model: string;
  /** e.g. http://127.0.0.1:8000/v1; default OpenAI's own API. */
  baseUrl?: string;
  /** Servers that need none (vLLM, TEI, …) get a placeholder key. */
  apiKey?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Retries on transient errors (default 2; tests use 0). */
  maxRetries?: number;
  /** Ask the server for this many dimensions (only models that support it, e.g. text-embedding-3-*). */
  dimensions?: number;
}

/** A non-empty key for endpoints that need no authentication (the client refuses an empty one). */
export const PLACEHOLDER_API_KEY = "not-needed";

export class OpenAICompatibleEmbeddings extends IdentifiedEmbeddings {
  readonly provider = "openai";
  readonly modelId: string;
  /** The LangChain client, made on first use: importing @langchain/openai costs ~0.5-1.8 s, which no command that never embeds should pay (a no-change ingest, `npm run extract`). */
  private readonly inner: () => Promise<OpenAIEmbeddings>;
  private readonly info: EndpointInfo;

  constructor(options: OpenAICompatibleEmbeddingsOptions, params: EmbeddingsParams = {}) {
    super(params);
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.modelId = `${options.model}${options.dimensions ? `:${options.dimensions}` : ""}`;
    this.info = {
      provider: `openai embeddings (${options.model})`,
      url: options.baseUrl ?? "https://api.openai.com/v1",
      model: options.model,
      timeoutMs,
    };
    let client: Promise<OpenAIEmbeddings> | null = null;
    this.inner = () =>
      (client ??= import("@langchain/openai").then(
        ({ OpenAIEmbeddings }) =>
          new OpenAIEmbeddings({
            model: options.model,
            apiKey: options.apiKey || PLACEHOLDER_API_KEY,
            batchSize: options.batchSize ?? 64,
            timeout: timeoutMs,
            maxRetries: options.maxRetries ?? 2,
            encodingFormat: "float",
            ...(options.dimensions ? { dimensions: options.dimensions } : {}),
            configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
          }),
      ));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    let vectors: unknown;
    try {
      vectors = await (await this.inner()).embedDocuments(texts.map(nonEmpty));
    } catch (err) {
      throw endpointError(this.info, err);
    }
    return checkVectors(this.info, texts.length, vectors);
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0]!;
  }
}

export function nonEmpty(text: string): string {
  return text.trim() === "" ? " " : text;
}
