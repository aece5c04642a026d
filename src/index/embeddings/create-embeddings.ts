/**
 * The embeddings factory: the one place that turns `config.embeddings` into an embedder.
 *
 *   hashing (default) → HashingEmbeddings: offline, no weights (src/index/embeddings/hashing-embeddings.ts)
 *   openai            → any OpenAI-compatible /v1/embeddings endpoint (OpenAI, vLLM, TEI, …)
 *   ollama            → an Ollama server's /api/embed
 *   onnx              → a local transformers.js model folder (EMBEDDINGS_MODEL_DIR), offline
 *
 * Every embedder returned declares `provider` and `modelId` (identified-embeddings.ts), which the index records
 * to refuse mixing embedders. HTTP failures surface as `ProviderError` with an actionable
 * message; a bad model folder as `ConfigError` (thrown here, at creation).
 */
import { ConfigError } from "../../errors.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import type { IdentifiedEmbeddings } from "./identified-embeddings.js";
import { OllamaEndpointEmbeddings } from "./ollama-embeddings.js";
import { OnnxEmbeddings } from "./onnx-embeddings.js";
import { OpenAICompatibleEmbeddings } from "./openai-embeddings.js";

export type EmbeddingsProvider = "hashing" | "openai" | "ollama" | "onnx";

/** The embedder settings (EMBEDDINGS_*, VECTOR_INDEX; read and validated by src/config/config.ts). */
export interface EmbeddingsConfig {
  provider: EmbeddingsProvider;
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  modelDir?: string;
  /** Dimensions of the embedded hashing embedder. */
  dimensions: number;
  /** HTTP embedders: per-request timeout and retries on transient errors (EMBEDDINGS_TIMEOUT_MS, EMBEDDINGS_MAX_RETRIES). */
  timeoutMs?: number;
  maxRetries?: number;
  /**
   * Vector index form built at ingest: auto (exact flat scan for sparse vectors such as the
   * hashing embedder's, HNSW graph for dense ones), or forced.
   */
  vectorIndex?: "auto" | "hnsw" | "flat";
}

export interface CreateEmbeddingsOptions {
  /** HTTP providers: per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** HTTP providers: retries on transient errors (default 2; tests use 0). */
  maxRetries?: number;
  /** Texts per request / forward pass (default 64 for HTTP, 16 for onnx). */
  batchSize?: number;
}

export function createEmbeddings(cfg: EmbeddingsConfig, options: CreateEmbeddingsOptions = {}): IdentifiedEmbeddings {
  switch (cfg.provider) {
    case "hashing":
      return new HashingEmbeddings({ dimensions: cfg.dimensions });
    case "openai":
      return new OpenAICompatibleEmbeddings({
        model: requireModel(cfg),
        baseUrl: cfg.baseUrl,
        apiKey: cfg.apiKey,
        timeoutMs: options.timeoutMs,
        maxRetries: options.maxRetries,
        batchSize: options.batchSize,
      });
    case "ollama":
      return new OllamaEndpointEmbeddings({
        model: requireModel(cfg),
        baseUrl: cfg.baseUrl,
        timeoutMs: options.timeoutMs,
        maxRetries: options.maxRetries,
        batchSize: options.batchSize,
      });
    case "onnx":
      if (!cfg.modelDir)
        throw new ConfigError(
          "EMBEDDINGS_PROVIDER=onnx needs EMBEDDINGS_MODEL_DIR, a local transformers.js model folder (config.json, tokenizer.json, onnx/model.onnx).",
        );
      return new OnnxEmbeddings({ modelDir: cfg.modelDir, batchSize: options.batchSize });
    default: {
      const never: never = cfg.provider;
      throw new ConfigError(`unknown EMBEDDINGS_PROVIDER "${String(never)}"; use hashing, openai, ollama or onnx.`);
    }
  }
}

function requireModel(cfg: EmbeddingsConfig): string {
  if (!cfg.model)
    throw new ConfigError(`EMBEDDINGS_PROVIDER=${cfg.provider} needs EMBEDDINGS_MODEL (for example bge-m3).`);
  return cfg.model;
}
