/**
 * The draft command with a language model, through src/app.ts: a fake OpenAI-compatible server on
 * 127.0.0.1 and an index of corpus/ (the two bulletins) in a temp INDEX_DIR, so the prompt carries
 * the most similar bulletin(s) as style examples.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/channels/cli/main.js";
import { captureIo } from "./fakes/capture-io.js";
import { httpError, reply, startFakeOpenAI, type FakeOpenAI } from "./fakes/fake-openai-server.js";

const io = (env: Record<string, string>) => captureIo({ env });

let tmp: string;
let fake: FakeOpenAI;
let env: Record<string, string>;
const notes = "evals/draft/2015-summary-teleconference.txt";

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "draft-llm-app-"));
  fake = await startFakeOpenAI();
  env = {
    INDEX_DIR: join(tmp, "data"),
    LLM_PROVIDER: "openai",
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake-model",
    LLM_TIMEOUT_MS: "5000",
  };
  const t = io({ INDEX_DIR: env.INDEX_DIR! });
  expect(await runCli(["ingest", "--corpus", "corpus"], t.io)).toBe(0);
}, 120_000);
afterAll(async () => {
  await fake.close();
  await rm(tmp, { recursive: true, force: true });
});

describe("draft with a model (fake OpenAI server)", () => {
  it("sends the notes and the most similar bulletins as style examples, and returns the model's draft", async () => {
    // a complete and faithful reply: the template draft (without a model) of the same notes
    const plain = io({ INDEX_DIR: env.INDEX_DIR! });
    expect(await runCli(["draft", "--json", notes], plain.io)).toBe(0);
    const template = JSON.parse(plain.out()) as { title: string; text: string };
    fake.enqueue(reply(`${template.title}\n\n${template.text}`));
    const before = fake.requests.length;
    const t = io(env);
    expect(await runCli(["draft", "--json", notes], t.io)).toBe(0);
    const r = JSON.parse(t.out()) as { title: string; text: string; warnings: string[]; via: string };
    expect(r.via).toBe("llm");
    expect(r.text).toContain("会议由刘君主持。");
    expect(r.warnings.join("\n")).not.toMatch(/漏写|改用模板/);
    const sent = JSON.stringify(fake.requests[before]!.body.messages);
    expect(sent).toContain("马军胜"); // the notes
    expect(sent).toMatch(/【范文1】(国家邮政局召开抗战胜利|刘君副局长督导检查)/); // a bulletin from the index
  });

  it("asks again when the model leaves facts out, then falls back to the templates", async () => {
    const short =
      "国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议\n\n9月29日，国家邮政局召开电视电话会议。会议由刘君主持。\n\n（本文来源：国家邮政局）";
    fake.enqueue(reply(short), reply(short));
    const before = fake.requests.length;
    const t = io(env);
    expect(await runCli(["draft", "--json", notes], t.io)).toBe(0);
    const r = JSON.parse(t.out()) as { text: string; warnings: string[]; via: string };
    expect(fake.requests.length - before).toBe(2);
    expect(JSON.stringify(fake.requests[before + 1]!.body)).toContain("漏写了笔记中的这些内容");
    expect(r.via).toBe("template");
    expect(r.text).toContain("马军胜");
    expect(r.warnings.join("\n")).toMatch(/仍漏写.*改用模板/);
  });

  it("falls back to the templates when the server fails", async () => {
    fake.enqueue(httpError(500), httpError(500), httpError(500));
    const t = io(env);
    expect(await runCli(["draft", "--json", notes], t.io)).toBe(0);
    const r = JSON.parse(t.out()) as { text: string; warnings: string[]; via: string };
    expect(r.via).toBe("template");
    expect(r.text).toMatch(/^9月29日，国家邮政局召开/);
    expect(r.warnings.join("\n")).toMatch(/语言模型调用失败/);
  });
});
