/**
 * Checks the issue-10 question sets (evals/ask-test.jsonl, the first frozen test set, evals/ask-test2.jsonl,
 * the second frozen test set written after the first was scored, and evals/ask-dev.jsonl, the dev set)
 * against the corpus, each other and the older sets.
 *
 *   npx tsx evals/check-ask-sets.ts [--test FILE] [--test2 FILE] [--dev FILE] [--verbose]
 *
 * The corpus is read with the project's own code (read-only): ingest/discover, ingest/load-document,
 * ingest/chunk and ingest/normalize, over corpus/ and ../shared/corpus (identical files in both are
 * counted once, as ingest does). Errors (exit 1):
 * - ids: unique within and across the files; test ids t001…, test-2 ids s001…, dev ids v001…, in order;
 * - shape: question non-empty; gold null (then `note` is required and `cause` holds "mismatch" and one
 *   subtype) or a non-empty list of {title, text, section?} (regulation entries need `section`);
 *   kind and cause lists of known labels;
 * - gold: `title` picks a document (its normalised title or file name contains it); `text` is 8–25
 *   characters after norm (normalizeText, all white space removed: the contract's comparison plus
 *   pinyin-gloss removal, see ../shared/dev/README.md) and occurs in exactly ONE retrieval chunk of all
 *   the documents the title picks — for a regulation that chunk is the article `section` names, so a
 *   gold entry can never be satisfied by a second article; for a bulletin, one paragraph or one
 *   enumerated point;
 * - overlap (the HARD RULE: no question shares a run of 4 or more characters with its gold article,
 *   except names and numbers). Rule: in norm(question), every character inside a NAME (the list
 *   NAMES below: places, the corpus documents' names and short names, people, bodies and companies
 *   the bulletins name) or a NUMBER (a run of Arabic digits or Chinese numerals 零〇一二两三四五六七八九十百千万亿,
 *   with a decimal point and %, plus one directly following unit character of 元日天年月个次人条倍周号届)
 *   is masked; the longest common substring of the masked question and each gold article
 *   (norm, the whole chunk) must be shorter than 4. A shared run of 4+ that crosses a name or a number
 *   is therefore broken there, and only words of the question's own choosing count;
 * - dev vs test vs test 2, and each vs the older sets (../shared/dev/questions.jsonl, evals/answer.jsonl,
 *   evals/answer-calibration.jsonl, evals/retrieval.jsonl) and within a set: no two questions equal after
 *   norm and punctuation removal, and no pair with a character-bigram Dice similarity of 0.5 or more
 *   (a paraphrase pair); pairs from 0.4 are listed as warnings to read;
 * - test-set balance (issue 10, both test sets alike): at least 110 answerable and 32 unanswerable; kinds place >= 25,
 *   penalty >= 15, definition >= 10, traditional >= 12, typo >= 8, bulletin >= 10; cause multi-article >= 6.
 *   Dev: at least 150 items, 120 answerable, 30 unanswerable.
 * Prints counts by kind and cause for every set.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chunkDocument } from "../src/ingest/chunk.js";
import { discoverFiles } from "../src/ingest/discover.js";
import { loadDocument } from "../src/ingest/load-document.js";
import { normalizeText } from "../src/ingest/normalize.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? path.resolve(args[i + 1]!) : dflt;
};
const TEST = opt("--test", path.join(here, "ask-test.jsonl"));
const TEST2 = opt("--test2", path.join(here, "ask-test2.jsonl"));
const DEV = opt("--dev", path.join(here, "ask-dev.jsonl"));
const verbose = args.includes("--verbose");
/** --pairs: list every pair of questions (across sets) whose gold names the same chunk, for a person to read. */
const listPairs = args.includes("--pairs");

const norm = (s: string) => normalizeText(s).replace(/\s+/gu, "");

let errors = 0;
let warnings = 0;
const err = (m: string) => {
  errors++;
  console.log(`ERROR ${m}`);
};
const warn = (m: string) => {
  warnings++;
  console.log(`warn  ${m}`);
};

// ---------------------------------------------------------------- corpus
interface Unit {
  section: string | null;
  text: string;
}
interface Doc {
  file: string;
  names: string[];
  kind: string;
  units: Unit[];
}
async function loadCorpus(): Promise<Doc[]> {
  const docs: Doc[] = [];
  const seen = new Set<string>();
  for (const dir of [path.join(root, "corpus"), path.resolve(root, "../shared/corpus")]) {
    if (!existsSync(dir)) continue;
    for (const file of await discoverFiles(dir)) {
      const doc = await loadDocument(file, { root: dir });
      if (seen.has(doc.text)) continue; // the same file in both corpora is indexed once
      seen.add(doc.text);
      const chunks = chunkDocument(doc);
      docs.push({
        file: path.relative(root, file),
        names: [norm(doc.meta.title), norm(path.basename(file).replace(/\.[^.]+$/u, ""))],
        kind: doc.meta.kind,
        units: chunks.map((c) => ({ section: c.section, text: norm(c.text) })),
      });
    }
  }
  return docs;
}

// ---------------------------------------------------------------- names and numbers (overlap rule)
/** Names a question may share with an article: kept as data here, the rule's whole exemption list. */
const NAMES = [
  // provinces and their capitals/cities/districts the sets use (with and without 省/市/区)
  ..."北京 上海 天津 重庆 山东 河南 浙江 四川 湖南 湖北 福建 辽宁 广东 江苏 安徽 陕西 山西 河北 江西 云南 贵州 广西 海南 甘肃 吉林 黑龙江 新疆 内蒙古 宁夏 青海 西藏".split(
    " ",
  ),
  ..."济南 青岛 烟台 潍坊 临沂 淄博 威海 日照 济宁 泰安 德州 聊城 菏泽 枣庄 东营 滨州 郑州 洛阳 开封 南阳 新乡 安阳 许昌 平顶山 信阳 周口 驻马店 商丘 焦作 鹤壁 漯河 三门峡 濮阳".split(
    " ",
  ),
  ..."杭州 宁波 温州 嘉兴 绍兴 金华 台州 湖州 衢州 丽水 舟山 义乌 万州 涪陵 渝北 九龙坡 永川 黔江 沙坪坝 朝阳 海淀 丰台 通州 昌平 大兴 顺义 延庆 怀柔 密云 浦东 闵行 徐汇 静安 黄浦 嘉定 松江 青浦 宝山 奉贤 崇明".split(
    " ",
  ),
  ..."成都 长沙 厦门 福州 大连 沈阳 深圳 广州 苏州 南京 武汉 合肥 西安 石家庄 太原 南昌 昆明 贵阳 南宁 海口 兰州 长春 哈尔滨 乌鲁木齐 昌吉 呼和浩特".split(
    " ",
  ),
  // the corpus documents by name
  "中华人民共和国邮政法实施细则",
  "中华人民共和国邮政法",
  "邮政法实施细则",
  "邮政法",
  "实施细则",
  "快递暂行条例",
  "中华人民共和国安全生产法",
  "安全生产法",
  "中华人民共和国反恐怖主义法",
  "反恐怖主义法",
  "反恐法",
  "北京市邮政通信条例",
  "邮政通信条例",
  "上海市实施《中华人民共和国邮政法》办法",
  "山东省邮政条例",
  "河南省邮政条例",
  "重庆市邮政条例",
  "邮政条例",
  "浙江省快递业促进条例",
  "快递业促进条例",
  "促进条例",
  // the bulletins' events, people, bodies and companies
  "中国-亚欧博览会",
  "亚欧博览会",
  "博览会",
  "抗战胜利70周年",
  "刘君",
  "马军胜",
  "邢小江",
  "王梅",
  "赵晓光",
  "国家邮政局",
  "国家安全部",
  "国家反恐办",
  "国家安全厅",
  "公安厅",
  "邮政管理局",
  "邮区中心局",
  "普遍服务司",
  "市场监管司",
  "中国人民银行",
  "人民银行",
  "中国人民邮政",
  "中国邮政",
  "顺丰",
  "申通",
  "圆通",
  "中通",
  "韵达",
  "京东",
  "菜鸟",
  "极兔",
  "德邦",
  "邮政速递物流",
].sort((a, b) => b.length - a.length);
const NAMES_NORM = [...new Set(NAMES.map(norm))];
const NUMBER_RE = /[0-9０-９零〇一二两三四五六七八九十百千万亿]+(?:[.．][0-9]+)?%?[元日天年月个次人条倍周号届]?/gu;

/** The question with every name and number character replaced by a character no article contains. */
export function maskNamesAndNumbers(q: string): string {
  const chars = [...q];
  const masked = new Array<boolean>(chars.length).fill(false);
  const joined = chars.join("");
  for (const n of NAMES_NORM) {
    let from = 0;
    for (;;) {
      const i = joined.indexOf(n, from);
      if (i < 0) break;
      // index in code units equals index in chars: the sets use BMP characters only
      for (let k = i; k < i + n.length; k++) masked[k] = true;
      from = i + 1;
    }
  }
  for (const m of joined.matchAll(NUMBER_RE)) for (let k = m.index!; k < m.index! + m[0].length; k++) masked[k] = true;
  return chars.map((c, i) => (masked[i] ? "\u0000" : c)).join("");
}

/** Longest common substring (length and the run) of a and b. */
function longestRun(a: string, b: string): { len: number; run: string } {
  let best = 0;
  let end = 0;
  const dp = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const t = dp[j]!;
      dp[j] = a[i - 1] === b[j - 1] && a[i - 1] !== "\u0000" ? prev + 1 : 0;
      if (dp[j]! > best) {
        best = dp[j]!;
        end = i;
      }
      prev = t;
    }
  }
  return { len: best, run: a.slice(end - best, end) };
}

/** Keys (document + chunk) of the chunks an item's gold entries resolve to. */
function goldKeys(it: Item, docs: Doc[]): Set<string> {
  const keys = new Set<string>();
  for (const g of Array.isArray(it.gold) ? it.gold : []) {
    const nt = norm(g.text ?? "");
    const tt = norm(g.title ?? "");
    if (!nt || !tt) continue;
    for (const d of docs.filter((d) => d.names.some((n) => n.includes(tt))))
      d.units.forEach((u, i) => {
        if (u.text.includes(nt)) keys.add(`${path.basename(d.file)}#${u.section ?? i}`);
      });
  }
  return keys;
}

// ---------------------------------------------------------------- similarity (paraphrase check)
const PUNCT = /[\p{P}\p{S}\s]/gu;
const simple = (q: string) => norm(q).replace(PUNCT, "");
function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
  return m;
}
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (const v of a.values()) na += v;
  for (const v of b.values()) nb += v;
  for (const [k, v] of a) inter += Math.min(v, b.get(k) ?? 0);
  return na + nb ? (2 * inter) / (na + nb) : 0;
}

// ---------------------------------------------------------------- sets
interface Gold {
  title: string;
  text: string;
  section?: string;
}
interface Item {
  id: string;
  question: string;
  gold: Gold[] | null;
  kind?: string[];
  cause?: string[];
  note?: string;
}
const KINDS = new Set([
  "colloquial",
  "place",
  "penalty",
  "definition",
  "traditional",
  "mixed",
  "typo",
  "short",
  "long",
  "compare",
  "bulletin",
  "no-province-national",
  "unanswerable",
]);
const CAUSES = new Set(["vocabulary", "definition", "penalty", "place", "multi-article", "quote", "mismatch"]);
const SUBTYPES = new Set(["no-province", "other-province-rule", "number", "edition", "company", "bulletin-detail"]);

function readJsonl(file: string): Item[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split(/\r?\n/u)
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.trim())
    .map(({ l, i }) => {
      try {
        return JSON.parse(l) as Item;
      } catch (e) {
        err(`${path.basename(file)}:${i + 1}: not JSON (${(e as Error).message})`);
        return { id: `?line${i + 1}`, question: "", gold: null };
      }
    });
}

function checkSet(name: string, items: Item[], prefix: string, docs: Doc[], allIds: Set<string>) {
  const kinds: Record<string, number> = {};
  const causes: Record<string, number> = {};
  const overlaps: Record<string, number> = {};
  let answerable = 0;
  let unanswerable = 0;
  items.forEach((q, i) => {
    const want = prefix + String(i + 1).padStart(3, "0");
    if (q.id !== want) err(`${name} ${q.id}: expected id ${want}`);
    if (allIds.has(q.id)) err(`${name} ${q.id}: duplicate id`);
    allIds.add(q.id);
    if (typeof q.question !== "string" || !q.question.trim()) err(`${q.id}: empty question`);
    for (const k of q.kind ?? []) {
      if (!KINDS.has(k)) err(`${q.id}: unknown kind "${k}"`);
      kinds[k] = (kinds[k] ?? 0) + 1;
    }
    const cause = q.cause ?? [];
    for (const c of cause) {
      if (!CAUSES.has(c) && !SUBTYPES.has(c)) err(`${q.id}: unknown cause "${c}"`);
      causes[c] = (causes[c] ?? 0) + 1;
    }
    if (q.gold === null) {
      unanswerable++;
      if (!(q.kind ?? []).includes("unanswerable")) err(`${q.id}: gold null but kind lacks "unanswerable"`);
      if (!q.note?.trim()) err(`${q.id}: unanswerable item without a note`);
      if (!cause.includes("mismatch") || cause.filter((c) => SUBTYPES.has(c)).length !== 1)
        err(`${q.id}: unanswerable cause must be "mismatch" plus one subtype, got ${JSON.stringify(cause)}`);
      return;
    }
    if (!Array.isArray(q.gold) || !q.gold.length) {
      err(`${q.id}: gold must be null or a non-empty list`);
      return;
    }
    answerable++;
    if ((q.kind ?? []).includes("unanswerable")) err(`${q.id}: has gold but kind "unanswerable"`);
    if (!cause.length || cause.some((c) => c === "mismatch" || SUBTYPES.has(c)))
      err(`${q.id}: answerable cause must name failure causes, got ${JSON.stringify(cause)}`);
    const maskedQ = maskNamesAndNumbers(norm(q.question));
    let maxRun = { len: 0, run: "" };
    const seenUnits = new Set<string>();
    for (const g of q.gold) {
      const nt = norm(g.text ?? "");
      const tt = norm(g.title ?? "");
      const len = [...nt].length;
      if (len < 8 || len > 25) err(`${q.id}: gold text is ${len} chars (8–25): ${g.text}`);
      const named = docs.filter((d) => d.names.some((n) => n.includes(tt)));
      if (!tt || !named.length) {
        err(`${q.id}: no document title contains "${g.title}"`);
        continue;
      }
      const hits: { doc: Doc; unit: Unit }[] = [];
      for (const d of named) for (const u of d.units) if (u.text.includes(nt)) hits.push({ doc: d, unit: u });
      if (!hits.length) {
        err(`${q.id}: "${g.text}" occurs in no single chunk of ${named.map((d) => d.file).join(", ")}`);
        continue;
      }
      if (hits.length > 1)
        err(
          `${q.id}: "${g.text}" occurs in ${hits.length} chunks (${hits.map((h) => `${path.basename(h.doc.file)} ${h.unit.section ?? ""}`).join("; ")}); choose a text only the answering article holds`,
        );
      const hit = hits[0]!;
      if (hit.doc.kind === "regulation") {
        if (!g.section) err(`${q.id}: regulation gold "${g.text}" without section`);
        else if (hit.unit.section !== g.section)
          err(`${q.id}: "${g.text}" is in ${hit.unit.section}, not ${g.section}`);
      }
      const key = `${hit.doc.file}#${hit.unit.section}#${hit.unit.text.slice(0, 20)}`;
      if (seenUnits.has(key)) err(`${q.id}: two gold entries name the same chunk`);
      seenUnits.add(key);
      const r = longestRun(maskedQ, hit.unit.text);
      if (r.len > maxRun.len) maxRun = r;
    }
    const b = maxRun.len >= 4 ? "4+" : String(maxRun.len);
    overlaps[b] = (overlaps[b] ?? 0) + 1;
    if (maxRun.len >= 4)
      err(`${q.id}: question shares "${maxRun.run}" (${maxRun.len} chars, no name or number) with its gold article`);
    if (verbose) console.log(`${q.id} run=${maxRun.len} ${maxRun.run}`);
  });
  console.log(`${name}: ${items.length} items (${answerable} answerable, ${unanswerable} unanswerable)`);
  console.log(`  kinds: ${JSON.stringify(kinds)}`);
  console.log(`  causes: ${JSON.stringify(causes)}`);
  console.log(`  longest shared run with the gold article (names and numbers masked): ${JSON.stringify(overlaps)}`);
  return { answerable, unanswerable, kinds, causes, n: items.length };
}

function similarityCheck(groups: { name: string; items: Item[] }[], pairsToCheck: [number, number][]) {
  const prepared = groups.map((g) =>
    g.items.map((it) => ({
      id: it.id,
      q: it.question,
      s: simple(it.question ?? ""),
      bg: bigrams(simple(it.question ?? "")),
    })),
  );
  let listed = 0;
  for (const [a, b] of pairsToCheck) {
    const A = prepared[a]!;
    const B = prepared[b]!;
    for (let i = 0; i < A.length; i++) {
      for (let j = a === b ? i + 1 : 0; j < B.length; j++) {
        const x = A[i]!;
        const y = B[j]!;
        const same = x.s === y.s;
        const d = dice(x.bg, y.bg);
        if (same || d >= 0.5)
          err(
            `paraphrase pair (${groups[a]!.name} ${x.id} / ${groups[b]!.name} ${y.id}, Dice ${d.toFixed(2)}): ${x.q} | ${y.q}`,
          );
        else if (d >= 0.4) {
          listed++;
          warn(
            `similar pair (${groups[a]!.name} ${x.id} / ${groups[b]!.name} ${y.id}, Dice ${d.toFixed(2)}): ${x.q} | ${y.q}`,
          );
        }
      }
    }
  }
  return listed;
}

async function main() {
  const docs = await loadCorpus();
  console.log(`corpus: ${docs.length} documents, ${docs.reduce((s, d) => s + d.units.length, 0)} chunks`);
  const test = readJsonl(TEST);
  const dev = readJsonl(DEV);
  const ids = new Set<string>();
  const test2 = readJsonl(TEST2);
  const balance = (file: string, items: Item[], prefix: string) => {
    const t = checkSet(path.basename(file), items, prefix, docs, ids);
    if (!items.length) err(`${file}: missing or empty`);
    const need = (cond: boolean, m: string) => cond || err(`${path.basename(file)} balance: ${m}`);
    need(t.answerable >= 110, `${t.answerable} answerable (>= 110)`);
    need(t.unanswerable >= 32, `${t.unanswerable} unanswerable (>= 32)`);
    for (const [k, min] of [
      ["place", 25],
      ["penalty", 15],
      ["definition", 10],
      ["traditional", 12],
      ["typo", 8],
      ["bulletin", 10],
    ] as const)
      need((t.kinds[k] ?? 0) >= min, `kind ${k} ${t.kinds[k] ?? 0} (>= ${min})`);
    need((t.causes["multi-article"] ?? 0) >= 6, `cause multi-article ${t.causes["multi-article"] ?? 0} (>= 6)`);
  };
  balance(TEST, test, "t");
  balance(TEST2, test2, "s");
  if (dev.length) {
    const d = checkSet(path.basename(DEV), dev, "v", docs, ids);
    if (d.n < 150 || d.answerable < 120 || d.unanswerable < 30)
      err(`dev set: ${d.n} items, ${d.answerable} answerable, ${d.unanswerable} unanswerable (>= 150, 120, 30)`);
  } else console.log(`${path.basename(DEV)}: not written yet`);
  const older = [
    path.resolve(root, "../shared/dev/questions.jsonl"),
    path.join(here, "answer.jsonl"),
    path.join(here, "answer-calibration.jsonl"),
    path.join(here, "retrieval.jsonl"),
  ].filter(existsSync);
  const oldItems = older.flatMap((f) => readJsonl(f).map((it) => ({ ...it, id: `${path.basename(f)}:${it.id}` })));
  const groups = [
    { name: "test", items: test },
    { name: "dev", items: dev },
    { name: "older", items: oldItems },
    { name: "test2", items: test2 },
  ];
  const pairs: [number, number][] = [
    [0, 0],
    [1, 1],
    [0, 1],
    [0, 2],
    [1, 2],
    [3, 3],
    [3, 0],
    [3, 1],
    [3, 2],
  ];
  similarityCheck(groups, pairs);
  if (listPairs) {
    const keyed = groups.map((g) => g.items.map((it) => ({ it, keys: goldKeys(it, docs) })));
    for (const [a, b] of pairs)
      for (const x of keyed[a]!)
        for (const y of keyed[b]!) {
          if (a === b && x.it.id >= y.it.id) continue;
          const shared = [...x.keys].filter((k) => y.keys.has(k));
          if (shared.length)
            console.log(
              `same article ${shared.join(",")}: ${groups[a]!.name} ${x.it.id} ${x.it.question} | ${groups[b]!.name} ${y.it.id} ${y.it.question}`,
            );
        }
  }
  console.log(`\n${errors} errors, ${warnings} warnings`);
  process.exitCode = errors ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
