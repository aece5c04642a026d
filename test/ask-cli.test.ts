/**
 * `npm run -s ask -- [--json] QUESTION` end to end: a real index (three documents of the shared
 * corpus ingested into a temporary folder), the CLI dispatcher, no LLM.
 */
import { copyFile, mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpError, startFakeOpenAI, toolCall, type FakeOpenAI } from "./fakes/fake-openai-server.js";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { runCli } from "../src/channels/cli/main.js";
import type { CliIo } from "../src/channels/cli/io.js";

const shared = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const BULLETIN = "2015-09-30 國家郵政局召開抗戰勝利70周年紀念活動寄遞渠道安全服務保障工作總結電視電話會議.txt";
let env: Record<string, string>;

function io(extraEnv: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const r = {
    out: "",
    err: "",
    stdout: (s: string) => void (r.out += s),
    stderr: (s: string) => void (r.err += s),
    readStdin: async () => Buffer.from(""),
    env: { ...env, ...extraEnv },
    now: () => new Date("2026-01-01T00:00:00Z"),
  };
  return r;
}

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), "ask-cli-"));
  const corpus = join(root, "corpus");
  await mkdir(join(corpus, "regulations"), { recursive: true });
  await mkdir(join(corpus, "bulletins"), { recursive: true });
  for (const f of ["快递暂行条例.md", "河南省邮政条例.md", "中华人民共和国邮政法.md"])
    await copyFile(join(shared, "regulations", f), join(corpus, "regulations", f));
  await copyFile(join(shared, "bulletins", BULLETIN), join(corpus, "bulletins", BULLETIN));
  env = { INDEX_DIR: join(root, "index"), CORPUS_DIRS: corpus };
  const report = await createAssistant(loadConfig(env), { log: () => {} }).ingest();
  expect(report.written).toBe(true);
}, 120_000);

describe("ask CLI", () => {
  it("--json prints the contract's shape with a cited answer", async () => {
    const t = io();
    expect(await runCli(["ask", "--json", "快递企业停业要提前多久公告？"], t)).toBe(0);
    const r = JSON.parse(t.out);
    expect(Object.keys(r).slice(0, 4)).toEqual(["question", "answer", "abstained", "citations"]);
    expect(r.abstained).toBe(false);
    expect(r.answer).toContain("提前10日");
    const c = r.citations.find((x: { title: string }) => x.title === "快递暂行条例");
    expect(c).toMatchObject({ section: "第二十九条", date: "2018-03-02" });
    for (const key of ["n", "docId", "title", "date", "section", "path", "quote"]) expect(c).toHaveProperty(key);
    expect(c.path).toMatch(/快递暂行条例\.md$/);
    expect(c.quote).toContain("应当提前10日向社会公告");
  });

  it("answers the bulletin question and quotes it as published", async () => {
    const t = io();
    expect(await runCli(["ask", "--json", "纪念活动期间进京邮件落实了什么措施？"], t)).toBe(0);
    const r = JSON.parse(t.out);
    expect(r.abstained).toBe(false);
    expect(r.answer).toContain("三个100%");
    expect(r.citations[0].date).toBe("2015-09-30");
    expect(r.citations[0].quote).toContain("三個100%");
  });

  it("abstains on an out-of-domain question", async () => {
    const t = io();
    expect(await runCli(["ask", "--json", "明天北京天气怎么样？"], t)).toBe(0);
    const r = JSON.parse(t.out);
    expect(r).toMatchObject({ abstained: true, citations: [] });
  });

  it("readable output: the answer, then numbered citations with title, section, path and quote", async () => {
    const t = io();
    expect(await runCli(["ask", "快递企业停业要提前多久公告？"], t)).toBe(0);
    expect(t.out).toMatch(/\[1\]/);
    expect(t.out).toContain("引用：");
    expect(t.out).toMatch(/\[\d\] 《快递暂行条例》 第二十九条 · 2018-03-02/);
    expect(t.out).toContain("“");
  });

  it("no question is a usage error (exit 2)", async () => {
    const t = io();
    expect(await runCli(["ask"], t)).toBe(2);
    expect(t.err).toMatch(/Usage/);
  });

  it("a missing index says how to build one (exit 1)", async () => {
    const t = io({ INDEX_DIR: join(tmpdir(), "no-such-index-dir-h5") });
    const code = await runCli(["ask", "快递企业停业要提前多久公告？"], t);
    expect(code).toBe(1);
    expect(t.err).toMatch(/npm run ingest/);
  });
});

describe("ask CLI with a language model configured (fake OpenAI-compatible server)", () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });
  const llmIo = () =>
    io({
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: fake.baseUrl,
      LLM_API_KEY: "k",
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "2000",
    });

  it("answers through the model, citations validated", async () => {
    fake.respond = (req) => {
      const prompt: string = req.body.messages.map((m: { content: string }) => m.content).join("\n");
      const n = /\[(\d+)\] 《快递暂行条例》第二十九条/.exec(prompt)?.[1];
      return toolCall("answer", { answer: `快递企业停止经营的，应当提前10日向社会公告[${n}]。`, abstain: false });
    };
    const t = llmIo();
    expect(await runCli(["ask", "--json", "快递企业停业要提前多久公告？"], t)).toBe(0);
    const r = JSON.parse(t.out);
    expect(r.via).toBe("llm");
    expect(r.answer).toBe("快递企业停止经营的，应当提前10日向社会公告[1]。");
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]).toMatchObject({ n: 1, title: "快递暂行条例", section: "第二十九条" });
  });

  it("a provider error falls back to the extractive answer with a warning on stderr, exit 0", async () => {
    fake.respond = () => httpError(500, "boom");
    const t = llmIo();
    expect(await runCli(["ask", "--json", "快递企业停业要提前多久公告？"], t)).toBe(0);
    const r = JSON.parse(t.out);
    expect(r.via).toBe("extractive");
    expect(r.answer).toContain("提前10日");
    expect(t.err).toMatch(/warning: The language model failed/);
  }, 30_000);
});
