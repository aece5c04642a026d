import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { ingestCorpus } from "../src/ingest/pipeline/ingest-corpus.js";
import { BRACKETS, snippet } from "../src/retrieval/highlight.js";
import { limitPerDoc, reciprocalRankFusion } from "../src/retrieval/hybrid-retriever.js";
import { HybridRetriever, KeywordRetriever, VectorRetriever } from "../src/retrieval/retrievers.js";
import { openSearchEngine, toSearchResponse, type SearchEngine } from "../src/retrieval/search-engine.js";
import { fakeSource } from "./fakes/fake-corpus-source.js";
import { ProviderError } from "../src/errors.js";

const embeddings = new HashingEmbeddings({ dimensions: 256 });
let root: string;
let engine: SearchEngine;

const files: Record<string, string> = {
  "regulations/快递暂行条例.md":
    "# 快递暂行条例\n\n第十八条 经营快递业务的企业及其分支机构可以根据业务需要开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。\n\n第十九条 快递末端网点应当遵守快递服务规范。\n\n第二十条 快递末端网点应当公示营业时间。\n\n第二十一条 快递末端网点不得擅自停业。\n",
  "2014-08-27 亚欧博览会邮路安保.txt": "亚欧博览会邮路安保\n\n亚欧博览会期间快递末端网点要落实寄递渠道安全保障措施。\n",
  "2015-09-30 纪念活动安全服务保障.txt": "纪念活动寄递渠道安全服务保障\n\n纪念活动期间快递末端网点严格实名收寄。\n",
  "notices/通知.txt": "关于开展寄递渠道检查的通知\n\n各单位检查快递末端网点的实名收寄落实情况。\n",
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "retrieval-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(root, "corpus", rel, ".."), { recursive: true });
    await writeFile(join(root, "corpus", rel), text);
  }
  const r = await ingestCorpus({
    corpusDirs: [join(root, "corpus")],
    indexDir: join(root, "data"),
    embeddings,
    source: fakeSource,
  });
  expect(r.written).toBe(true);
  engine = await openSearchEngine({ indexDir: join(root, "data"), embeddings, maxPerDoc: 2 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("search engine", () => {
  it("ranks the article that answers the query first, in every mode, with finite scores", async () => {
    for (const mode of ["hybrid", "keyword", "vector"] as const) {
      const hits = await engine.search("末端网点开办之日起多少日内备案", { mode, k: 3 });
      expect(hits[0]!.chunk.section).toBe("第十八条");
      expect(hits.every((h) => Number.isFinite(h.score))).toBe(true);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    }
  });

  it("treats a traditional-character query like its simplified twin", async () => {
    const simp = await engine.search("快递末端网点备案期限");
    const trad = await engine.search("快遞末端網點備案期限");
    expect(trad.map((h) => h.chunk.id)).toEqual(simp.map((h) => h.chunk.id));
    expect(trad.map((h) => h.score)).toEqual(simp.map((h) => h.score));
  });

  it("filters on kind before cutting to k", async () => {
    for (const mode of ["hybrid", "keyword", "vector"] as const) {
      const hits = await engine.search("快递末端网点", { mode, kind: "bulletin", k: 1 });
      expect(hits).toHaveLength(1);
      expect(hits[0]!.doc.kind).toBe("bulletin");
      expect((await engine.search("快递末端网点", { mode, kind: "notice" })).map((h) => h.doc.kind)).toEqual([
        "notice",
      ]);
    }
  });

  it("filters on an inclusive date range and drops undated documents", async () => {
    const onDay = await engine.search("快递末端网点", { since: "2014-08-27", until: "2014-08-27" });
    expect(onDay.map((h) => h.doc.date)).toEqual(["2014-08-27"]);
    const later = await engine.search("快递末端网点", { since: "2015-01-01", mode: "vector" });
    expect(later.map((h) => h.doc.date)).toEqual(["2015-09-30"]);
    const upTo = await engine.search("快递末端网点", { until: "2015-09-30" });
    expect(new Set(upTo.map((h) => h.doc.date))).toEqual(new Set(["2014-08-27", "2015-09-30"]));
  });

  it("returns at most maxPerDoc chunks of one document (fixed cap)", async () => {
    const fixed = await openSearchEngine({ indexDir: join(root, "data"), embeddings, maxPerDoc: 2, keepAbove: 0 });
    const hits = await fixed.search("快递末端网点", { k: 10 });
    const perDoc = new Map<string, number>();
    for (const h of hits) perDoc.set(h.doc.id, (perDoc.get(h.doc.id) ?? 0) + 1);
    expect(Math.max(...perDoc.values())).toBe(2);
    expect(perDoc.size).toBe(4);
  });

  it("lets more chunks of one document through when they score close to the best (adaptive cap)", async () => {
    const fixed = await openSearchEngine({ indexDir: join(root, "data"), embeddings, maxPerDoc: 1, keepAbove: 0 });
    const adaptive = await openSearchEngine({
      indexDir: join(root, "data"),
      embeddings,
      maxPerDoc: 1,
      keepAbove: 0.01,
    });
    const count = (hits: { doc: { id: string } }[]) =>
      Math.max(...[...new Set(hits.map((h) => h.doc.id))].map((d) => hits.filter((h) => h.doc.id === d).length));
    expect(count(await fixed.search("快递末端网点", { k: 10 }))).toBe(1);
    expect(count(await adaptive.search("快递末端网点", { k: 10 }))).toBeGreaterThan(1);
  });

  it("rejects bad filters with the option named", async () => {
    await expect(engine.search("快递", { since: "2020/01/01" })).rejects.toThrow(/--since/);
    await expect(engine.search("快递", { kind: "memo" as never })).rejects.toThrow(/--kind/);
    expect(await engine.search("，。", {})).toEqual([]);
  });

  it("maps hits to the contract's JSON", async () => {
    const r = toSearchResponse("备案", await engine.search("备案", { k: 1 }));
    expect(Object.keys(r.results[0]!)).toEqual(
      expect.arrayContaining(["docId", "title", "date", "kind", "path", "section", "text", "score"]),
    );
    expect(r.results[0]).toMatchObject({ title: "快递暂行条例", kind: "regulation", section: "第十八条", date: null });
  });
});

describe("search engine with its embeddings endpoint down", () => {
  it("answers hybrid queries from the keyword index and says so", async () => {
    class DownEmbeddings extends HashingEmbeddings {
      override async embedQuery(): Promise<number[]> {
        throw new ProviderError("openai embeddings (bge-m3)", "could not reach the embeddings endpoint");
      }
    }
    const warnings: string[] = [];
    const down = await openSearchEngine({
      indexDir: join(root, "data"),
      embeddings: new DownEmbeddings({ dimensions: 256 }),
      maxPerDoc: 2,
      log: (l) => void warnings.push(l),
    });
    const hits = await down.search("末端网点开办之日起多少日内备案", { k: 3 });
    const keyword = await engine.search("末端网点开办之日起多少日内备案", { k: 3, mode: "keyword" });
    expect(hits.map((h) => h.chunk.id)).toEqual(keyword.map((h) => h.chunk.id));
    expect(warnings.join("\n")).toMatch(/keyword index only/);
    await expect(down.search("末端网点", { mode: "vector" })).rejects.toThrow(ProviderError);
  });
});

describe("LangChain retrievers", () => {
  it("keyword, vector and hybrid retrievers return Documents with metadata", async () => {
    const index = engine.index;
    for (const r of [
      new KeywordRetriever({ index, k: 2 }),
      new VectorRetriever({ index, k: 2 }),
      new HybridRetriever({ index, k: 2, maxPerDoc: 1 }),
    ]) {
      const docs = await r.invoke("快遞末端網點備案");
      expect(docs.length).toBeGreaterThan(0);
      expect(docs[0]!.metadata).toMatchObject({ title: expect.any(String), chunkId: expect.any(String) });
      expect(Number.isFinite(docs[0]!.metadata.score)).toBe(true);
    }
    const filtered = await new KeywordRetriever({ index, filters: { kind: "notice" } }).invoke("快递末端网点");
    expect(filtered.map((d) => d.metadata.kind)).toEqual(["notice"]);
  });
});

describe("fusion helpers", () => {
  it("reciprocal-rank fusion rewards agreement and honours weights", () => {
    const fused = reciprocalRankFusion(
      [
        [
          { id: "a", score: 9 },
          { id: "b", score: 5 },
        ],
        [
          { id: "b", score: 0.9 },
          { id: "c", score: 0.8 },
        ],
      ],
      60,
    );
    expect(fused[0]!.id).toBe("b");
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    const kwOnly = reciprocalRankFusion([[{ id: "a", score: 1 }], [{ id: "c", score: 1 }]], 60, [1, 0.5]);
    expect(kwOnly.map((h) => h.id)).toEqual(["a", "c"]);
  });

  it("limitPerDoc keeps order and the cap", () => {
    const hits = ["a1", "a2", "a3", "b1", "a4", "c1"];
    expect(limitPerDoc(hits, (h) => h[0]!, 2, 4)).toEqual(["a1", "a2", "b1", "c1"]);
  });
});

describe("snippet", () => {
  it("marks the query's words and bigrams, also for a traditional query", () => {
    const s = snippet("经营快递业务的企业可以开办快递末端网点，并应当备案。", "快遞末端網點備案", { marks: BRACKETS });
    expect(s).toContain("【快递末端网点】");
    expect(s).toContain("【备案】");
  });

  it("cuts long text around the matches", () => {
    const text = `${"无关内容。".repeat(60)}快递末端网点备案${"其他内容。".repeat(60)}`;
    const s = snippet(text, "末端网点", { width: 40 });
    expect(s).toContain("【末端网点】");
    expect(s.startsWith("…")).toBe(true);
    expect(s.endsWith("…")).toBe(true);
  });
});
