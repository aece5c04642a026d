/**
 * Verifies the gold annotations of the evaluation sets against the corpus.
 *
 *   npx tsx evals/check-gold.ts [--corpus DIR] [--sets DIR] [--verbose]
 *
 * For every line of evals/retrieval.jsonl and evals/answer.jsonl it checks that
 * - the id is unique across both sets and the item has the fields of its suite;
 * - each gold entry's `title` picks at least one corpus document (title contains it,
 *   both simplified, white space removed — the same rule the eval runner applies);
 * - each gold `text` (8–20 chars, letters/digits/Han only so punctuation normalisation
 *   cannot break it) occurs inside ONE paragraph of such a document, and inside exactly
 *   one retrieval chunk (a whole regulation article, or one bulletin paragraph), so the
 *   gold cannot be matched by a wrong article;
 * - each answer fact (2–12 chars) occurs in the gold chunk (Chinese numerals and Arabic
 *   digits are treated as equal, so "四十五日" may be written "45日");
 * - unanswerable items (gold null) carry no facts.
 * It prints every failure and exits 1 if there is any; then prints coverage statistics.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as OpenCC from "opencc-js";
import { parseChineseNumeral } from "../src/text/chinese-numerals.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

const args = process.argv.slice(2);
const corpusArg = args.indexOf("--corpus");
const corpusDir =
  corpusArg >= 0 && args[corpusArg + 1] ? path.resolve(args[corpusArg + 1]!) : path.resolve(root, "../shared/corpus");
const setsArg = args.indexOf("--sets");
const setsDir = setsArg >= 0 && args[setsArg + 1] ? path.resolve(args[setsArg + 1]!) : here;
const verbose = args.includes("--verbose");

const hk2cn = OpenCC.Converter({ from: "hk", to: "cn" });
/** Pinyin annotation right after a Han character, e.g. 發(fā) — bulletins carry these. */
const PINYIN = /(?<=\p{Script=Han})\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)/gu;

/** Fallback normaliser: simplified characters, pinyin annotations removed. */
function fallbackNormalize(text: string): string {
  return hk2cn(text).replace(PINYIN, "");
}

type Normalize = (text: string) => string;

/** Uses the project's normalizeText (src/ingest/normalize.ts) when it exists and behaves as string -> string. */
async function loadNormalizer(): Promise<{ fn: Normalize; source: string }> {
  try {
    const mod = (await import("../src/ingest/normalize.js")) as Record<string, unknown>;
    const candidate = mod["normalizeText"];
    if (typeof candidate === "function") {
      const probe = (candidate as (t: string) => unknown)("發(fā)布時間\n第一条 测试");
      if (typeof probe === "string") {
        return { fn: (t) => (candidate as (t: string) => string)(t), source: "src/ingest/normalize.ts normalizeText" };
      }
    }
  } catch {
    // not written yet: fall back below
  }
  return { fn: fallbackNormalize, source: "fallback (opencc hk->cn + pinyin removal)" };
}

/** The comparison rule of the eval runner: simplified, all white space removed. */
const squash = (s: string): string => hk2cn(s).replace(/\s+/gu, "");

/**
 * Replaces Chinese numerals by Arabic digits so that "四十五日" and "45日" compare equal; 万 stays a
 * unit word, so "一百万元" and "100万元" compare equal too.
 */
function arabic(s: string): string {
  return s.replace(/[零〇一二两三四五六七八九十百千]+/gu, (m) => String(parseChineseNumeral(m) ?? m));
}

interface Chunk {
  /** Normalised paragraphs (white space removed) of this chunk. */
  paragraphs: string[];
  label: string;
}

interface Doc {
  file: string;
  title: string;
  kind: "regulation" | "bulletin";
  chunks: Chunk[];
}

const ARTICLE = /^第[零〇一二三四五六七八九十百千]+条/u;

function chunkRegulation(lines: string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  let inBody = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.includes("INFO END")) {
      inBody = true;
      continue;
    }
    if (!inBody || line === "") continue;
    if (line.startsWith("#")) {
      current = undefined;
      continue;
    }
    const head = ARTICLE.exec(line);
    if (head) {
      current = { paragraphs: [], label: head[0] };
      chunks.push(current);
    }
    if (current) current.paragraphs.push(line.replace(/\s+/gu, ""));
  }
  return chunks;
}

function chunkBulletin(lines: string[]): Chunk[] {
  // Line 0 is the title; every other non-empty line is one paragraph (one chunk).
  return lines
    .slice(1)
    .map((l) => l.replace(/\s+/gu, ""))
    .filter((l) => l !== "")
    .map((l, i) => ({ paragraphs: [l], label: `段${i + 1}:${l.slice(0, 12)}` }));
}

async function loadCorpus(normalize: Normalize): Promise<Doc[]> {
  const docs: Doc[] = [];
  for (const [sub, kind] of [
    ["regulations", "regulation"],
    ["bulletins", "bulletin"],
  ] as const) {
    const dir = path.join(corpusDir, sub);
    for (const name of (await readdir(dir)).sort()) {
      if (!/\.(md|txt)$/u.test(name)) continue;
      const text = normalize(await readFile(path.join(dir, name), "utf8"));
      const lines = text.split(/\r?\n/u);
      const first = (lines[0] ?? "").replace(/^#\s*/u, "").replace(/\s+/gu, "");
      docs.push({
        file: `${sub}/${name}`,
        title: first,
        kind,
        chunks: kind === "regulation" ? chunkRegulation(lines) : chunkBulletin(lines),
      });
    }
  }
  return docs;
}

interface Gold {
  title: string;
  text: string;
}

const failures: string[] = [];
const fail = (where: string, msg: string): void => {
  failures.push(`${where}: ${msg}`);
};

const PLAIN = /^[\p{Script=Han}0-9A-Za-z%]+$/u;

function isTraditional(q: string): boolean {
  return hk2cn(q) !== q;
}

/** Returns the chunks that the gold entry matches (title + text rule); reports problems. */
function checkGold(where: string, g: unknown, docs: Doc[]): { doc: Doc; chunk: Chunk }[] {
  if (typeof g !== "object" || g === null) {
    fail(where, "gold entry is not an object");
    return [];
  }
  const { title, text } = g as Partial<Gold>;
  if (typeof title !== "string" || title.trim() === "" || typeof text !== "string" || text.trim() === "") {
    fail(where, "gold entry needs non-empty string title and text");
    return [];
  }
  const t = squash(title);
  const x = squash(text);
  const len = [...x].length;
  if (len < 8 || len > 20) fail(where, `gold.text "${text}" has ${len} chars (want 8–20)`);
  if (!PLAIN.test(x)) fail(where, `gold.text "${text}" contains punctuation (keep Han/letters/digits only)`);
  const titled = docs.filter((d) => d.title.includes(t));
  if (titled.length === 0) {
    fail(where, `no document title contains "${title}"`);
    return [];
  }
  const hits: { doc: Doc; chunk: Chunk }[] = [];
  let inText = false;
  for (const doc of titled) {
    if (
      doc.chunks
        .flatMap((c) => c.paragraphs)
        .join("")
        .includes(x)
    )
      inText = true;
    for (const chunk of doc.chunks) {
      const joined = chunk.paragraphs.join("");
      if (joined.includes(x)) inText = true;
      if (chunk.paragraphs.some((p) => p.includes(x))) hits.push({ doc, chunk });
    }
  }
  if (hits.length === 0) {
    fail(
      where,
      inText ? `gold.text "${text}" spans two paragraphs or chunks` : `gold.text "${text}" not found in "${title}"`,
    );
  } else if (hits.length > 1) {
    fail(
      where,
      `gold.text "${text}" is ambiguous: ${hits.map((h) => `${h.doc.title.slice(0, 12)}/${h.chunk.label}`).join(", ")}`,
    );
  }
  return hits;
}

interface Item {
  id?: unknown;
  question?: unknown;
  gold?: unknown;
  facts?: unknown;
}

async function readSet(file: string): Promise<{ line: number; item: Item }[]> {
  const text = await readFile(file, "utf8");
  const out: { line: number; item: Item }[] = [];
  text.split(/\r?\n/u).forEach((l, i) => {
    if (l.trim() === "") return;
    try {
      out.push({ line: i + 1, item: JSON.parse(l) as Item });
    } catch (e) {
      fail(`${path.basename(file)}:${i + 1}`, `not JSON: ${(e as Error).message}`);
    }
  });
  return out;
}

async function main(): Promise<number> {
  const { fn: normalize, source } = await loadNormalizer();
  const docs = await loadCorpus(normalize);
  console.log(`normaliser: ${source}; corpus: ${corpusDir} (${docs.length} documents)`);
  const ids = new Map<string, string>();
  const stats: Record<string, { items: number; traditional: number; perDoc: Map<string, number>; nulls: number }> = {};

  for (const setName of ["retrieval", "answer"] as const) {
    const file = path.join(setsDir, `${setName}.jsonl`);
    const rows = await readSet(file);
    const st = { items: rows.length, traditional: 0, perDoc: new Map<string, number>(), nulls: 0 };
    stats[setName] = st;
    for (const { line, item } of rows) {
      const where = `${setName}.jsonl:${line}${typeof item.id === "string" ? ` (${item.id})` : ""}`;
      if (typeof item.id !== "string" || item.id === "") {
        fail(where, "missing id");
      } else if (ids.has(item.id)) {
        fail(where, `duplicate id, first at ${ids.get(item.id)}`);
      } else {
        ids.set(item.id, where);
      }
      if (typeof item.question !== "string" || item.question.trim() === "") {
        fail(where, "missing question");
        continue;
      }
      if (isTraditional(item.question)) st.traditional++;
      if (item.gold === null) {
        if (setName === "retrieval") fail(where, "retrieval items need gold");
        st.nulls++;
        if (item.facts !== undefined && !(Array.isArray(item.facts) && item.facts.length === 0)) {
          fail(where, "unanswerable item (gold null) must not carry facts");
        }
        continue;
      }
      if (!Array.isArray(item.gold) || item.gold.length === 0) {
        fail(where, "gold must be a non-empty array (or null in the answer set)");
        continue;
      }
      const hits = item.gold.flatMap((g, i) => checkGold(`${where} gold[${i}]`, g, docs));
      for (const d of new Set(hits.map((h) => h.doc.title))) st.perDoc.set(d, (st.perDoc.get(d) ?? 0) + 1);
      if (setName === "answer") {
        if (!Array.isArray(item.facts) || item.facts.length === 0) {
          fail(where, "answerable item needs facts");
          continue;
        }
        const chunkText = hits.map((h) => h.chunk.paragraphs.join("")).join("\n");
        for (const f of item.facts) {
          if (typeof f !== "string") {
            fail(where, "facts must be strings");
            continue;
          }
          const fx = squash(f);
          const n = [...fx].length;
          if (n < 2 || n > 12) fail(where, `fact "${f}" has ${n} chars (want 2–12)`);
          if (hits.length > 0 && !chunkText.includes(fx) && !arabic(chunkText).includes(arabic(fx))) {
            fail(where, `fact "${f}" not in the gold chunk`);
          }
        }
      }
      if (verbose)
        console.log(`ok ${where}: ${hits.map((h) => `${h.doc.title.slice(0, 14)}/${h.chunk.label}`).join(" | ")}`);
    }
  }

  for (const f of failures) console.log(`FAIL ${f}`);
  for (const [name, st] of Object.entries(stats)) {
    console.log(
      `\n${name}: ${st.items} items, ${st.traditional} in traditional characters${name === "answer" ? `, ${st.nulls} unanswerable` : ""}`,
    );
    for (const d of docs) console.log(`  ${String(st.perDoc.get(d.title) ?? 0).padStart(3)}  ${d.title.slice(0, 40)}`);
  }
  console.log(failures.length === 0 ? "\ngold check passed" : `\n${failures.length} failure(s)`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();
