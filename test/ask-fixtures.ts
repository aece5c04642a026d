/** Hand-made search hits (shapes of src/retrieval/types.ts) for the ask tests. */
import type { SearchHit } from "../src/retrieval/types.js";
import type { Chunk, DocumentMeta } from "../src/ingest/types.js";
import { normalizeText } from "../src/ingest/normalize.js";

const kuaidi: DocumentMeta = {
  id: "regulations/快递暂行条例",
  title: "快递暂行条例",
  date: "2018-03-02",
  kind: "regulation",
  path: "../shared/corpus/regulations/快递暂行条例.md",
};
const henan: DocumentMeta = {
  id: "regulations/河南省邮政条例",
  title: "河南省邮政条例",
  date: null,
  kind: "regulation",
  path: "../shared/corpus/regulations/河南省邮政条例.md",
};
const bulletin: DocumentMeta = {
  id: "bulletins/2015-09-30",
  title: "国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议",
  date: "2015-09-30",
  kind: "bulletin",
  path: "corpus/2015-09-30.txt",
};

/** A chunk of `doc` as ingest would make it (text normalised from the original). */
export function chunk(doc: DocumentMeta, ordinal: number, section: string | null, original: string): Chunk {
  return {
    id: `${doc.id}#${ordinal}`,
    docId: doc.id,
    ordinal,
    section,
    chapter: null,
    lead: null,
    text: normalizeText(original),
    original,
  };
}

export const ART29 = chunk(
  kuaidi,
  29,
  "第二十九条",
  "第二十九条 经营快递业务的企业停止经营的，应当提前10日向社会公告，书面告知邮政管理部门，交回快递业务经营许可证，并依法妥善处理尚未投递的快件。\n经营快递业务的企业或者其分支机构因不可抗力或者其他特殊原因暂停快递服务的，应当及时向邮政管理部门报告，向社会公告暂停服务的原因和期限，并依法妥善处理尚未投递的快件。",
);
export const ART30 = chunk(
  kuaidi,
  30,
  "第三十条",
  "第三十条 经营快递业务的企业应当建立健全安全保障制度，确保快件安全。",
);
export const HENAN44 = chunk(
  henan,
  44,
  "第四十四条",
  "第四十四条 快递企业不得擅自中断提供快递业务。如确需临时歇业的，应当按照规定提前七日书面告知邮政管理部门，同时在营业场所及有关媒体上进行公告，并及时妥善处理未处理的快件。",
);
export const BUL3 = chunk(
  bulletin,
  3,
  "¶3",
  "紀念活動期間，動員全行業全系統(tǒng)力量，在特殊時段對進京郵(快)件落實了“三個100%”措施，在收寄進京郵(快)件高達2828萬件的情況下，全行業未發生一起重大生產(chǎn)安全事故。同時，行業(yè)運行穩(wěn)定，黨報黨刊發(fā)行順暢。",
);

const docs = new Map([
  [ART29.id, kuaidi],
  [ART30.id, kuaidi],
  [HENAN44.id, henan],
  [BUL3.id, bulletin],
]);

export const hit = (c: Chunk, score = 1): SearchHit => ({ chunk: c, doc: docs.get(c.id)!, score });

/** A retriever over the fixtures: chunks ranked by shared characters with the query (enough for tests). */
export function fixtureRetrieve(chunks: Chunk[] = [ART29, ART30, HENAN44, BUL3]) {
  const calls: string[] = [];
  const retrieve = async (query: string, opts: { k?: number }) => {
    calls.push(query);
    const q = new Set(Array.from(normalizeText(query)));
    return chunks
      .map((c) => ({ c, s: Array.from(new Set(c.text)).filter((ch) => q.has(ch)).length }))
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s)
      .slice(0, opts.k ?? 8)
      .map((x) => hit(x.c, x.s));
  };
  return { retrieve, calls };
}
