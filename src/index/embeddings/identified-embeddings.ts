/**
 * An embedder with a stable identity.
 *
 * Every embedder the factory returns carries `id`, a short string naming the provider, the model
 * and (when known up front) the vector size, e.g. `hashing-v1:d1024:…` (HashingEmbeddings, which also
 * encodes its feature weights), `onnx:bge-small-zh:512` (folder name + config.json hidden_size),
 * `openai:bge-m3`, `ollama:bge-m3`. The index stores it next to the vectors and refuses to mix
 * vectors of two embedders (query vectors from one model are meaningless against another's).
 * For HTTP providers the vector size is not known before the first call, so the id is
 * `provider:model`; the index also records the vector length it actually stored.
 */
import type { Embeddings } from "@langchain/core/embeddings";

export type IdentifiedEmbeddings = Embeddings & { readonly id: string };

/** The embedder's `id`, or a clear error when it has none (an embedder built outside the factory). */
export function embeddingsId(embeddings: Embeddings): string {
  const id = (embeddings as Partial<IdentifiedEmbeddings>).id;
  if (typeof id !== "string" || id === "")
    throw new TypeError("this embedder has no `id`; build it with createEmbeddings() so the index can tell embedders apart");
  return id;
}
