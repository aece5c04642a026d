import { describe, expect, it } from "vitest";
import { HashingEmbeddings } from "./embeddings/hashing-embeddings.js";
import { vectorIndexContract } from "./vector-index.common.case.js";
import { chooseVectorForm } from "./vector-index.js";

vectorIndexContract("flat");
vectorIndexContract("hnsw");

describe("chooseVectorForm", () => {
  it("picks the flat scan for sparse hashing vectors and HNSW for dense ones, unless forced", async () => {
    const vectors = await new HashingEmbeddings({ dimensions: 256 }).embedDocuments(["快递末端网点备案", "安全生产责任制"]);
    expect(chooseVectorForm(vectors, 256)).toBe("flat");
    const dense = vectors.map((v) => v.map((x, j) => x + 0.01 * Math.sin(j + 1)));
    expect(chooseVectorForm(dense, 256)).toBe("hnsw");
    expect(chooseVectorForm(vectors, 256, "hnsw")).toBe("hnsw");
  });
});
