/**
 * ask: extractive answers with citations, abstention, follow-ups, and the LLM path against a fake
 * OpenAI-compatible server on loopback (real HTTP): good answer, invented citation, no citation,
 * timeout, HTTP 500.
 */
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAsker } from "../src/assistant/ask/create-asker.js";
import { createChatModel } from "../src/llm/create-chat-model.js";
import { ART29, BUL3, HENAN44, fixtureRetrieve } from "./ask-fixtures.js";
import { hang, httpError, reply, startFakeOpenAI, toolCall, type FakeOpenAI } from "./fakes/fake-openai-server.js";

const promptsDir = fileURLToPath(new URL("../prompts/", import.meta.url));
const MARKS = /\[(\d+)\]/g;
const marks = (s: string) => [...s.matchAll(MARKS)].map((m) => Number(m[1]));

describe("extractive answer (no LLM)", () => {
  const { retrieve } = fixtureRetrieve();
  const asker = createAsker({ retrieve, model: null, promptsDir, threshold: 0.3 });

  it("answers the shutdown-notice question from 快递暂行条例 第二十九条 with a citation on every sentence", async () => {
    const r = await asker.ask("快递企业停业要提前多久公告？");
    expect(r.abstained).toBe(false);
    expect(r.via).toBe("extractive");
    expect(r.answer).toContain("提前10日向社会公告");
    const c1 = r.citations[0]!;
    expect(c1).toMatchObject({
      n: 1,
      title: "快递暂行条例",
      section: "第二十九条",
      date: "2018-03-02",
      chunkId: ART29.id,
    });
    expect(c1.path).toMatch(/快递暂行条例\.md$/);
    expect(c1.quote).toContain("应当提前10日向社会公告");
    // every sentence carries a valid [n]
    for (const s of r.answer.split(/(?<=。)/).filter((x) => x.trim())) expect(s).toMatch(/\[\d+\]/);
    for (const n of marks(r.answer)) expect(r.citations.some((c) => c.n === n)).toBe(true);
    // numbered by first use
    expect(marks(r.answer)[0]).toBe(1);
  });

  it("quotes the bulletin as published (traditional characters, pinyin) while answering in simplified", async () => {
    const r = await asker.ask("纪念活动期间进京邮件落实了什么措施？");
    expect(r.abstained).toBe(false);
    expect(r.answer).toContain("三个100%");
    const c = r.citations.find((x) => x.chunkId === BUL3.id)!;
    expect(c.quote).toContain("落實了“三個100%”措施");
    expect(c.quote).toContain("(tǒng)");
    expect(c.date).toBe("2015-09-30");
  });

  it("abstains on an out-of-domain question", async () => {
    const r = await asker.ask("明天北京天气怎么样？");
    expect(r.abstained).toBe(true);
    expect(r.citations).toEqual([]);
    expect(r.answer).toMatch(/没有找到/);
  });

  it("abstains when nothing is retrieved", async () => {
    const a = createAsker({ retrieve: async () => [], model: null, promptsDir, threshold: 0.3 });
    expect((await a.ask("快递企业停业要提前多久公告？")).abstained).toBe(true);
  });

  it("the threshold decides: the same support abstains above it and answers below it", async () => {
    const r = await asker.ask("快递企业停业要提前多久公告？");
    const high = createAsker({ retrieve, model: null, promptsDir, threshold: r.support! + 0.01 });
    expect((await high.ask("快递企业停业要提前多久公告？")).abstained).toBe(true);
  });

  it("rejects an empty question with a message that says what to ask", async () => {
    await expect(asker.ask("  ")).rejects.toThrow(/empty/);
  });
});

describe("follow-up questions", () => {
  it("'还有别的要求吗？' searches the previous question and excludes what was already cited", async () => {
    const { retrieve, calls } = fixtureRetrieve();
    const asker = createAsker({ retrieve, model: null, promptsDir, threshold: 0.2 });
    const first = await asker.ask("快递企业停业要提前多久公告？");
    const before_ = calls.length;
    const second = await asker.ask("还有别的要求吗？", {
      history: [{ question: first.question, answer: first.answer, citations: first.citations }],
    });
    // The follow-up searches the previous question again (the thesaurus expands it inside the retrievers).
    expect(calls[before_]).toBe("快递企业停业要提前多久公告？");
    expect(second.standaloneQuestion).toBe("快递企业停业要提前多久公告？");
    const before = new Set(first.citations.map((c) => c.chunkId));
    for (const c of second.citations) expect(before.has(c.chunkId)).toBe(false);
  });

  it("'那第二条呢？' becomes the previous topic + 第二条", async () => {
    const { retrieve, calls } = fixtureRetrieve();
    const asker = createAsker({ retrieve, model: null, promptsDir, threshold: 0.2 });
    await asker.ask("那第二条呢？", { history: [{ question: "快递暂行条例第一条是什么？" }] });
    expect(calls[0]).toBe("快递暂行条例第二条");
  });
});

describe("LLM path against a fake OpenAI-compatible server", () => {
  let fake: FakeOpenAI;
  let warnings: string[];
  beforeEach(async () => {
    fake = await startFakeOpenAI();
    warnings = [];
  });
  afterEach(async () => {
    await fake.close();
  });
  const asker = (timeoutMs = 3000) =>
    createAsker({
      retrieve: fixtureRetrieve().retrieve,
      model: createChatModel(
        { provider: "openai", baseUrl: fake.baseUrl, apiKey: "k", model: "fake-model", timeoutMs, temperature: 0 },
        { maxRetries: 0 },
      ),
      promptsDir,
      threshold: 0.3,
      // the statute-term queries have their own tests (test/ask-statute-queries.test.ts)
      statuteQueries: false,
      log: (l) => warnings.push(l),
    });

  const promptOf = (i: number): string =>
    fake.requests[i]!.body.messages.map((m: { content: string }) => m.content).join("\n");

  it("good answer: sources numbered in the prompt, function calling, citations validated and renumbered", async () => {
    fake.respond = (req) => {
      const prompt: string = req.body.messages.map((m: { content: string }) => m.content).join("\n");
      const n = Number(/\[(\d+)\] 《快递暂行条例》第二十九条/.exec(prompt)![1]);
      return toolCall("answer", { answer: `快递企业停止经营的，应当提前10日向社会公告[${n}]。`, abstain: false });
    };
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.via).toBe("llm");
    expect(r.answer).toBe("快递企业停止经营的，应当提前10日向社会公告[1]。");
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]).toMatchObject({ n: 1, title: "快递暂行条例", section: "第二十九条" });
    expect(r.citations[0]!.quote).toContain("提前10日向社会公告");
    const body = fake.requests[0]!.body;
    expect(body.tools[0].function.name).toBe("answer");
    expect(body.response_format?.type).not.toBe("json_schema");
    expect(promptOf(0)).toMatch(/\[1\] 《/);
    expect(promptOf(0)).toContain("问题：快递企业停业要提前多久公告？");
    expect(warnings).toEqual([]);
  });

  it("invented citation [9]: removed and the sentence re-attributed to the source that supports it", async () => {
    fake.enqueue(
      toolCall("answer", { answer: "经营快递业务的企业停止经营的，应当提前10日向社会公告[9]。", abstain: false }),
    );
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.answer).not.toContain("[9]");
    for (const n of marks(r.answer)) expect(r.citations.map((c) => c.n)).toContain(n);
    expect(r.via).toBe("llm");
    expect(r.answer).toBe("经营快递业务的企业停止经营的，应当提前10日向社会公告[1]。");
    expect(r.citations[0]!.title).toBe("快递暂行条例");
    expect(r.warnings?.join(" ")).toMatch(/\[9\]/);
  });

  it("invented citation with an unsupported claim: falls back to the extractive answer with a warning", async () => {
    fake.enqueue(toolCall("answer", { answer: "快递企业停业需提前三十天报国务院批准[9]。", abstain: false }));
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.via).toBe("extractive");
    expect(r.answer).toContain("提前10日");
    expect(r.warnings?.[0]).toMatch(/rejected/);
    expect(warnings.join("\n")).toMatch(/rejected/);
  });

  it("no citation at all and nothing to attribute: falls back", async () => {
    fake.enqueue(toolCall("answer", { answer: "这个问题要看具体情况，建议咨询当地主管部门。", abstain: false }));
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.via).toBe("extractive");
    expect(r.warnings?.[0]).toMatch(/cites no source/);
  });

  it("a model that ignores the tool and answers in plain text: falls back", async () => {
    fake.enqueue(reply("提前10日[1]。"));
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.via).toBe("extractive");
    expect(r.abstained).toBe(false);
    expect(r.warnings?.length).toBe(1);
  });

  it("timeout: falls back with a warning, no exception", async () => {
    fake.enqueue(hang());
    const r = await asker(300).ask("快递企业停业要提前多久公告？");
    expect(r.via).toBe("extractive");
    expect(r.answer).toContain("提前10日");
    expect(r.warnings?.[0]).toMatch(/300 ms/);
  });

  it("HTTP 500: falls back with a warning, no exception", async () => {
    fake.setDefault(httpError(500, "upstream exploded"));
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.via).toBe("extractive");
    expect(r.warnings?.[0]).toMatch(/failed/);
    expect(fake.requests.length).toBe(1);
  });

  it("the model is not asked when support is below the threshold (abstains)", async () => {
    const r = await asker().ask("明天北京天气怎么样？");
    expect(r.abstained).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it("the model may abstain", async () => {
    fake.enqueue(toolCall("answer", { answer: "", abstain: true }));
    const r = await asker().ask("快递企业停业要提前多久公告？");
    expect(r.abstained).toBe(true);
    expect(r.via).toBe("llm");
  });

  it("follow-ups are rewritten by the model through prompts/rewrite.md", async () => {
    fake.enqueue(toolCall("standalone_question", { question: "河南省快递企业临时歇业要提前几日告知？" }));
    fake.enqueue(toolCall("answer", { answer: "应当按照规定提前七日书面告知邮政管理部门[1]。", abstain: false }));
    const r = await asker().ask("那河南呢？", { history: [{ question: "快递企业停业要提前多久公告？" }] });
    expect(r.standaloneQuestion).toBe("河南省快递企业临时歇业要提前几日告知？");
    expect(fake.requests[0]!.body.tools[0].function.name).toBe("standalone_question");
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain("那河南呢");
    expect(r.via).toBe("llm");
    expect(r.citations[0]!.chunkId).toBe(HENAN44.id);
  });
});

describe("quantities in re-attributed sentences", () => {
  it("reads Arabic and Chinese numerals alike", async () => {
    const { numeralValue, quantitiesSupported } = await import("../src/assistant/ask/llm-answer.js");
    expect(numeralValue("三十")).toBe(30);
    expect(numeralValue("一百八十")).toBe(180);
    expect(numeralValue("十五")).toBe(15);
    expect(numeralValue("2828")).toBe(2828);
    expect(numeralValue("五万")).toBe(50000);
    expect(quantitiesSupported("应当提前十日公告", "应当提前10日向社会公告")).toBe(true);
    expect(quantitiesSupported("需提前三十天报批", "应当提前10日向社会公告")).toBe(false);
  });
});

describe("follow-ups from channels that keep only question and answer", () => {
  it("'还有别的要求吗？' leaves out passages the previous answer already gave", async () => {
    const { retrieve } = fixtureRetrieve();
    const asker = createAsker({ retrieve, model: null, promptsDir, threshold: 0.2 });
    const first = await asker.ask("快递企业停业要提前多久公告？");
    const second = await asker.ask("还有别的要求吗？", {
      history: [{ question: first.question, answer: first.answer }],
    });
    const before = new Set(first.citations.map((c) => c.chunkId));
    expect(second.citations.length).toBeGreaterThan(0);
    for (const c of second.citations) expect(before.has(c.chunkId)).toBe(false);
  });

  it("turnFrom keeps what follow-ups need", async () => {
    const { turnFrom } = await import("../src/assistant/ask/turn.js");
    const { retrieve } = fixtureRetrieve();
    const asker = createAsker({ retrieve, model: null, promptsDir, threshold: 0.2 });
    const r = await asker.ask("快递企业停业要提前多久公告？");
    const t = turnFrom(r);
    expect(t.question).toBe(r.question);
    expect(t.citations?.[0]?.chunkId).toBe(r.citations[0]!.chunkId);
    expect(t.citations?.[0]).not.toHaveProperty("chunkText");
  });
});
