/**
 * Failure paths of the embedding providers: endpoint down, HTTP 500, hanging server, wrong URL,
 * broken model folders. Every one must end in an error that says what to do.
 * Also checks what the HTTP providers actually send, and that the committed tiny model equals a
 * fresh generation.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, ProviderError } from "../src/errors.js";
import { createEmbeddings } from "../src/index/embeddings/create-embeddings.js";
import { startFakeEmbeddingsServer, fakeVector, type FakeEmbeddingsServer } from "./fakes/fake-embeddings-server.js";
import { makeTinyModel } from "./fixtures/make-tiny-model.js";

const committedModel = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "tiny-model");

let fake: FakeEmbeddingsServer;
let tmp: string;
beforeAll(async () => {
  fake = await startFakeEmbeddingsServer({ dimensions: 24 });
  tmp = mkdtempSync(path.join(os.tmpdir(), "h8-embeddings-errors-"));
});
afterEach(() => {
  fake.mode = "ok";
  fake.requests.length = 0;
});
afterAll(async () => {
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A loopback URL nothing listens on (a fake server started and closed again). */
async function deadPort(): Promise<{ openai: string; ollama: string }> {
  const s = await startFakeEmbeddingsServer();
  const urls = { openai: s.openaiBaseUrl, ollama: s.ollamaBaseUrl };
  await s.close();
  return urls;
}

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail");
}

const base = { dimensions: 1024 } as const;

describe.each(["openai", "ollama"] as const)("%s provider errors", (provider) => {
  const url = () => (provider === "openai" ? fake.openaiBaseUrl : fake.ollamaBaseUrl);

  it("endpoint down → ProviderError: could not reach …; is it running?", async () => {
    const dead = await deadPort();
    const deadUrl = provider === "openai" ? dead.openai : dead.ollama;
    const e = createEmbeddings({ ...base, provider, model: "bge-m3", baseUrl: deadUrl }, { maxRetries: 0 });
    const err = await caught(e.embedDocuments(["快递安全"]));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain(`could not reach the embeddings endpoint at ${deadUrl}`);
    expect(err.message).toMatch(/is it running\?.*EMBEDDINGS_BASE_URL.*EMBEDDINGS_PROVIDER=hashing/);
  });

  it("HTTP 500 → ProviderError naming the status and what to check", async () => {
    fake.mode = "fail";
    const e = createEmbeddings({ ...base, provider, model: "bge-m3", baseUrl: url() }, { maxRetries: 0 });
    const err = await caught(e.embedQuery("快递安全"));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain(`the embeddings endpoint at ${url()} answered HTTP 500`);
    expect(err.message).toMatch(/check its logs/);
    expect(fake.requests.length).toBe(1);
  });

  it("hanging server → ProviderError after the timeout", async () => {
    fake.mode = "hang";
    const e = createEmbeddings(
      { ...base, provider, model: "bge-m3", baseUrl: url() },
      { maxRetries: 0, timeoutMs: 300 },
    );
    const err = await caught(e.embedDocuments(["快递安全"]));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain(`the embeddings endpoint at ${url()} did not answer within 300 ms`);
  });
});

describe("openai provider requests", () => {
  it("sends model, float encoding, a placeholder key, batches, and non-empty inputs", async () => {
    const e = createEmbeddings(
      { ...base, provider: "openai", model: "bge-m3", baseUrl: fake.openaiBaseUrl },
      { maxRetries: 0, batchSize: 2 },
    );
    const texts = ["快递", "", "邮政", "安全", "管理"];
    const vs = await e.embedDocuments(texts);
    const posts = fake.requests.filter((r) => r.path === "/v1/embeddings");
    expect(posts).toHaveLength(3);
    for (const r of posts) {
      expect(r.body.model).toBe("bge-m3");
      expect(r.body.encoding_format).toBe("float");
      expect(r.headers.authorization).toBe("Bearer not-needed");
    }
    expect(posts.flatMap((r) => r.body.input as string[])).toEqual(["快递", " ", "邮政", "安全", "管理"]);
    expect(vs[2]).toEqual(fakeVector("邮政", 24));
  });

  it("sends the configured API key", async () => {
    const e = createEmbeddings(
      { ...base, provider: "openai", model: "m", baseUrl: fake.openaiBaseUrl, apiKey: "sk-test" },
      { maxRetries: 0 },
    );
    await e.embedQuery("快递");
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer sk-test");
  });

  it("a base URL without /v1 → 404 with a hint about the /v1 suffix", async () => {
    const e = createEmbeddings(
      { ...base, provider: "openai", model: "bge-m3", baseUrl: fake.ollamaBaseUrl },
      { maxRetries: 0 },
    );
    const err = await caught(e.embedQuery("快递"));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/answered HTTP 404.*EMBEDDINGS_MODEL \("bge-m3"\).*\/v1 suffix/);
  });
});

describe("fake embeddings server", () => {
  it("answers base64 (the openai SDK's default encoding) as little-endian float32", async () => {
    const res = await fetch(`${fake.openaiBaseUrl}/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: ["快递"], encoding_format: "base64" }),
    });
    const body = (await res.json()) as { data: { embedding: string }[] };
    const buf = Buffer.from(body.data[0]!.embedding, "base64");
    const floats = Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4));
    expect(floats).toEqual(fakeVector("快递", 24).map(Math.fround));
  });
});

describe("ollama provider requests", () => {
  it("posts batches to /api/embed with the model", async () => {
    const e = createEmbeddings(
      { ...base, provider: "ollama", model: "bge-m3", baseUrl: fake.ollamaBaseUrl },
      { maxRetries: 0, batchSize: 2 },
    );
    const vs = await e.embedDocuments(["快递", "邮政", "安全"]);
    const posts = fake.requests.filter((r) => r.path === "/api/embed");
    expect(posts.map((r) => r.body.input)).toEqual([["快递", "邮政"], ["安全"]]);
    expect(posts.every((r) => r.body.model === "bge-m3")).toBe(true);
    expect(vs[1]).toEqual(fakeVector("邮政", 24));
  });
});

describe("onnx provider: model folder problems", () => {
  const onnx = (modelDir: string) => createEmbeddings({ ...base, provider: "onnx", modelDir });

  function copyModel(name: string): string {
    const dir = path.join(tmp, name);
    mkdirSync(path.join(dir, "onnx"), { recursive: true });
    for (const f of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"])
      copyFileSync(path.join(committedModel, f), path.join(dir, f));
    return dir;
  }

  it("a folder that does not exist → ConfigError", () => {
    expect(() => onnx(path.join(tmp, "nope"))).toThrow(ConfigError);
    expect(() => onnx(path.join(tmp, "nope"))).toThrow(/EMBEDDINGS_MODEL_DIR .*nope does not exist/);
  });

  it("no onnx/model.onnx → ConfigError naming the file", () => {
    const dir = copyModel("no-onnx");
    rmSync(path.join(dir, "onnx"), { recursive: true });
    expect(() => onnx(dir)).toThrow(ConfigError);
    expect(() => onnx(dir)).toThrow(/EMBEDDINGS_MODEL_DIR .*no-onnx has no onnx\/model\.onnx/);
  });

  it("no tokenizer.json → ConfigError naming the file", () => {
    const dir = copyModel("no-tokenizer");
    rmSync(path.join(dir, "tokenizer.json"));
    expect(() => onnx(dir)).toThrow(/EMBEDDINGS_MODEL_DIR .*no-tokenizer has no tokenizer\.json/);
  });

  it("a corrupt model.onnx → ProviderError on first use", async () => {
    const dir = copyModel("corrupt");
    writeFileSync(path.join(dir, "onnx", "model.onnx"), "this is not an onnx model");
    const err = await caught(onnx(dir).embedQuery("快递"));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/running the model in .*corrupt failed/);
  });

  it("a folder with only onnx/model_quantized.onnx is loaded", async () => {
    const dir = copyModel("quantized-only");
    copyFileSync(path.join(dir, "onnx", "model.onnx"), path.join(dir, "onnx", "model_quantized.onnx"));
    rmSync(path.join(dir, "onnx", "model.onnx"));
    const v = await onnx(dir).embedQuery("快递安全");
    expect(v).toHaveLength(16);
  });
});

describe("tiny model fixture", () => {
  it("the committed files equal a fresh generation", () => {
    const dir = path.join(tmp, "fresh");
    makeTinyModel(dir);
    const files = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"];
    expect(readdirSync(path.join(committedModel, "onnx"))).toEqual(["model.onnx"]);
    for (const f of files)
      expect(readFileSync(path.join(dir, f)).equals(readFileSync(path.join(committedModel, f))), f).toBe(true);
  });
});
