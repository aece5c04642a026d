/**
 * Deterministic generator of larger corpora from the real one, for `npm run bench`.
 *
 * It recombines the articles of the shared regulations and the paragraphs of the bulletins into
 * new documents with varied titles and dates: regulation-like Markdown files (chapters of
 * `第X条` articles) and bulletin-like text files (`发布时间:` header, paragraphs). The same seed and
 * target always give the same files, so runs on different days are comparable.
 */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** mulberry32: a tiny seeded PRNG (no library needed for four lines of arithmetic). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1..999 → 一, 十, 十一, 二十, 一百零五 … (article numbering of Chinese statutes). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ""}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ""}`;
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (rest === 0) return `${DIGITS[h]}百`;
  if (rest < 10) return `${DIGITS[h]}百零${DIGITS[rest]}`;
  return `${DIGITS[h]}百${rest < 20 ? "一" : ""}${chineseNumber(rest)}`;
}

export interface Pool {
  /** Article bodies without their `第X条 ` head (paragraphs joined by blank lines). */
  articles: string[];
  /** Bulletin paragraphs (published text, traditional characters and all). */
  paragraphs: string[];
  /** Sentences (ending in 。；！？) of the articles, for recombined articles. */
  sentences: string[];
  /** Sentences of the bulletin paragraphs, for recombined paragraphs. */
  bulletinSentences: string[];
}

/** Splits a text after each 。；！？ (the mark stays with its sentence); drops fragments under 6 chars. */
export function splitSentences(text: string): string[] {
  return (text.match(/[^。；！？\n]+[。；！？]?/g) ?? []).map((s) => s.trim()).filter((s) => s.length >= 6);
}

export async function readPool(sharedCorpus: string): Promise<Pool> {
  const articles: string[] = [];
  const regDir = join(sharedCorpus, "regulations");
  for (const name of (await readdir(regDir)).filter((f) => f.endsWith(".md")).sort()) {
    const body = (await readFile(join(regDir, name), "utf8")).split("<!-- INFO END -->").pop() ?? "";
    let current: string[] | null = null;
    for (const line of body.split(/\n/)) {
      const t = line.trim();
      if (!t || t.startsWith("#")) continue;
      const m = /^第[零一二三四五六七八九十百]+条\s*(.*)$/.exec(t);
      if (m) {
        if (current) articles.push(current.join("\n\n"));
        current = [m[1] ?? ""];
      } else if (current) current.push(t);
    }
    if (current) articles.push(current.join("\n\n"));
  }
  const paragraphs: string[] = [];
  const bulDir = join(sharedCorpus, "bulletins");
  for (const name of (await readdir(bulDir)).sort()) {
    const lines = (await readFile(join(bulDir, name), "utf8")).split(/\n/).slice(1);
    for (const line of lines) {
      const t = line.trim();
      if (t.length > 30 && !/^(發布時間|点击数|點擊數|圖為)/.test(t)) paragraphs.push(t);
    }
  }
  return {
    articles,
    paragraphs,
    sentences: articles.flatMap(splitSentences),
    bulletinSentences: paragraphs.flatMap(splitSentences),
  };
}

const PLACES = [
  "北京市",
  "上海市",
  "天津市",
  "重庆市",
  "河北省",
  "山西省",
  "辽宁省",
  "吉林省",
  "江苏省",
  "浙江省",
  "安徽省",
  "福建省",
  "江西省",
  "山东省",
  "河南省",
  "湖北省",
  "湖南省",
  "广东省",
  "海南省",
  "四川省",
  "贵州省",
  "云南省",
  "陕西省",
  "甘肃省",
  "青海省",
];
const TOPICS = [
  "邮政条例",
  "快递业促进条例",
  "寄递安全管理办法",
  "邮政普遍服务监督管理办法",
  "快递市场管理办法",
  "寄递渠道安全管理规定",
  "邮政设施保护办法",
  "智能快件箱管理规定",
];
const CHAPTERS = ["总则", "发展保障", "经营主体", "快递服务", "安全管理", "监督检查", "法律责任", "附则"];

export interface GeneratedCorpus {
  dir: string;
  files: number;
  /** Articles + paragraphs written: an estimate of the chunk count (the chunker decides the real one). */
  units: number;
}

/**
 * Writes about `targetChunks` chunks' worth of documents into `dir` (emptied first).
 * Nine in ten units go to regulations (25 articles each), the rest to bulletins (8 paragraphs each).
 * Three in five articles / paragraphs are real ones; the others are recombined from two to four
 * sentences of different ones, so that larger corpora are not just the same few hundred texts repeated.
 */
export async function generateCorpus(
  pool: Pool,
  targetChunks: number,
  dir: string,
  seed = 20261123,
): Promise<GeneratedCorpus> {
  const rand = prng(seed ^ targetChunks);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const recombined = (sentences: readonly string[]) =>
    Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(sentences)).join("");
  const article = () =>
    rand() < 0.6 || pool.sentences.length === 0 ? pick(pool.articles) : recombined(pool.sentences);
  const paragraph = () =>
    rand() < 0.6 || pool.bulletinSentences.length === 0 ? pick(pool.paragraphs) : recombined(pool.bulletinSentences);
  const date = () => {
    const y = 2005 + Math.floor(rand() * 22);
    const m = 1 + Math.floor(rand() * 12);
    const d = 1 + Math.floor(rand() * 28);
    return { y, m, d, iso: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
  };
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "regulations"), { recursive: true });
  await mkdir(join(dir, "bulletins"), { recursive: true });

  let units = 0;
  let files = 0;
  while (units < targetChunks) {
    const n = files++;
    if (rand() < 0.9) {
      const dt = date();
      const title = `${pick(PLACES)}${pick(TOPICS)}（${dt.y}年修订第${n}号）`;
      const count = Math.min(25, targetChunks - units);
      const out = [
        `# ${title}`,
        "",
        `${dt.y}年${dt.m}月${dt.d}日 第${chineseNumber(1 + (n % 30))}次会议通过`,
        "",
        "<!-- INFO END -->",
        "",
      ];
      for (let i = 0; i < count; i++) {
        if (i % 8 === 0) out.push(`## 第${chineseNumber(i / 8 + 1)}章 ${CHAPTERS[(i / 8) % CHAPTERS.length]}`, "");
        out.push(`第${chineseNumber(i + 1)}条 ${article()}`, "");
      }
      await writeFile(join(dir, "regulations", `reg-${String(n).padStart(6, "0")}.md`), out.join("\n"));
      units += count;
    } else {
      const dt = date();
      const count = Math.min(8, targetChunks - units);
      const paras = Array.from({ length: count }, () => `    ${paragraph()}`);
      const title = `${pick(PLACES)}邮政管理局召开寄递渠道安全工作会议（${n}）`;
      const text = [title, "", `發布時間:${dt.iso}`, "點擊數:", "", ...paras.flatMap((p) => [p, ""])].join("\n");
      await writeFile(join(dir, "bulletins", `${dt.iso} bulletin-${String(n).padStart(6, "0")}.txt`), text);
      units += count;
    }
  }
  return { dir, files, units };
}

const NOTICE_TOPICS = [
  "寄递渠道安全专项检查",
  "快递服务质量提升行动",
  "邮政普遍服务监督检查",
  "旺季寄递服务保障工作",
  "智能快件箱设置情况调查",
  "快递末端网点备案清理",
];

/**
 * Notices in the style of the regulator's circulars, with deadlines (absolute dates, working-day
 * and day counts from issue, monthly duties), for timing `extract` when evals/extract/ is empty.
 */
export function generateNotices(pool: Pool, count: number, seed = 20261123): string[] {
  const rand = prng(seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const y = 2015 + Math.floor(rand() * 11);
    const m = 1 + Math.floor(rand() * 10);
    const d = 1 + Math.floor(rand() * 20);
    const topic = pick(NOTICE_TOPICS);
    out.push(
      [
        `国家邮政局办公室关于开展${pick(PLACES)}${topic}的通知`,
        "",
        "各省、自治区、直辖市邮政管理局：",
        `    ${pick(pool.paragraphs)}`,
        `    一、各单位要高度重视，于${y}年${m + 1}月${d + 5}日前完成自查，并将自查报告报送市场监管司。`,
        `    二、自本通知印发之日起${5 + Math.floor(rand() * 20)}个工作日内，各省局组织对辖区内企业开展抽查。`,
        `    三、专项工作期间，每月${1 + Math.floor(rand() * 10)}日前报送上月工作进展情况。`,
        `    四、${pick(pool.articles).split("\n")[0]}`,
        `    联系人：市场监管司 王${pick(["明", "华", "强", "丽"])}，电话：010-8${String(1000000 + Math.floor(rand() * 8999999)).slice(0, 7)}`,
        "",
        "国家邮政局办公室",
        `${y}年${m}月${d}日`,
      ].join("\n"),
    );
  }
  return out;
}
