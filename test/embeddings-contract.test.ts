/**
 * Runs the shared embeddings contract against every implementation the factory can build:
 * hashing (the embedded default), openai and ollama (against the loopback fake server), and
 * onnx (the tiny generated fixture model, loaded by transformers.js with remote loading off).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createEmbeddings } from "../src/index/embeddings/create-embeddings.js";
import { describeEmbeddingsContract } from "../src/index/embeddings/embeddings-contract.js";
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from "./fakes/fake-embeddings-server.js";
import { makeTinyModel } from "./fixtures/make-tiny-model.js";

let fake: FakeEmbeddingsServer;
let tmp: string;
beforeAll(async () => {
  fake = await startFakeEmbeddingsServer({ dimensions: 48 });
  tmp = mkdtempSync(path.join(os.tmpdir(), "h8-embeddings-"));
  makeTinyModel(path.join(tmp, "tiny-model"));
});
afterAll(async () => {
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const committedModel = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "tiny-model");

describeEmbeddingsContract("hashing (default)", () => createEmbeddings({ provider: "hashing", dimensions: 256 }), {
  semantic: true,
});

describeEmbeddingsContract(
  "openai (fake server)",
  () =>
    createEmbeddings(
      { provider: "openai", model: "bge-m3", baseUrl: fake.openaiBaseUrl, dimensions: 1024 },
      { maxRetries: 0, batchSize: 5 },
    ),
  { semantic: true },
);

describeEmbeddingsContract(
  "ollama (fake server)",
  () =>
    createEmbeddings(
      { provider: "ollama", model: "bge-m3", baseUrl: fake.ollamaBaseUrl, dimensions: 1024 },
      { maxRetries: 0, batchSize: 5 },
    ),
  { semantic: true },
);

describeEmbeddingsContract(
  "onnx (committed tiny fixture model)",
  () => createEmbeddings({ provider: "onnx", modelDir: committedModel, dimensions: 1024 }, { batchSize: 4 }),
  { semantic: true },
);

describeEmbeddingsContract(
  "onnx (freshly generated tiny model)",
  () => createEmbeddings({ provider: "onnx", modelDir: path.join(tmp, "tiny-model"), dimensions: 1024 }),
  { semantic: true },
);
