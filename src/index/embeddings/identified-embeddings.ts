/**
 * An embedder that declares its identity, as the AI SDK's models declare theirs: `provider` and
 * `modelId`. Every embedder the factory returns is one: `hashing-v1` (HashingEmbeddings; the model
 * id encodes the vector size and the feature weights, e.g. `d1024:w1:b0.5:t0.3:u1`), `onnx` (folder
 * name + config.json hidden_size, e.g. `bge-small-zh:512`), `openai` and `ollama` (the model name).
 * The index records `provider:modelId` next to the vectors and refuses to mix vectors of two
 * embedders (query vectors from one model are meaningless against another's). For HTTP providers
 * the vector size is not known before the first call; the index also records the length it stored.
 */
import { Embeddings, type EmbeddingsInterface } from "@langchain/core/embeddings";

export interface EmbedderIdentity {
  /** Who computes the vectors, with the version of the algorithm where it is ours (`hashing-v1`). */
  readonly provider: string;
  /** Which model of that provider, with whatever changes its vectors (size, weights). */
  readonly modelId: string;
}

export abstract class IdentifiedEmbeddings extends Embeddings implements EmbedderIdentity {
  abstract readonly provider: string;
  abstract readonly modelId: string;

  /** `provider:modelId`, what the index records. */
  get id(): string {
    return embedderId(this);
  }
}

/** `provider:modelId` of an embedder, or a clear error for one that declares no identity. */
export function embedderId(embeddings: EmbeddingsInterface): string {
  const { provider, modelId } = embeddings as Partial<EmbedderIdentity>;
  if (typeof provider !== "string" || provider === "" || typeof modelId !== "string" || modelId === "")
    throw new TypeError(
      "this embedder declares no `provider` and `modelId`; build it with createEmbeddings() so the index can tell embedders apart",
    );
  return `${provider}:${modelId}`;
}
