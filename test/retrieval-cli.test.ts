/**
 * End to end over the real corpus (read only): `ingest` of corpus/ + ../shared/corpus into a temp
 * INDEX_DIR, then `search`, through the CLI dispatcher and src/app.ts.
 */
import { cp, mkdtemp, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/channels/cli/main.js";
import { captureIo } from "./fakes/capture-io.js";
import type { SearchResponse } from "../src/retrieval/types.js";

const io = (env: Record<string, string>) => captureIo({ env });

let tmp: string;
let env: Record<string, string>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "retrieval-cli-"));
  env = { INDEX_DIR: join(tmp, "data") };
  const t = io(env);
  const code = await runCli(["ingest", "--corpus", "corpus", "--corpus", "../shared/corpus"], t.io);
  expect(t.err()).not.toMatch(/failed:/);
  expect(code).toBe(0);
  expect(t.out()).toMatch(/added 13, updated 0, unchanged 2, removed 0, failed 0/);
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function searchJson(...args: string[]): Promise<SearchResponse> {
  const t = io(env);
  expect(await runCli(["search", "--json", ...args], t.io)).toBe(0);
  return JSON.parse(t.out()) as SearchResponse;
}

describe("ingest + search over the real corpus", () => {
  it("ranks 快递暂行条例 第十八条 first for 快递末端网点备案期限", async () => {
    const r = await searchJson("快递末端网点备案期限");
    expect(r.query).toBe("快递末端网点备案期限");
    expect(r.results).toHaveLength(10);
    expect(r.results[0]).toMatchObject({ title: "快递暂行条例", section: "第十八条", kind: "regulation" });
  });

  it("gives a traditional-character query the same top chunk as its simplified twin", async () => {
    const trad = await searchJson("-k", "3", "快遞末端網點備案期限");
    const simp = await searchJson("-k", "3", "快递末端网点备案期限");
    expect(trad.results.map((x) => x.chunkId)).toEqual(simp.results.map((x) => x.chunkId));
  });

  it("filters by kind and date", async () => {
    const r = await searchJson("--kind", "bulletin", "--since", "2015-01-01", "寄递渠道安全");
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results.every((x) => x.kind === "bulletin" && x.date! >= "2015-01-01")).toBe(true);
  });

  it("prints readable results with the matches marked, and usage errors with exit 2", async () => {
    const t = io(env);
    expect(await runCli(["search", "-k", "2", "快递末端网点备案期限"], t.io)).toBe(0);
    expect(t.out()).toMatch(/^1\. 快递暂行条例 {2}2018-03-02 {2}regulation .*第十八条/);
    expect(t.out()).toContain("【快递末端网点】");
    const bad = io(env);
    expect(await runCli(["search", "--since", "yesterday", "快递"], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--since/);
  });

  it("says what to run when there is no index", async () => {
    const t = io({ INDEX_DIR: join(tmp, "empty") });
    expect(await runCli(["search", "快递"], t.io)).toBe(1);
    expect(t.err()).toMatch(/npm run ingest/);
  });

  it("drops a deleted file's chunks on the next ingest", async () => {
    const corpus = join(tmp, "corpus");
    await cp("../shared/corpus/regulations", corpus, { recursive: true });
    const e2 = { INDEX_DIR: join(tmp, "data2") };
    expect(await runCli(["ingest", "--corpus", corpus], io(e2).io)).toBe(0);
    await unlink(join(corpus, "快递暂行条例.md"));
    const t = io(e2);
    expect(await runCli(["ingest", "--corpus", corpus], t.io)).toBe(0);
    expect(t.out()).toMatch(/removed 1/);
    const s = io(e2);
    await runCli(["search", "--json", "快递末端网点备案期限"], s.io);
    const r = JSON.parse(s.out()) as SearchResponse;
    expect(r.results.some((x) => x.title === "快递暂行条例")).toBe(false);
  }, 120_000);
});
