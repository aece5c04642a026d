/**
 * With a language model, ask has the question rewritten into statute terms (prompts/rewrite.md,
 * function calling) and fuses those queries' rankings with the question's; against the fake
 * OpenAI-compatible server on loopback.
 */
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAsker } from "../src/assistant/ask/create-asker.js";
import { createChatModel } from "../src/llm/create-chat-model.js";
import { ART29, fixtureRetrieve } from "./ask-fixtures.js";
import { httpError, startFakeOpenAI, toolCall, type FakeOpenAI } from "./fakes/fake-openai-server.js";

const promptsDir = fileURLToPath(new URL("../prompts/", import.meta.url));

describe("statute-term queries from the model", () => {
  let fake: FakeOpenAI;
  let warnings: string[];
  beforeEach(async () => {
    fake = await startFakeOpenAI();
    warnings = [];
  });
  afterEach(async () => {
    await fake.close();
  });
  const asker = (retrieve = fixtureRetrieve().retrieve) =>
    createAsker({
      retrieve,
      model: createChatModel(
        {
          provider: "openai",
          baseUrl: fake.baseUrl,
          apiKey: "k",
          model: "fake-model",
          timeoutMs: 3000,
          temperature: 0,
        },
        { maxRetries: 0 },
      ),
      promptsDir,
      threshold: 0.3,
      log: (l) => warnings.push(l),
    });

  it("asks for statute-term queries, searches each of them and answers from the fused ranking", async () => {
    const { retrieve, calls } = fixtureRetrieve();
    fake.enqueue(
      toolCall("standalone_question", {
        question: "网点倒闭了要提前几天告诉大家？",
        queries: ["快递企业 停止经营 提前 向社会公告", "快递企业 停止经营 提前 向社会公告", ""],
      }),
    );
    fake.respond = (req) => {
      if (req.body.tools?.[0]?.function?.name !== "answer") return undefined;
      const prompt: string = req.body.messages.map((m: { content: string }) => m.content).join("\n");
      const n = Number(/\[(\d+)\] 《快递暂行条例》第二十九条/.exec(prompt)![1]);
      return toolCall("answer", {
        answer: `经营快递业务的企业停止经营的，应当提前10日向社会公告[${n}]。`,
        abstain: false,
      });
    };
    const r = await asker(retrieve).ask("网点倒闭了要提前几天告诉大家？");
    expect(fake.requests[0]!.body.tools[0].function.name).toBe("standalone_question");
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain("法条用语");
    // the question as asked, then the one distinct non-empty query
    expect(calls.slice(0, 2)).toEqual(["网点倒闭了要提前几天告诉大家？", "快递企业 停止经营 提前 向社会公告"]);
    expect(r.standaloneQuestion).toBeUndefined();
    expect(r.abstained).toBe(false);
    expect(r.citations.some((c) => c.chunkId === ART29.id)).toBe(true);
  });

  it("a failing rewrite falls back to the question alone, with a warning", async () => {
    const { retrieve, calls } = fixtureRetrieve();
    fake.enqueue(httpError(500, "down"));
    fake.respond = (req) =>
      req.body.tools?.[0]?.function?.name === "answer"
        ? toolCall("answer", { answer: "应当提前10日向社会公告[1]。", abstain: false })
        : undefined;
    const r = await asker(retrieve).ask("快递企业停业要提前多久公告？");
    expect(calls[0]).toBe("快递企业停业要提前多久公告？");
    expect(warnings.join(" ")).toMatch(/rewrite/);
    expect(r.abstained).toBe(false);
  });
});
