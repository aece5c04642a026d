import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../errors.js";
import { createEmbeddings } from "./create-embeddings.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import { embedderId } from "./identified-embeddings.js";
import { OllamaEndpointEmbeddings } from "./ollama-embeddings.js";
import { OnnxEmbeddings } from "./onnx-embeddings.js";
import { OpenAICompatibleEmbeddings } from "./openai-embeddings.js";

const tinyModel = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../test/fixtures/tiny-model");

describe("createEmbeddings", () => {
  it("builds the hashing embedder by default, with the configured dimensions", async () => {
    const e = createEmbeddings({ provider: "hashing", dimensions: 64 });
    expect(e).toBeInstanceOf(HashingEmbeddings);
    expect(await e.embedQuery("快递安全")).toHaveLength(64);
    expect(e.id).toContain("64");
  });

  it("builds each provider with an id naming provider and model", () => {
    const openai = createEmbeddings({
      provider: "openai",
      model: "bge-m3",
      baseUrl: "http://127.0.0.1:9/v1",
      dimensions: 1024,
    });
    const ollama = createEmbeddings({ provider: "ollama", model: "bge-m3", dimensions: 1024 });
    const onnx = createEmbeddings({ provider: "onnx", modelDir: tinyModel, dimensions: 1024 });
    expect(openai).toBeInstanceOf(OpenAICompatibleEmbeddings);
    expect(ollama).toBeInstanceOf(OllamaEndpointEmbeddings);
    expect(onnx).toBeInstanceOf(OnnxEmbeddings);
    expect([openai.id, ollama.id, onnx.id]).toEqual(["openai:bge-m3", "ollama:bge-m3", "onnx:tiny-model:16"]);
  });

  it("ids differ between embedders that must not be mixed", () => {
    const ids = new Set([
      createEmbeddings({ provider: "hashing", dimensions: 64 }).id,
      createEmbeddings({ provider: "hashing", dimensions: 128 }).id,
      createEmbeddings({ provider: "openai", model: "a", dimensions: 64 }).id,
      createEmbeddings({ provider: "openai", model: "b", dimensions: 64 }).id,
      createEmbeddings({ provider: "ollama", model: "a", dimensions: 64 }).id,
    ]);
    expect(ids.size).toBe(5);
  });

  it("refuses missing settings with ConfigError", () => {
    expect(() => createEmbeddings({ provider: "onnx", dimensions: 64 })).toThrow(ConfigError);
    expect(() => createEmbeddings({ provider: "onnx", dimensions: 64 })).toThrow(/EMBEDDINGS_MODEL_DIR/);
    expect(() => createEmbeddings({ provider: "openai", dimensions: 64 })).toThrow(/EMBEDDINGS_MODEL/);
    expect(() => createEmbeddings({ provider: "ollama", dimensions: 64 })).toThrow(/EMBEDDINGS_MODEL/);
  });
});

describe("embedderId", () => {
  it("returns the id of a factory-built embedder and refuses one without", () => {
    expect(embedderId(createEmbeddings({ provider: "openai", model: "m", dimensions: 64 }))).toBe("openai:m");
    class Anonymous extends Embeddings {
      async embedDocuments(t: string[]) {
        return t.map(() => [1]);
      }
      async embedQuery() {
        return [1];
      }
    }
    expect(() => embedderId(new Anonymous({}))).toThrow(/createEmbeddings/);
  });
});
