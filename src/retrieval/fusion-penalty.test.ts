import { describe, expect, it } from "vitest";
import type { Chunk } from "../ingest/types.js";
import { applyPenaltyFusion, asksPenalty, offenceText } from "./fusion-penalty.js";
import { parseThesaurus } from "./query-expansion.js";

const rows = parseThesaurus("form\t罚多少|怎么罚|怎么处理\t罚款|以下|以上\nform\t能不能\t不得\nterm\t压着\t延误\n");

const chunk = (id: string, section: string, text: string, cites: string[] = []): Chunk =>
  ({ id, docId: "law", section, text, refs: { cites, citedBy: [] } }) as unknown as Chunk;

describe("penalty questions", () => {
  it("are those naming a penalty form; their offence is the question without any answer-form wording", () => {
    expect(asksPenalty("邮递员压着信不送罚多少", rows)).toBe(true);
    expect(asksPenalty("邮递员能不能压着信", rows)).toBe(false);
    expect(offenceText("邮递员压着信不送，能不能罚多少", rows).replace(/\s+/g, " ")).toBe("邮递员压着信不送， ");
  });

  it("move the penalty article whose offence item (or cited duty) the question names above a long list article", () => {
    const list = chunk(
      "list",
      "第十条",
      "第十条 有下列行为之一的，处一万元以上五万元以下的罚款：（一）未公布资费标准的；（二）未设置营业场所的；（三）未按规定报告的。罚款以下以上罚款。",
    );
    const duty = chunk("duty", "第三条", "第三条 邮递员不得延误投递信件。");
    const pen = chunk(
      "pen",
      "第十一条",
      "第十一条 违反本法第三条规定的，由邮政管理部门责令改正，处二千元以下的罚款。",
      ["第三条"],
    );
    const byId = new Map([list, duty, pen].map((c) => [c.id, c]));
    // BM25 of the offence alone: the duty article matches 延误/信, the others little
    const scores: Record<string, number> = { duty: 5, pen: 1, list: 0.5 };
    const index = {
      bm25: {
        idf: () => 1,
        search: () =>
          Object.entries(scores)
            .map(([id, score]) => ({ id, score }))
            .sort((a, b) => b.score - a.score),
      },
      chunkById: byId,
    } as never;
    const ranked = [
      { id: "list", score: 0.05 },
      { id: "duty", score: 0.045 },
      { id: "pen", score: 0.04 },
    ];
    const out = applyPenaltyFusion(ranked, "邮递员压着信不送罚多少", index, 0.5, rows);
    expect(out[0]!.id).toBe("pen");
    expect(out.map((h) => h.id).sort()).toEqual(["duty", "list", "pen"]); // only ranked candidates
    expect(applyPenaltyFusion(ranked, "邮递员压着信不送", index, 0.5, rows)).toBe(ranked); // not a penalty question
    expect(applyPenaltyFusion(ranked, "邮递员压着信不送罚多少", index, 0, rows)).toBe(ranked); // off
  });
});
