/**
 * A small domain thesaurus: how staff phrase a thing in a question versus how the documents word
 * it ("停业" is "停止经营"/"歇业" in the regulations; "进京邮件" is "进京邮(快)件" in the bulletin).
 * Used by term coverage (a synonym in the text counts as the term) and to add a second retrieval
 * query. Hand-written: no offline Chinese thesaurus library covers this postal-regulation wording;
 * every alternative below occurs in the corpus.
 */
const GROUPS: readonly (readonly string[])[] = [
  ["停业", "停止经营", "歇业", "停止营业", "暂停快递服务", "中断提供快递业务"],
  ["快递企业", "经营快递业务的企业", "快递经营企业"],
  ["快递公司", "快递企业", "经营快递业务的企业", "快递经营企业"],
  ["进京邮件", "进京邮(快)件", "进京邮快件"],
  ["邮快件", "邮(快)件", "邮件快件", "邮件、快件"],
  ["快递员", "快递从业人员", "快件收派人员"],
  ["快递柜", "智能快件箱", "快件箱", "智能快递柜"],
  ["丢了", "丢失", "灭失"],
  ["丢失", "灭失"],
  ["身份证", "身份证件", "居民身份证"],
  ["罚款", "罚金"],
  ["许可证", "经营许可证", "快递业务经营许可证"],
  ["投诉", "申诉"],
  ["营业执照", "工商登记"],
];

const map = new Map<string, string[]>();
for (const group of GROUPS) {
  const [head, ...alts] = group;
  if (!head) continue;
  map.set(head, [...(map.get(head) ?? []), ...alts]);
}

/** Alternative wordings of a term as the documents use them (empty when none). */
export function synonymsOf(term: string): readonly string[] {
  return map.get(term) ?? [];
}

/** Alternative wordings of every known term found in the question, for a second retrieval query. */
export function expansionsFor(question: string): string[] {
  const out: string[] = [];
  for (const [term, alts] of map) if (question.includes(term)) for (const a of alts) if (!question.includes(a) && !out.includes(a)) out.push(a);
  return out;
}
