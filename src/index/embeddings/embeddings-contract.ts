/**
 * The shared contract every embedder must keep (used by tests only; imports vitest).
 *
 *   describeEmbeddingsContract("openai (fake server)", async () => createEmbeddings(...), { semantic: true });
 *
 * Checks: one finite vector per input, one dimension for documents and queries, order kept across
 * batches, deterministic output, a non-zero vector for Chinese text, the empty string handled,
 * equal texts at cosine 1, a stable `id`, and (with `semantic`) two paraphrased regulation
 * sentences closer than an unrelated sentence.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { describe, expect, it } from "vitest";

export interface EmbeddingsContractOptions {
  /** Also require similar Chinese texts to be closer than unrelated ones (real-ish embedders). */
  semantic?: boolean;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

export const CONTRACT_TEXTS = {
  regulation: "快递企业应当建立健全安全生产责任制度",
  paraphrase: "快递企业必须建立安全生产责任制",
  unrelated: "今天下午天气晴朗，适合去公园散步",
  mixed: "邮政管理部门 2015 年 9 月 30 日发布通知 (EMS)",
  traditional: "國家郵政局關於加強快遞安全管理的通知",
} as const;

export function describeEmbeddingsContract(
  name: string,
  makeEmbeddings: () => Embeddings | Promise<Embeddings>,
  options: EmbeddingsContractOptions = {},
): void {
  const T = CONTRACT_TEXTS;
  describe(`embeddings contract: ${name}`, () => {
    it("returns one finite vector per input, all of one dimension", async () => {
      const e = await makeEmbeddings();
      const texts = [T.regulation, T.paraphrase, T.unrelated, T.mixed, T.traditional];
      const vs = await e.embedDocuments(texts);
      expect(vs).toHaveLength(texts.length);
      const dim = vs[0]!.length;
      expect(dim).toBeGreaterThan(0);
      for (const v of vs) {
        expect(v).toHaveLength(dim);
        expect(v.every((x) => typeof x === "number" && Number.isFinite(x))).toBe(true);
      }
    });

    it("returns [] for no texts", async () => {
      const e = await makeEmbeddings();
      expect(await e.embedDocuments([])).toEqual([]);
    });

    it("embeds a query with the documents' dimension and the same vector as the document", async () => {
      const e = await makeEmbeddings();
      const [d] = await e.embedDocuments([T.regulation]);
      const q = await e.embedQuery(T.regulation);
      expect(q).toHaveLength(d!.length);
      expect(cosine(q, d!)).toBeGreaterThan(0.9999);
    });

    it("keeps the order of inputs (across batches too)", async () => {
      const e = await makeEmbeddings();
      const texts = Array.from({ length: 23 }, (_, i) => `${i % 2 ? T.regulation : T.unrelated}第${i + 1}条`);
      const vs = await e.embedDocuments(texts);
      expect(vs).toHaveLength(texts.length);
      for (const i of [0, 1, 7, 22]) {
        const q = await e.embedQuery(texts[i]!);
        expect(cosine(vs[i]!, q)).toBeGreaterThan(0.9999);
      }
      // reversed input gives the same vectors, reversed
      const rev = await e.embedDocuments([...texts].reverse());
      expect(cosine(rev[0]!, vs[22]!)).toBeGreaterThan(0.9999);
      expect(cosine(rev[22]!, vs[0]!)).toBeGreaterThan(0.9999);
    });

    it("is deterministic: equal text, equal vector (cosine 1), across calls and instances", async () => {
      const e1 = await makeEmbeddings();
      const e2 = await makeEmbeddings();
      const [a, b] = await e1.embedDocuments([T.regulation, T.regulation]);
      const c = await e2.embedQuery(T.regulation);
      expect(cosine(a!, b!)).toBeGreaterThan(0.9999);
      expect(cosine(a!, c)).toBeGreaterThan(0.9999);
      for (let i = 0; i < a!.length; i++) expect(Math.abs(a![i]! - c[i]!)).toBeLessThan(1e-5);
    });

    it("gives Chinese text a non-zero vector", async () => {
      const e = await makeEmbeddings();
      for (const t of [T.regulation, T.traditional, "快"]) expect(norm(await e.embedQuery(t))).toBeGreaterThan(0);
    });

    it("handles the empty string and whitespace (a finite vector of the usual dimension)", async () => {
      const e = await makeEmbeddings();
      const [d, empty, blank] = await e.embedDocuments([T.regulation, "", "  \n "]);
      for (const v of [empty!, blank!, await e.embedQuery("")]) {
        expect(v).toHaveLength(d!.length);
        expect(v.every(Number.isFinite)).toBe(true);
      }
    });

    it("has a stable, non-empty id", async () => {
      const id1 = (await makeEmbeddings()) as Embeddings & { id?: unknown };
      const id2 = (await makeEmbeddings()) as Embeddings & { id?: unknown };
      expect(typeof id1.id).toBe("string");
      expect(id1.id).not.toBe("");
      expect(id2.id).toBe(id1.id);
    });

    if (options.semantic) {
      it("puts a paraphrase closer than an unrelated sentence", async () => {
        const e = await makeEmbeddings();
        const [a, p, u] = await e.embedDocuments([T.regulation, T.paraphrase, T.unrelated]);
        expect(cosine(a!, p!)).toBeGreaterThan(cosine(a!, u!));
        expect(cosine(a!, p!)).toBeGreaterThan(cosine(p!, u!));
      });
    }
  });
}
