/**
 * Embeddings from an Ollama server (`POST /api/embed`) through LangChain's `OllamaEmbeddings`,
 * wrapped so that it declares its identity (provider `ollama`, the model as `modelId`), a timeout (the ollama client has none:
 * we give it a fetch that aborts after `timeoutMs`), and every failure becomes a `ProviderError`
 * that says what to check. Replies are checked (one finite vector per text, one length).
 */
import type { EmbeddingsParams } from "@langchain/core/embeddings";
import type { OllamaEmbeddings } from "@langchain/ollama";
import { checkVectors, endpointError, type EndpointInfo } from "./endpoint-error.js";
import { IdentifiedEmbeddings } from "./identified-embeddings.js";
import { nonEmpty } from "./openai-embeddings.js";

export interface OllamaEndpointEmbeddingsOptions {
  model: string;
  /** Default http://127.0.0.1:11434. */
  baseUrl?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Retries on transient errors (default 2; tests use 0). */
  maxRetries?: number;
}

export class OllamaEndpointEmbeddings extends IdentifiedEmbeddings {
  readonly provider = "ollama";
  readonly modelId: string;
  /** The LangChain client, made on first use (importing @langchain/ollama costs ~0.5-1.5 s; see openai-embeddings.ts). */
  private readonly inner: () => Promise<OllamaEmbeddings>;
  private readonly info: EndpointInfo;
  private readonly batchSize: number;

  constructor(options: OllamaEndpointEmbeddingsOptions, params: EmbeddingsParams = {}) {
    super(params);
    const timeoutMs = options.timeoutMs ?? 60_000;
    const baseUrl = options.baseUrl ?? "http://127.0.0.1:11434";
    this.modelId = options.model;
    this.batchSize = Math.max(1, options.batchSize ?? 64);
    this.info = { provider: `ollama embeddings (${options.model})`, url: baseUrl, model: options.model, timeoutMs };
    const timedFetch: typeof fetch = (input, init) => {
      const timeout = AbortSignal.timeout(timeoutMs);
      return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    };
    let client: Promise<OllamaEmbeddings> | null = null;
    this.inner = () =>
      (client ??= import("@langchain/ollama").then(
        ({ OllamaEmbeddings }) =>
          new OllamaEmbeddings({
            model: options.model,
            baseUrl,
            fetch: timedFetch,
            maxRetries: options.maxRetries ?? 2,
          }),
      ));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize).map(nonEmpty);
      let vectors: unknown;
      try {
        vectors = await (await this.inner()).embedDocuments(batch);
      } catch (err) {
        throw endpointError(this.info, err);
      }
      out.push(...checkVectors(this.info, batch.length, vectors));
    }
    if (out.length > 0 && out.some((v) => v.length !== out[0]!.length))
      throw endpointError(this.info, new Error("the server returned vectors of different lengths across batches"));
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0]!;
  }
}
