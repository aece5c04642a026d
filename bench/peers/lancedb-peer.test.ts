/**
 * The LanceDB peer on ~300 real chunks (bulletin paragraphs and regulation articles of
 * ../shared/corpus, three to a document) with the project's hashing vectors: it builds, answers hybrid, keyword and
 * vector queries, adds a document that is then found, removes one that is then gone. Recall@10 of
 * its vector search against an exact cosine scan is printed, not asserted (no quality or timing
 * asserts here: those are the bench's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { normalizeText } from "../../src/ingest/normalize.js";
import { HashingEmbeddings } from "../../src/index/embeddings/hashing-embeddings.js";
import { readPool } from "../generate-corpus.js";
import { LanceDbPeer, pretokenize, type PeerChunk, type VectorIndexChoice } from "./lancedb-peer.js";

const SHARED = fileURLToPath(new URL("../../../shared/corpus", import.meta.url));
const embedder = new HashingEmbeddings();

async function tinySet(n: number): Promise<PeerChunk[]> {
  const pool = await readPool(SHARED);
  // every bulletin paragraph (a few dozen), then regulation articles up to n
  const texts = [...pool.paragraphs, ...pool.articles]
    .map(normalizeText)
    .filter((t) => t.trim())
    .slice(0, n);
  if (texts.length < n) throw new Error(`${SHARED}: ${texts.length} texts, the test needs ${n}`);
  return texts.map((text, i) => {
    const doc = Math.floor(i / 3);
    return {
      id: `doc-${doc}#${i % 3}`,
      docId: `doc-${doc}`,
      text,
      vector: Float32Array.from(embedder.embedText(text)),
    };
  });
}

function exactTop(chunks: readonly PeerChunk[], q: Float32Array, k: number): string[] {
  return chunks
    .map((c) => {
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += q[i]! * c.vector[i]!;
      return { id: c.id, dot };
    })
    .sort((a, b) => b.dot - a.dot || (a.id < b.id ? -1 : 1))
    .slice(0, k)
    .map((h) => h.id);
}

describe.each<VectorIndexChoice>(["auto", "ivf_hnsw_sq"])("LanceDbPeer (vectorIndex %s)", (vectorIndex) => {
  let chunks: PeerChunk[];
  let peer: LanceDbPeer;
  let held: PeerChunk[];
  let base: PeerChunk[];

  beforeAll(async () => {
    chunks = await tinySet(303);
    held = chunks.filter((c) => c.docId === "doc-100");
    base = chunks.filter((c) => c.docId !== "doc-100");
    peer = await LanceDbPeer.open({ dimensions: embedder.dimensions, vectorIndex });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it("builds a table with an FTS index and the chosen vector search", async () => {
    expect(held.length).toBe(3);
    const built = await peer.build(base);
    expect(built.rows).toBe(base.length);
    expect(await peer.rows()).toBe(base.length);
    expect(built.diskBytes).toBeGreaterThan(0);
    expect(built.vectorIndex).toMatch(vectorIndex === "auto" ? /^flat/ : /^IVF_HNSW_SQ/);
    for (const k of ["buildMs", "writeMs", "ftsIndexMs", "vectorIndexMs"] as const)
      expect(Number.isFinite(built[k])).toBe(true);
  });

  it("answers keyword, vector and hybrid queries with known ids, best first", async () => {
    const known = new Set(base.map((c) => c.id));
    const target = base[30]!;
    const kw = await peer.keywordOnly(target.text, 10);
    expect(kw).toContain(target.id);
    const vec = await peer.vectorOnly(target.vector, 10);
    expect(vec[0]).toBe(target.id);
    const hyb = await peer.query(target.text, target.vector, 10);
    expect(hyb[0]).toBe(target.id);
    for (const list of [kw, vec, hyb]) {
      expect(list.length).toBeLessThanOrEqual(10);
      expect(new Set(list).size).toBe(list.length);
      for (const id of list) expect(known.has(id)).toBe(true);
    }
    // a query of words only the tokenizer splits (no spaces in Chinese) still hits the FTS index
    expect(pretokenize("快递末端网点备案").split(" ").length).toBeGreaterThan(1);
    expect(await peer.keywordOnly("", 10)).toEqual([]);
  });

  it("finds an added document at once and never returns a removed one", async () => {
    const addMs = await peer.addOne(held);
    expect(addMs).toBeGreaterThanOrEqual(0);
    expect(await peer.rows()).toBe(chunks.length);
    const added = held[1]!;
    expect(await peer.vectorOnly(added.vector, 5)).toContain(added.id);
    expect(await peer.keywordOnly(added.text, 10)).toContain(added.id);
    expect((await peer.query(added.text, added.vector, 10))[0]).toBe(added.id);

    const gone = base.filter((c) => c.docId === "doc-5");
    expect(gone.length).toBe(3);
    const removeMs = await peer.removeOne("doc-5");
    expect(removeMs).toBeGreaterThanOrEqual(0);
    expect(await peer.rows()).toBe(chunks.length - 3);
    const goneIds = new Set(gone.map((c) => c.id));
    for (const c of gone) {
      const lists = [
        await peer.vectorOnly(c.vector, 50),
        await peer.keywordOnly(c.text, 50),
        await peer.query(c.text, c.vector, 50),
      ];
      for (const list of lists) {
        expect(list.length).toBeGreaterThan(0);
        for (const id of list) expect(goneIds.has(id)).toBe(false);
      }
    }
    // a docId with a quote is a literal, not SQL
    await peer.removeOne("x' OR '1'='1");
    expect(await peer.rows()).toBe(chunks.length - 3);
  });

  it("reports recall@10 of its vector search against an exact cosine scan", async () => {
    const live = chunks.filter((c) => c.docId !== "doc-5");
    const queries = ["快递末端网点备案期限", "邮政普遍服务", "寄递安全", "快件损毁赔偿", "邮政设施保护"].map((q) =>
      Float32Array.from(embedder.embedText(normalizeText(q))),
    );
    let recall = 0;
    for (const q of queries) {
      const exact = new Set(exactTop(live, q, 10));
      const got = await peer.vectorOnly(q, 10);
      expect(got.length).toBe(10);
      recall += got.filter((id) => exact.has(id)).length / 10;
    }
    process.stderr.write(
      `[lancedb-peer ${vectorIndex}] vector recall@10 vs exact on ${live.length} chunks, ${queries.length} queries: ${(recall / queries.length).toFixed(3)}\n`,
    );
  });
});
