import { describe, expect, it } from "vitest";
import { normalizeText } from "../../ingest/normalize.js";
import type { Chunk } from "../../ingest/types.js";
import { chunkSentences, splitSentences } from "./sentences.js";

describe("splitSentences", () => {
  it("splits at 。！？ and line breaks, not at semicolons, keeping closing quotes", () => {
    expect(splitSentences("第一句。第二句！“引号里。”\n新行没有句号\n(一)甲；乙；")).toEqual([
      "第一句。",
      "第二句！",
      "“引号里。”",
      "新行没有句号",
      "(一)甲；乙；",
    ]);
  });
  it("drops punctuation-only fragments", () => {
    expect(splitSentences("……\n。\n正文。")).toEqual(["正文。"]);
  });
});

describe("chunkSentences", () => {
  const original = "紀念活動期間，對進京郵(快)件落實了“三個100%”措施。同時，行業(yè)運行穩(wěn)定。";
  const chunk: Chunk = {
    id: "b#1",
    docId: "b",
    ordinal: 1,
    section: null,
    chapter: null,
    lead: null,
    text: normalizeText(original),
    original,
  };

  it("pairs each normalised sentence with the same sentence as published", () => {
    const s = chunkSentences(chunk);
    expect(s.map((x) => x.text)).toEqual([
      "纪念活动期间，对进京邮(快)件落实了“三个100%”措施。",
      "同时，行业运行稳定。",
    ]);
    expect(s.map((x) => x.quote)).toEqual([
      "紀念活動期間，對進京郵(快)件落實了“三個100%”措施。",
      "同時，行業(yè)運行穩(wěn)定。",
    ]);
    expect(s.map((x) => x.index)).toEqual([0, 1]);
  });

  it("quotes the normalised text when the chunk has no original", () => {
    const s = chunkSentences({ ...chunk, id: "b#2", original: "" });
    expect(s[0]!.quote).toBe(s[0]!.text);
  });
});
