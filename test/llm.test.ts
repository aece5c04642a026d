import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createChatModel, invokeChat, invokeStructured } from "../src/llm/create-chat-model.js";
import { ProviderError } from "../src/errors.js";
import { hang, httpError, reply, startFakeOpenAI, toolCall, type FakeOpenAI } from "./fakes/fake-openai-server.js";

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const config = (timeoutMs = 2000) => ({
  provider: "openai" as const,
  baseUrl: fake.baseUrl,
  apiKey: "test-key",
  model: "fake-model",
  timeoutMs,
  temperature: 0,
});

describe("createChatModel", () => {
  it("returns null when no model is configured", () => {
    expect(createChatModel(null)).toBeNull();
  });

  it("talks to an OpenAI-compatible endpoint over HTTP (chat completions)", async () => {
    const model = createChatModel(config(), { maxRetries: 0 })!;
    fake.enqueue(reply("你好"));
    const text = await invokeChat(model, [
      ["system", "sys"],
      ["human", "问"],
    ]);
    expect(text).toBe("你好");
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.path).toBe("/v1/chat/completions");
    expect(fake.requests[0]!.body.model).toBe("fake-model");
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer test-key");
    expect(fake.requests[0]!.body.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);
  });

  it("builds an Ollama model when asked", () => {
    const m = createChatModel({ ...config(), provider: "ollama", baseUrl: "http://127.0.0.1:1" });
    expect(m?._llmType()).toBe("ollama");
  });
});

describe("invokeChat failures become ProviderError", () => {
  it("HTTP 500", async () => {
    const model = createChatModel(config(), { maxRetries: 0 })!;
    fake.setDefault(httpError(500, "boom"));
    await expect(invokeChat(model, [["human", "x"]])).rejects.toBeInstanceOf(ProviderError);
  });

  it("timeout", async () => {
    const model = createChatModel(config(300), { maxRetries: 0 })!;
    fake.enqueue(hang());
    const err = await invokeChat(model, [["human", "x"]]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/300 ms/);
  });

  it("refused connection", async () => {
    const model = createChatModel({ ...config(), baseUrl: "http://127.0.0.1:9/v1" }, { maxRetries: 0 })!;
    await expect(invokeChat(model, [["human", "x"]])).rejects.toBeInstanceOf(ProviderError);
  });
});

describe("invokeStructured uses function calling, not json_schema", () => {
  const schema = z.object({ answer: z.string(), citations: z.array(z.number().int()) });

  it("sends tools and parses the tool call", async () => {
    const model = createChatModel(config(), { maxRetries: 0 })!;
    fake.enqueue(toolCall("answer", { answer: "要[1]", citations: [1] }));
    const out = await invokeStructured(model, schema, [["human", "x"]], { name: "answer" });
    expect(out).toEqual({ answer: "要[1]", citations: [1] });
    const body = fake.requests[0]!.body;
    expect(body.tools?.[0]?.function?.name).toBe("answer");
    expect(body.response_format?.type).not.toBe("json_schema");
  });

  it("arguments that do not match the schema are a ProviderError", async () => {
    const model = createChatModel(config(), { maxRetries: 0 })!;
    fake.enqueue(toolCall("answer", { answer: 3 }));
    await expect(invokeStructured(model, schema, [["human", "x"]], { name: "answer" })).rejects.toBeInstanceOf(
      ProviderError,
    );
  });
});

describe("invokeChat's timeout does not depend on the model honouring the abort signal", () => {
  it("rejects with ProviderError when a model that ignores the signal is slower than the timeout", async () => {
    const { FakeListChatModel } = await import("@langchain/core/utils/testing");
    // FakeListChatModel sleeps without listening to the signal; without the race it would resolve with "late".
    const slow = new FakeListChatModel({ responses: ["late"], sleep: 3000 });
    await expect(invokeChat(slow, [["human", "你好"]], { timeoutMs: 100 })).rejects.toThrow(ProviderError);
    await expect(
      invokeChat(new FakeListChatModel({ responses: ["在"] }), [["human", "你好"]], { timeoutMs: 1000 }),
    ).resolves.toBe("在");
  });
});
