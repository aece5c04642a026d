/**
 * Cross-references between the articles of one regulation, resolved after chunking.
 *
 * A penalty article names the rule it punishes only by number ("违反本条例第三十四条规定的，…处…
 * 罚款"), so a question about the duty ("不做某事罚多少钱") shares no words with it. Here each
 * article chunk that refers to other articles of its own regulation (本条例/本法/本办法/本细则
 * 第X条, 第X条第Y款, 第X条第Y项, lists such as 第十条、第十二条, and bare 依照/按照/违反第X条) gets
 * - `related`: the normalised text of the articles it refers to (bounded), which the keyword index
 *   and the embedder read with the chunk (src/index/chunk-text.ts) and which is never quoted;
 * - `refs.cites`: the sections it refers to;
 * and each article referred to gets `refs.citedBy`, so a duty article knows its penalty article
 * (the asker adds that article when a penalty is asked about).
 * References inside one article (前款, 前两款, 本条第二款) need nothing: the chunk is the whole
 * article. References to another law (《中华人民共和国邮政法》第X条) are not resolved here.
 * Hand-written: no library parses Chinese statute references.
 */
import type { Chunk } from "./types.js";

const NUM = "[〇零一二三四五六七八九十百千两\\d]+";
/** A reference to one article of the same regulation, with optional 款/项 and listed siblings. */
const REFERENCE = new RegExp(
  `(《[^》]*》|本(?:条例|法|办法|细则|规定)|依照|按照|违反|根据|适用)?\\s*第(${NUM})条((?:第(?:[(（]?${NUM}[)）]?)[款项](?:[、，和及或]\\s*第?[(（]?${NUM}[)）]?[款项]?)*)*)((?:\\s*[、和及或至]\\s*第${NUM}条(?:第[(（]?${NUM}[)）]?[款项])*)*)`,
  "g",
);
const MORE_ARTICLES = new RegExp(`第(${NUM})条`, "g");

/** At most this many characters of each referred article go into `related`. */
export const MAX_RELATED_CHARS = 400;

/** Sections ("第三十四条") of the same regulation that a text refers to, in order, without repeats. */
export function referencedSections(text: string, ownSection: string | null = null): string[] {
  const out: string[] = [];
  const add = (n: string) => {
    const s = `第${n}条`;
    if (s !== ownSection && !out.includes(s)) out.push(s);
  };
  for (const m of text.matchAll(REFERENCE)) {
    const lead = m[1] ?? "";
    // another law named in 《》 (but 本办法's own title in 《》 inside "上海市实施《…》办法" never precedes 第X条)
    if (lead.startsWith("《")) continue;
    // a bare "第X条" is only a reference when a verb of reference or 本法 precedes it, or it is a list
    if (!lead && !m[4]) continue;
    add(m[2]!);
    for (const more of (m[4] ?? "").matchAll(MORE_ARTICLES)) add(more[1]!);
  }
  return out;
}

/** Adds `related` and `refs` to the article chunks of one document (other chunks are returned as they are). */
export function linkCrossReferences(chunks: readonly Chunk[]): Chunk[] {
  const bySection = new Map<string, Chunk[]>();
  for (const c of chunks)
    if (c.section?.startsWith("第") && c.section.endsWith("条"))
      bySection.set(c.section, [...(bySection.get(c.section) ?? []), c]);
  if (bySection.size < 2) return [...chunks];
  const cites = new Map<Chunk, string[]>();
  const citedBy = new Map<string, string[]>();
  for (const c of chunks) {
    if (!c.section || !bySection.has(c.section)) continue;
    const refs = referencedSections(c.text, c.section).filter((s) => bySection.has(s));
    if (!refs.length) continue;
    cites.set(c, refs);
    for (const r of refs) {
      const list = citedBy.get(r) ?? [];
      if (!list.includes(c.section)) list.push(c.section);
      citedBy.set(r, list);
    }
  }
  return chunks.map((c) => {
    const out = cites.get(c);
    const inn = c.section ? citedBy.get(c.section) : undefined;
    if (!out && !inn) return c;
    const related = out
      ?.map((s) => {
        const text = bySection
          .get(s)!
          .map((x) => x.text)
          .join("");
        return Array.from(text).length > MAX_RELATED_CHARS
          ? Array.from(text).slice(0, MAX_RELATED_CHARS).join("")
          : text;
      })
      .join("\n");
    return { ...c, ...(related ? { related } : {}), refs: { cites: out ?? [], citedBy: inn ?? [] } };
  });
}
