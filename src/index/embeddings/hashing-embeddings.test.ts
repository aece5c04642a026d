import { describe, expect, it } from "vitest";
import { idf as jiebaIdfBytes } from "@node-rs/jieba/dict.js";
import { BUNDLED_IDF, fmix, HashingEmbeddings, JiebaIdfTable } from "./hashing-embeddings.js";

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe("HashingEmbeddings", () => {
  const e = new HashingEmbeddings({ dimensions: 256 });

  it("is deterministic and has the requested size", async () => {
    const [a, b] = await e.embedDocuments(["寄递渠道安全保障", "寄递渠道安全保障"]);
    expect(a).toHaveLength(256);
    expect(a).toEqual(b);
    expect(await e.embedQuery("寄递渠道安全保障")).toEqual(a);
    expect(await new HashingEmbeddings({ dimensions: 256 }).embedQuery("寄递渠道安全保障")).toEqual(a);
  });

  it("returns unit vectors (zero vector for text without features)", async () => {
    const [a, empty] = await e.embedDocuments(["快递末端网点应当备案", "，。！"]);
    expect(dot(a!, a!)).toBeCloseTo(1, 9);
    expect(empty!.every((x) => x === 0)).toBe(true);
    expect(a!.every(Number.isFinite)).toBe(true);
  });

  it("puts similar texts closer than unrelated ones", async () => {
    const [doc, near, far] = await e.embedDocuments([
      "经营快递业务的企业可以开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。",
      "快递末端网点备案期限",
      "生产经营单位应当建立安全生产责任制",
    ]);
    expect(dot(doc!, near!)).toBeGreaterThan(dot(doc!, far!) + 0.1);
  });

  it("gives partial credit through shared characters (unigram features)", async () => {
    const withChars = new HashingEmbeddings({ dimensions: 1024 });
    const without = new HashingEmbeddings({ dimensions: 1024, unigramWeight: 0 });
    const sim = async (e: HashingEmbeddings) => {
      const [a, b] = await e.embedDocuments(["停工", "停止作业"]);
      return dot(a!, b!);
    };
    expect(await sim(withChars)).toBeGreaterThan((await sim(without)) + 0.1);
  });

  it("identifies its embedding space by dimensions and weights", () => {
    expect(e.id).not.toBe(new HashingEmbeddings({ dimensions: 512 }).id);
    expect(() => new HashingEmbeddings({ dimensions: 3 })).toThrow(/dimensions/);
  });

  it("embedText is the signed feature hash of features(): same floats, same summation order, on the real corpus", async () => {
    // the definition (one FNV-1a pass per seed over "kind:token"), kept here as the reference for the fast path
    const fnv1a = (str: string, seed: number) => {
      let h = (0x811c9dc5 ^ seed) >>> 0;
      for (let i = 0; i < str.length; i++) {
        h ^= str.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
      }
      return fmix(h);
    };
    const reference = (emb: HashingEmbeddings, text: string) => {
      const v = new Float64Array(emb.dimensions);
      for (const [key, w] of emb.features(text))
        v[fnv1a(key, 0x9e3779b9) % emb.dimensions]! += (fnv1a(key, 0x7f4a7c15) & 1 ? 1 : -1) * w;
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm);
      return Array.from(v, (x) => (norm > 0 ? x / norm : 0));
    };
    const { readFile, readdir } = await import("node:fs/promises");
    const dir = new URL("../../../../shared/corpus/regulations/", import.meta.url);
    const texts: string[] = ["ＡＢＣ快递 abc 123", "，。！", "寄递渠道安全保障"];
    for (const f of (await readdir(dir)).filter((n) => n.endsWith(".md")).slice(0, 4))
      texts.push(...(await readFile(new URL(f, dir), "utf8")).split(/\n\n+/).slice(0, 40));
    expect(texts.length).toBeGreaterThan(60);
    for (const emb of [
      new HashingEmbeddings(),
      new HashingEmbeddings({ dimensions: 256, unigramWeight: 0, trigramWeight: 0.7 }),
    ])
      for (const t of texts) expect(emb.embedText(t)).toEqual(reference(emb, t));
  });

  it("the IDF table answers each word as the parsed Map does, before and after it builds the Map (and with a made-up table's edge cases)", () => {
    const text = Buffer.from(jiebaIdfBytes).toString("utf8");
    const lines = text.split("\n");
    const words = [...lines.slice(0, 20), ...lines.slice(-20), ...lines.filter((_, i) => i % 9973 === 0)].map((l) =>
      l.slice(0, l.lastIndexOf(" ")),
    );
    const probe = [...words, "不存在的词语", "快递", "的", "邮政管理部门", "a", ""];
    const reference = new JiebaIdfTable(text).parsed();
    const lazy = new JiebaIdfTable(text, undefined, 64); // builds the Map after 64 words: both paths
    expect(probe.length).toBeGreaterThan(64);
    for (const w of probe) expect([w, lazy.get(w)]).toEqual([w, reference.get(w)]);
    // a word twice (the Map keeps the last), a word with a space, lines the parser skips, no final newline
    const odd = "甲 1\n乙 丙 2\n乙 3\n丁 x\n 4\n甲 5\n戊 6";
    const oddLazy = new JiebaIdfTable(odd, undefined, 3);
    const oddMap = new JiebaIdfTable(odd).parsed();
    for (const w of ["甲", "乙", "乙 丙", "丙", "丁", "", "戊", "己"])
      expect([w, oddLazy.get(w)]).toEqual([w, oddMap.get(w)]);
    expect(oddLazy.get("甲")).toBe(5);
    expect(new JiebaIdfTable(odd).median()).toBe(3); // of 1, 2, 3, 5, 6 (" 4" and "丁 x" are skipped)
  });

  it("the bundled table's stored median is its computed median, and a table of the same size but other lines gets its own", () => {
    const bundled = new JiebaIdfTable(jiebaIdfBytes);
    expect(jiebaIdfBytes.length).toBe(BUNDLED_IDF.bytes);
    expect(bundled.linesChecksum()).toBe(BUNDLED_IDF.checksum);
    expect(bundled.computedMedian()).toBe(BUNDLED_IDF.median);
    expect(bundled.median()).toBe(BUNDLED_IDF.median);
    // same length, one word changed: not recognised, so its median is computed from its own values
    const other = Buffer.from(jiebaIdfBytes);
    const nl = other.indexOf(10);
    other.write("9".repeat(nl - other.lastIndexOf(32, nl) - 1), other.lastIndexOf(32, nl) + 1, "latin1");
    other[0] = other[0] === 0x61 ? 0x62 : 0x61;
    const table = new JiebaIdfTable(other);
    expect(table.linesChecksum()).not.toBe(BUNDLED_IDF.checksum);
    expect(table.median()).toBe(table.computedMedian());
  });

  it("the line index kept in a cache file answers as the one built, and a damaged or foreign cache file is rebuilt", async () => {
    const { mkdtemp, readFile, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "idf-cache-"));
    try {
      const file = join(dir, "sub", "idf.bin");
      const probe = ["快递", "末端", "邮政管理部门", "不存在的词语", "的", "a"];
      const reference = new JiebaIdfTable(jiebaIdfBytes).parsed();
      const first = new JiebaIdfTable(jiebaIdfBytes, file);
      for (const w of probe) expect([w, first.get(w)]).toEqual([w, reference.get(w)]);
      const written = await readFile(file);
      expect(written.length).toBeGreaterThan(1000);
      const second = new JiebaIdfTable(jiebaIdfBytes, file);
      for (const w of probe) expect([w, second.get(w)]).toEqual([w, reference.get(w)]);
      expect(second.linesChecksum()).toBe(BUNDLED_IDF.checksum);
      // flip one slot: the stored hash no longer matches, so the index is rebuilt (and rewritten)
      const damaged = Buffer.from(written);
      damaged.writeInt32LE(damaged.readInt32LE(400) ^ 1, 400);
      await writeFile(file, damaged);
      const third = new JiebaIdfTable(jiebaIdfBytes, file);
      for (const w of probe) expect([w, third.get(w)]).toEqual([w, reference.get(w)]);
      expect((await readFile(file)).equals(written)).toBe(true);
      // a cache written for another table is not used for this one
      const odd = new JiebaIdfTable("甲 1\n乙 2", file);
      expect([odd.get("甲"), odd.get("快递")]).toEqual([1, undefined]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
