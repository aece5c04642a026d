/**
 * Worker thread of the ingest pool (ingest-pool.ts): load + normalise + chunk one file, then embed
 * every chunk with the embedded HashingEmbeddings and extract its keyword index terms, so that
 * ingest of the embedded default uses more than one core. Only for the hashing embedder: it is
 * pure CPU with no state but its options, so a worker computes exactly the vectors the main
 * thread would (remote embedders stay in the main thread, batching over HTTP).
 *
 * The reply carries the chunks, one Float32Array of every chunk's vector (transferred, not
 * copied) and the terms of each chunk joined by "\n" (one string instead of thousands: cheaper to
 * send), or the reason the file could not be read.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Chunk, DocumentMeta } from "../types.js";
import { contextualText } from "../../index/chunk-text.js";
import { defaultCorpusSource } from "./corpus-source.js";
import { HashingEmbeddings, type HashingEmbeddingsOptions } from "../../index/embeddings/hashing-embeddings.js";
import { indexTerms } from "../../index/tokenize.js";
import { failureReason as errorReason } from "../../errors.js";

export interface IngestTask {
  seq: number;
  path: string;
  root: string;
}

export type IngestTaskResult =
  | {
      seq: number;
      ok: true;
      meta: DocumentMeta;
      chunks: Chunk[];
      /** chunks.length × dimensions, chunk by chunk. */
      vectors: Float32Array;
      /** Per chunk: its index terms joined by "\n", or the array when a term holds a "\n". */
      terms: (string | string[])[];
    }
  | { seq: number; ok: false; reason: string };

export interface IngestWorkerData {
  embedder: HashingEmbeddingsOptions;
  /** The embedder id the main thread expects; a worker whose embedder differs refuses to start. */
  embedderId: string;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("ingest-worker.ts runs as a worker thread (ingest-pool.ts)");
  const data = workerData as IngestWorkerData;
  const embedder = new HashingEmbeddings(data.embedder);
  if (embedder.id !== data.embedderId)
    throw new Error(`ingest worker: embedder ${embedder.id} differs from ${data.embedderId}`);
  const source = await defaultCorpusSource();
  port.on("message", async (task: IngestTask) => {
    let reply: IngestTaskResult;
    const transfer: ArrayBuffer[] = [];
    try {
      const parsed = await source.load(task.path, task.root);
      const chunks = source.chunk(parsed);
      const dims = embedder.dimensions;
      const vectors = new Float32Array(chunks.length * dims);
      const terms: (string | string[])[] = [];
      chunks.forEach((c, i) => {
        const text = contextualText(c, parsed.meta);
        vectors.set(embedder.embedText(text), i * dims);
        const t = indexTerms(text); // the words of `text` are remembered from embedText (tokenize.ts)
        terms.push(t.some((x) => x.includes("\n")) ? t : t.join("\n"));
      });
      reply = { seq: task.seq, ok: true, meta: parsed.meta, chunks, vectors, terms };
      transfer.push(vectors.buffer);
    } catch (err) {
      reply = { seq: task.seq, ok: false, reason: errorReason(err) };
    }
    port.postMessage(reply, transfer);
  });
  port.postMessage({ ready: true });
}

main().catch((err) => {
  // reported to the pool as the worker's error event; the pool falls back to the main thread
  throw err;
});
