import { describe, expect, it } from "vitest";
import { Bm25Index } from "../../index/bm25-index.js";
import { indexTerms } from "../../index/tokenize.js";
import { IndexedTermStats } from "./indexed-term-stats.js";
import { CorpusStats } from "./query-terms.js";

// Chunks indexed like ingest does (title + text), so the postings hold words the text lacks.
const chunks = [
  { id: "c1", title: "快递暂行条例", text: "快递企业停止经营的，应当提前10日向社会公告。" },
  { id: "c2", title: "快递暂行条例", text: "经营快递业务的企业应当依法登记。" },
  { id: "c3", title: "邮政法", text: "进京邮(快)件实行安检，EMS 与 Python 无关。" },
  { id: "c4", title: "快递市场管理办法", text: "寄件人交寄物品，收件人验视；\uF900天气不算。" },
  { id: "c5", title: "邮政法", text: "邮政企业按照国家规定办理机要通信。" },
];

function build() {
  const bm25 = new Bm25Index();
  for (const c of chunks) bm25.add(c.id, indexTerms(`${c.title}\n${c.text}`));
  return { bm25, chunkById: new Map(chunks.map((c) => [c.id, c])) };
}

describe("IndexedTermStats", () => {
  const scan = new CorpusStats(chunks.map((c) => c.text));
  const cases: [string, string[]][] = [
    ["快递企业", []],
    ["快递", []], // also in titles: only chunks whose text holds it count
    ["暂行条例", []], // in titles only: df 0
    ["公告", ["告示"]],
    ["进京邮件", ["进京邮(快)件"]], // a wording with non-CJK characters between CJK runs
    ["寄", []], // one character: per-character table
    ["企", []],
    ["豈", []], // the text has U+F900, which NFKC folds to 豈 (U+8C48): checked on the folded text
    ["豈天", []],
    ["ems", []], // latin: scan fallback
    ["10", []],
    ["天气", []],
    ["电话", []], // nowhere
  ];
  it.each(cases)("gives the same IDF as the scan for %s", (term, alternatives) => {
    const ix = new IndexedTermStats(build());
    expect(ix.idf(term, alternatives)).toBeCloseTo(scan.idf(term, alternatives), 12);
  });

  it("uses the postings, not a scan, for every term with a CJK character", () => {
    const ix = new IndexedTermStats(build());
    for (const [t, alt] of cases.slice(0, 9)) ix.idf(t, alt);
    expect([...ix.scanned]).toEqual([]);
    expect([...ix.sampled]).toEqual([]);
    expect(ix.idf("豈天")).toBeLessThan(ix.idf("电话")); // found (df 1), not missing
    ix.idf("ems");
    expect([...ix.scanned]).toEqual(["ems"]);
    expect(ix.size).toBe(chunks.length);
  });

  it("estimates df from an evenly spread sample when there are more candidates than maxChecks", () => {
    // 400 chunks: every 4th holds 企业 in its text, all hold it in the title (so all are candidates)
    const many = Array.from({ length: 400 }, (_, i) => ({
      id: `m${i}`,
      title: "企业管理办法",
      text: i % 4 === 0 ? "企业应当登记。" : "单位应当登记。",
    }));
    const bm25 = new Bm25Index();
    for (const c of many) bm25.add(c.id, indexTerms(`${c.title}\n${c.text}`));
    const corpus = { bm25, chunkById: new Map(many.map((c) => [c.id, c])) };
    const exact = new CorpusStats(many.map((c) => c.text)).idf("企业");
    const sampled = new IndexedTermStats(corpus, { maxChecks: 40, minSampleHits: 5 });
    // 40 draws: the share's standard error is ~7%, i.e. ~0.07 of IDF here
    expect(Math.abs(sampled.idf("企业") - exact)).toBeLessThan(0.15);
    expect([...sampled.sampled]).toEqual(["企业"]);
    expect(new IndexedTermStats(corpus).idf("企业")).toBeCloseTo(exact, 12); // 400 ≤ MAX_CHECKS: exact
    expect(
      Math.abs(
        new IndexedTermStats(corpus, { maxChecks: 40, minSampleHits: 5 }).idf("位") -
          new CorpusStats(many.map((c) => c.text)).idf("位"),
      ),
    ).toBeLessThan(0.15);
  });

  it("counts exactly a term the sample finds too rarely to estimate", () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      id: `m${i}`,
      title: "企业管理办法",
      text: i === 137 ? "企业应当登记。" : "单位应当登记。",
    }));
    const bm25 = new Bm25Index();
    for (const c of many) bm25.add(c.id, indexTerms(`${c.title}\n${c.text}`));
    const ix = new IndexedTermStats(
      { bm25, chunkById: new Map(many.map((c) => [c.id, c])), chunks: many },
      { maxChecks: 40 },
    );
    const scan = new CorpusStats(many.map((c) => c.text));
    for (const t of ["企业", "企"]) expect(ix.idf(t)).toBeCloseTo(scan.idf(t), 12);
    expect([...ix.sampled]).toEqual([]);
  });

  it("counts a chunk once when several wordings match it", () => {
    const ix = new IndexedTermStats(build());
    // c1 holds 快递企业; c2 and c5 hold 企业 too: union = 3 chunks
    expect(ix.idf("快递企业", ["企业"])).toBeCloseTo(Math.log(1 + 5 / 4), 12);
  });
});
