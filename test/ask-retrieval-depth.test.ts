/**
 * ask over a real (small) index: per-search `maxPerDoc` in the search engine, the asker asking for
 * more passages of one document than the engine's default, and term weights from the keyword index
 * (IndexedTermStats) giving the same answers and support as the scan (CorpusStats).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAsker } from "../src/assistant/ask/create-asker.js";
import { InputError } from "../src/errors.js";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { ingestCorpus } from "../src/ingest/pipeline/ingest-corpus.js";
import { openSearchEngine, type SearchEngine } from "../src/retrieval/search-engine.js";
import type { SearchOptions } from "../src/retrieval/types.js";
import { fakeSource } from "./fakes/fake-corpus-source.js";

const promptsDir = fileURLToPath(new URL("../prompts/", import.meta.url));
const embeddings = new HashingEmbeddings({ dimensions: 256 });
const articles = [
  "建立健全并落实本单位全员安全生产责任制",
  "组织制定并实施本单位安全生产规章制度和操作规程",
  "组织制定并实施本单位安全生产教育和培训计划",
  "保证本单位安全生产投入的有效实施",
  "组织建立并落实安全风险分级管控和隐患排查治理双重预防工作机制",
  "组织制定并实施本单位的生产安全事故应急救援预案",
];
const files: Record<string, string> = {
  "regulations/安全生产法.md": `# 安全生产法\n\n${articles.map((a, i) => `第${"一二三四五六"[i]}条 生产经营单位的主要负责人对本单位安全生产工作负有职责：${a}。`).join("\n\n")}\n`,
  "regulations/快递暂行条例.md":
    "# 快递暂行条例\n\n第二十九条 经营快递业务的企业停止经营的，应当提前10日向社会公告。\n\n第三十条 经营快递业务的企业应当建立健全安全保障制度。\n",
};

let root: string;
let engine: SearchEngine;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "ask-depth-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(root, "corpus", rel, ".."), { recursive: true });
    await writeFile(join(root, "corpus", rel), text);
  }
  await ingestCorpus({
    corpusDirs: [join(root, "corpus")],
    indexDir: join(root, "data"),
    embeddings,
    source: fakeSource,
  });
  engine = await openSearchEngine({ indexDir: join(root, "data"), embeddings, maxPerDoc: 3, keepAbove: 0 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const perDoc = (hits: { doc: { id: string } }[]) => {
  const n = new Map<string, number>();
  for (const h of hits) n.set(h.doc.id, (n.get(h.doc.id) ?? 0) + 1);
  return Math.max(...n.values());
};

describe("search maxPerDoc per call", () => {
  it("keeps the engine's cap by default and lets one search ask for more", async () => {
    const q = "生产经营单位主要负责人安全生产职责";
    expect(perDoc(await engine.search(q, { k: 10 }))).toBe(3);
    const more = await engine.search(q, { k: 10, maxPerDoc: 6 });
    expect(more.filter((h) => h.doc.title === "安全生产法")).toHaveLength(6);
    expect(perDoc(await engine.search(q, { k: 10, maxPerDoc: 1 }))).toBe(1);
  });

  it("rejects a maxPerDoc that is not a whole number ≥ 1", async () => {
    await expect(engine.search("安全", { maxPerDoc: 0 })).rejects.toThrow(InputError);
    await expect(engine.search("安全", { maxPerDoc: 1.5 })).rejects.toThrow(InputError);
  });
});

describe("asker retrieval depth", () => {
  it("asks every retrieval for up to 10 passages of one document (configurable)", async () => {
    const seen: SearchOptions[] = [];
    const retrieve = async (q: string, o: SearchOptions) => {
      seen.push(o);
      return engine.search(q, o);
    };
    await createAsker({ retrieve, model: null, promptsDir }).ask("主要负责人对安全生产负有哪些职责？");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((o) => o.maxPerDoc === 10)).toBe(true);
    seen.length = 0;
    await createAsker({ retrieve, model: null, promptsDir, maxPerDoc: 4 }).ask("主要负责人对安全生产负有哪些职责？");
    expect(seen.every((o) => o.maxPerDoc === 4)).toBe(true);
  });
});

describe("term weights from the keyword index", () => {
  it("gives the same answers and support as scanning the chunk texts", async () => {
    const retrieve = (q: string, o: SearchOptions) => engine.search(q, o);
    let lookups = 0;
    const bm25 = engine.index.bm25;
    const keywordIndex = {
      bm25: {
        size: bm25.size,
        idAt: (p: number) => bm25.idAt(p),
        postings: (t: string) => {
          lookups++;
          return bm25.postings(t);
        },
      },
      chunkById: engine.index.chunkById,
    };
    const indexed = createAsker({ retrieve, model: null, promptsDir, keywordIndex: async () => keywordIndex });
    const scanned = createAsker({ retrieve, model: null, promptsDir, corpusChunks: async () => engine.index.chunks });
    for (const q of [
      "快递企业停业要提前多久公告？",
      "主要负责人要制定什么预案？",
      "快递企业的安全保障制度",
      "明天天气怎么样？",
      "2024年EMS的资费是多少？",
    ]) {
      const [a, b] = await Promise.all([indexed.ask(q), scanned.ask(q)]);
      expect(a).toEqual(b);
    }
    expect(lookups).toBeGreaterThan(0); // the weights came from the postings
  });
});
