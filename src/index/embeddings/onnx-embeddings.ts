/**
 * Embeddings from a local transformers.js model folder (EMBEDDINGS_MODEL_DIR), fully offline:
 * `config.json`, `tokenizer.json` (+ `tokenizer_config.json`) and `onnx/model.onnx`
 * (or only `onnx/model_quantized.onnx`), e.g. a converted bge-small-zh / bge-m3 / m3e model.
 *
 * We use LangChain's `HuggingFaceTransformersEmbeddings` (@langchain/community) rather than our own
 * pipeline code: it can be pointed at a local folder, because transformers.js treats a model name
 * that is not a Hub id (an absolute path) as a path, and we turn remote loading off both globally
 * (`env.allowRemoteModels = false`) and per load (`local_files_only: true`). It already does
 * feature-extraction with mean pooling + L2 normalisation. What we add:
 * - checking the folder up front, with an error that names the missing file;
 * - a declared identity (provider `onnx`, modelId `<folder name>:<hidden size>`);
 * - sequential batches of `batchSize` texts (the class reads no batch size from its constructor
 *   and would otherwise run every 512-text batch at once), no retries;
 * - errors from loading/running the model as `ProviderError`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { EmbeddingsParams } from "@langchain/core/embeddings";
import { HuggingFaceTransformersEmbeddings } from "@langchain/community/embeddings/huggingface_transformers";
import { ConfigError, ProviderError } from "../../errors.js";
import { IdentifiedEmbeddings } from "./identified-embeddings.js";

export interface OnnxEmbeddingsOptions {
  /** A local transformers.js model folder. */
  modelDir: string;
  /** Texts per forward pass (default 16; memory grows with batch × longest text). */
  batchSize?: number;
}

const REQUIRED = ["config.json", "tokenizer.json"] as const;

/** Which ONNX file to load: full precision when present, else the quantised export. */
function pickDtype(dir: string): "fp32" | "q8" {
  if (existsSync(path.join(dir, "onnx", "model.onnx"))) return "fp32";
  if (existsSync(path.join(dir, "onnx", "model_quantized.onnx"))) return "q8";
  throw new ConfigError(
    `EMBEDDINGS_MODEL_DIR ${dir} has no onnx/model.onnx (nor onnx/model_quantized.onnx); point it at a transformers.js model folder (config.json, tokenizer.json, onnx/model.onnx), e.g. one exported with optimum or downloaded from a Xenova/* repository, or unset EMBEDDINGS_PROVIDER to use the built-in embedder.`,
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? text
  );
}

export class OnnxEmbeddings extends IdentifiedEmbeddings {
  readonly provider = "onnx";
  readonly modelId: string;
  /** Vector size from config.json (`hidden_size`), when it says. */
  readonly dimensions: number | undefined;
  private readonly inner: HuggingFaceTransformersEmbeddings;
  private readonly batchSize: number;
  private readonly dir: string;
  private offline: Promise<void> | undefined;

  constructor(options: OnnxEmbeddingsOptions, params: EmbeddingsParams = {}) {
    super(params);
    const dir = path.resolve(options.modelDir);
    this.dir = dir;
    if (!existsSync(dir))
      throw new ConfigError(
        `EMBEDDINGS_MODEL_DIR ${dir} does not exist; set it to a local transformers.js model folder (config.json, tokenizer.json, onnx/model.onnx).`,
      );
    for (const f of REQUIRED)
      if (!existsSync(path.join(dir, f)))
        throw new ConfigError(
          `EMBEDDINGS_MODEL_DIR ${dir} has no ${f}; it must be a transformers.js model folder (config.json, tokenizer.json, onnx/model.onnx).`,
        );
    const dtype = pickDtype(dir);
    let hidden: unknown;
    try {
      hidden = (JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8")) as { hidden_size?: unknown })
        .hidden_size;
    } catch (err) {
      throw new ConfigError(`EMBEDDINGS_MODEL_DIR ${dir}: config.json is not valid JSON (${(err as Error).message}).`, {
        cause: err,
      });
    }
    this.dimensions = typeof hidden === "number" ? hidden : undefined;
    this.modelId = `${path.basename(dir)}${this.dimensions ? `:${this.dimensions}` : ""}`;
    this.batchSize = Math.max(1, options.batchSize ?? 16);

    this.inner = new HuggingFaceTransformersEmbeddings({
      // An absolute path is not a Hub id, so transformers.js reads the files from it directly.
      model: dir,
      stripNewLines: true,
      maxRetries: 0,
      maxConcurrency: 1,
      pretrainedOptions: { local_files_only: true, dtype, device: "cpu" },
      pipelineOptions: { pooling: "mean", normalize: true },
    });
    this.inner.batchSize = this.batchSize;
  }

  /**
   * Offline only: never reach the Hugging Face Hub. Loaded on first use (not at import) because
   * transformers.js loads onnxruntime's native binding, which the default embedder never needs.
   */
  private goOffline(): Promise<void> {
    return (this.offline ??= import("@huggingface/transformers").then(({ env }) => {
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = path.dirname(this.dir);
    }));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    await this.goOffline();
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      let vectors: number[][];
      try {
        vectors = await this.inner.embedDocuments(texts.slice(i, i + this.batchSize));
      } catch (err) {
        throw new ProviderError(
          `onnx embeddings (${path.basename(this.dir)})`,
          `running the model in ${this.dir} failed: ${firstLine(err)}; check that the folder holds a complete transformers.js feature-extraction model, or unset EMBEDDINGS_PROVIDER to use the built-in embedder.`,
          { cause: err },
        );
      }
      out.push(...vectors);
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0]!;
  }
}
