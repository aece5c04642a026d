import { describe, expect, it } from "vitest";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";

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
});
