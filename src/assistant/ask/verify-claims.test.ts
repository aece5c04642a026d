import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ART29, HENAN44, hit } from "../../../test/ask-fixtures.js";
import { chunkDocument } from "../../ingest/chunk.js";
import { loadDocument } from "../../ingest/load-document.js";
import { normalizeText } from "../../ingest/normalize.js";
import type { Chunk } from "../../ingest/types.js";
import type { SearchHit } from "../../retrieval/types.js";
import { chunkSentences } from "./sentences.js";
import { capAnswer, MAX_ANSWER_CHARS, modalsIn, verifyClaims } from "./verify-claims.js";

const ART18_TEXT =
  "第十八条 经营快递业务的企业及其分支机构可以根据业务需要开办快递末端网点，并应当自开办之日起20日内向所在地邮政管理部门备案。快递末端网点无需办理营业执照。";
const ART18: Chunk = {
  id: "regulations/快递暂行条例#18",
  docId: "regulations/快递暂行条例",
  ordinal: 18,
  section: "第十八条",
  chapter: null,
  lead: null,
  text: normalizeText(ART18_TEXT),
  original: ART18_TEXT,
};
const art18: SearchHit = {
  chunk: ART18,
  doc: { id: "regulations/快递暂行条例", title: "快递暂行条例", date: "2018-03-02", kind: "regulation", path: "x.md" },
  score: 1,
};
const sources = [art18, hit(ART29), hit(HENAN44)];

describe("verifyClaims", () => {
  it("removes the invented exemption of issue 13: 「快递末端网点无需任何备案[1]」 against 第十八条's 应当…备案", () => {
    const r = verifyClaims("快递末端网点无需任何备案[1]。开办快递末端网点无需办理营业执照[1]。", sources);
    expect(r.removed).toEqual([{ sentence: "快递末端网点无需任何备案[1]。", sources: [1], reason: "duty" }]);
    expect(r.answer).toBe("开办快递末端网点无需办理营业执照[1]。");
  });

  it("rejects the answer when every sentence is contradicted", () => {
    expect(verifyClaims("快递末端网点无需任何备案[1]。", sources).answer).toBeNull();
  });

  it("catches a changed number, in Arabic or Chinese numerals", () => {
    expect(verifyClaims("经营快递业务的企业停止经营的，应当提前15日向社会公告[2]。", sources).removed[0]?.reason).toBe(
      "number",
    );
    expect(verifyClaims("开办快递末端网点应当在三十日内备案[1]。", sources).removed[0]?.reason).toBe("number");
    expect(verifyClaims("开办快递末端网点应当在二十日内备案[1]。", sources).removed).toEqual([]);
  });

  it("catches permission against prohibition, and obligation against exemption", () => {
    expect(verifyClaims("快递企业可以擅自中断提供快递业务[3]。", sources).removed[0]?.reason).toBe("duty");
    expect(verifyClaims("快递末端网点应当办理营业执照[1]。", sources).removed[0]?.reason).toBe("duty");
    expect(verifyClaims("快递企业停止经营的，不得向社会公告[2]。", sources).removed[0]?.reason).toBe("duty");
  });

  it("catches a negation of what the source states", () => {
    expect(verifyClaims("企业停止经营的，没有公告义务，也不交回许可证[2]。", sources).removed[0]?.reason).toBe(
      "negation",
    );
  });

  it("keeps faithful paraphrases", () => {
    for (const a of [
      "经营快递业务的企业停止经营的，应当提前10日向社会公告[2]。",
      "快递企业不得擅自中断提供快递业务；确需临时歇业的，应当提前七日书面告知邮政管理部门[3]。",
      "企业可以根据业务需要开办快递末端网点，并应当自开办之日起20日内备案[1]。",
    ])
      expect(verifyClaims(a, sources).removed).toEqual([]);
  });

  it("modal words: longest first (无需 is not 需, 不得 is not 得)", () => {
    expect(modalsIn("无需备案，不得拒绝，应当公告，可以开办").map((m) => m.modality)).toEqual([
      "exempt",
      "prohibit",
      "oblige",
      "permit",
    ]);
  });

  it("never removes a sentence of the real corpus cited against its own passage", async () => {
    const roots = [resolve("corpus"), resolve("../shared/corpus/regulations"), resolve("../shared/corpus/bulletins")];
    let checked = 0;
    for (const root of roots) {
      for (const f of readdirSync(root).filter((n) => /\.(md|txt)$/.test(n) && !/^readme/i.test(n))) {
        const doc = await loadDocument(join(root, f), { root });
        for (const chunk of chunkDocument(doc)) {
          const h: SearchHit = { chunk, doc: doc.meta, score: 1 };
          for (const s of chunkSentences(chunk)) {
            if (s.text.replace(/[^\p{L}\p{N}]/gu, "").length < 6) continue;
            const claim = `${s.text.replace(/[。！？!?；;]+$/u, "")}[1]。`;
            const r = verifyClaims(claim, [h]);
            expect(r.removed, `${doc.meta.title} ${chunk.section}: ${s.text}`).toEqual([]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  }, 60_000);
});

describe("capAnswer", () => {
  it("keeps short answers and cuts long ones at a sentence end with a note", () => {
    expect(capAnswer("短回答[1]。")).toBe("短回答[1]。");
    const long = "快递企业应当建立健全安全保障制度[1]。".repeat(500);
    const capped = capAnswer(long);
    expect(capped.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
    expect(capped).toMatch(/。……（回答过长，已截断/);
    const noPunct = "快".repeat(MAX_ANSWER_CHARS * 100);
    expect(capAnswer(noPunct).length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
  });
});
