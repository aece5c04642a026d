import type { Embeddings } from "@langchain/core/embeddings";
import { embeddingsId } from "./embeddings/identified-embeddings.js";

/** The embedder's id, falling back to its class name for embedders built outside the factory. */
export function embedderIdOf(embeddings: Embeddings): string {
  try {
    return embeddingsId(embeddings);
  } catch {
    return embeddings.constructor.name;
  }
}
