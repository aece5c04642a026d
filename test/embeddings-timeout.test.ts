/**
 * Issue 13, item 6: a slow embeddings endpoint must not hold a search for minutes. With
 * EMBEDDINGS_TIMEOUT_MS and EMBEDDINGS_MAX_RETRIES the query embedding gives up soon and hybrid
 * search falls back to the keyword index with a warning (before: 60 s × 3 tries, no setting).
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from "./fakes/fake-embeddings-server.js";

let fake: FakeEmbeddingsServer;
let dir: string;
beforeAll(async () => {
  fake = await startFakeEmbeddingsServer({ dimensions: 24 });
  dir = await mkdtemp(join(tmpdir(), "emb-timeout-"));
  await mkdir(join(dir, "corpus"));
  await writeFile(
    join(dir, "corpus", "条例.md"),
    "# 快递暂行条例\n\n第十八条 经营快递业务的企业及其分支机构可以根据业务需要开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。\n",
  );
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("outbound embeddings calls are bounded by settings", () => {
  it("reads EMBEDDINGS_TIMEOUT_MS and EMBEDDINGS_MAX_RETRIES (validated, naming the variable)", () => {
    const c = loadConfig({ EMBEDDINGS_TIMEOUT_MS: "500", EMBEDDINGS_MAX_RETRIES: "0" });
    expect(c.embeddings).toMatchObject({ timeoutMs: 500, maxRetries: 0 });
    expect(loadConfig({}).embeddings).toMatchObject({ timeoutMs: 15_000, maxRetries: 1 });
    expect(() => loadConfig({ EMBEDDINGS_TIMEOUT_MS: "soon" })).toThrow(/EMBEDDINGS_TIMEOUT_MS/);
    expect(() => loadConfig({ EMBEDDINGS_MAX_RETRIES: "-1" })).toThrow(/EMBEDDINGS_MAX_RETRIES/);
  });

  it("a hanging endpoint: the search gives up after the timeout, once, and answers from the keyword index", async () => {
    const env = {
      CORPUS_DIRS: join(dir, "corpus"),
      INDEX_DIR: join(dir, "index"),
      EMBEDDINGS_PROVIDER: "openai",
      EMBEDDINGS_MODEL: "bge-m3",
      EMBEDDINGS_BASE_URL: fake.openaiBaseUrl,
      EMBEDDINGS_TIMEOUT_MS: "300",
      EMBEDDINGS_MAX_RETRIES: "0",
    };
    const logs: string[] = [];
    const assistant = createAssistant(loadConfig(env), { log: (l) => logs.push(l) });
    const report = await assistant.ingest();
    expect(report.written).toBe(true);
    fake.mode = "hang";
    fake.requests.length = 0;
    const res = await assistant.search("末端网点备案");
    expect(res.results[0]?.section).toBe("第十八条");
    expect(logs.join("\n")).toMatch(/vector search unavailable.*keyword index only/);
    // no retries: each text the search embeds (the question, and its expansion) is asked for once, then abandoned
    const inputs = fake.requests.filter((r) => r.path === "/v1/embeddings").map((r) => JSON.stringify(r.body.input));
    expect(inputs.length).toBeGreaterThan(0);
    expect(new Set(inputs).size).toBe(inputs.length);
    fake.mode = "ok";
  }, 20_000);
});
