/**
 * ask: a question naming a province whose best match in the whole corpus is another province's
 * rule by a wide margin is refused, saying whose rule it is (create-asker.ts dominatingProvince).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createAsker } from "../src/assistant/ask/create-asker.js";
import type { SearchOptions } from "../src/retrieval/types.js";
import { ART29, HENAN44, hit } from "./ask-fixtures.js";

const promptsDir = fileURLToPath(new URL("../prompts/", import.meta.url));

/** Scoped searches see national law only (the question names 北京); the raw search sees every province's rules. */
const retrieveWith = (henanScore: number) => async (_q: string, o: SearchOptions) =>
  o.raw ? [hit(HENAN44, henanScore), hit(ART29, 5)] : [hit(ART29, 5)];

describe("another province's rule dominating", () => {
  it("refuses, naming the province whose rule it is, when that rule outscores everything in scope", async () => {
    const asker = createAsker({ retrieve: retrieveWith(10), model: null, promptsDir, threshold: 0.1 });
    const r = await asker.ask("北京的快递企业临时歇业要提前几天书面告知？");
    expect(r.abstained).toBe(true);
    expect(r.abstainReason).toBe("other-province-rule:河南省");
    expect(r.answer).toContain("只有河南省的地方性法规对此有规定");
    expect(r.citations).toEqual([]);
  });

  it("answers from national law when the other province's rule is not far ahead", async () => {
    const asker = createAsker({ retrieve: retrieveWith(6), model: null, promptsDir, threshold: 0.1 });
    const r = await asker.ask("北京的快递企业停止经营要提前几天公告？");
    expect(r.abstained).toBe(false);
    expect(r.citations[0]?.chunkId).toBe(ART29.id);
  });

  it("does not compare when the question names no province", async () => {
    const asker = createAsker({ retrieve: retrieveWith(10), model: null, promptsDir, threshold: 0.1 });
    const r = await asker.ask("快递企业停止经营要提前几天公告？");
    expect(r.abstained).toBe(false);
  });
});
