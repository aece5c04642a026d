import { describe, expect, it } from "vitest";
import { applyDefinitions } from "./definitions.js";

describe("definition questions", () => {
  const chunks: Record<string, { defines?: string[] }> = { uses: {}, defines: { defines: ["给据邮件", "快件"] } };
  const ranked = [
    { id: "uses", score: 10 },
    { id: "defines", score: 8 },
  ];
  it("raise the article that defines a term the question names", () => {
    expect(applyDefinitions(ranked, "什么叫给据邮件", (id) => chunks[id]).map((h) => h.id)).toEqual([
      "defines",
      "uses",
    ]);
    expect(applyDefinitions(ranked, "快递公司送的信也算快件吗", (id) => chunks[id]).map((h) => h.id)).toEqual([
      "defines",
      "uses",
    ]);
  });
  it("leave other questions, and definitions of terms not named, as ranked", () => {
    expect(applyDefinitions(ranked, "给据邮件丢了怎么赔", (id) => chunks[id]).map((h) => h.id)).toEqual([
      "uses",
      "defines",
    ]);
    expect(applyDefinitions(ranked, "什么叫普遍服务", (id) => chunks[id]).map((h) => h.id)).toEqual([
      "uses",
      "defines",
    ]);
  });
});
