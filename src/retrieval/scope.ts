/**
 * Territorial scope. A provincial regulation (北京市邮政通信条例, 浙江省快递业促进条例 …) binds only
 * its province; national law binds everywhere. So a question naming a province, or a city or
 * district of one (places.tsv maps them), ranks that province's regulation first, national law
 * next, and never another province's rule; a question naming no place is about national law, and
 * provincial articles rank a little lower (`unnamedFactor`).
 *
 * Bulletins and notices have no territorial scope here (they report events, they bind no one).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DocumentMeta } from "../ingest/types.js";

export interface Province {
  /** As regulations title it: 北京市, 浙江省, 广西壮族自治区. */
  name: string;
  /** Short form without 省/市/自治区: 北京, 浙江, 广西. */
  short: string;
  /** Names that place a question in it (the short form first). */
  names: readonly string[];
}

export function parsePlaces(text: string, source = "places.tsv"): Province[] {
  const out: Province[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith("#")) return;
    const [name, names] = line.split("\t");
    const list = (names ?? "")
      .split("|")
      .map((s) => s.trim())
      .filter(Boolean);
    if (!name?.trim() || !list.length)
      throw new Error(`${source}:${i + 1}: expected "province<TAB>name|name…", got "${line}"`);
    out.push({ name: name.trim(), short: list[0]!, names: list });
  });
  return out;
}

/** The TSV beside this module (the build copies it into dist/src/retrieval: bin/copy-assets.mjs). */
function placesFile(): string {
  return fileURLToPath(new URL("./places.tsv", import.meta.url));
}

let provinces: Province[] | undefined;
export function allProvinces(): readonly Province[] {
  provinces ??= parsePlaces(readFileSync(placesFile(), "utf8"));
  return provinces;
}

/** Provinces a normalised question names (longest names first, each span counted once), in order of mention. */
export function provincesNamed(normalizedQuery: string, list: readonly Province[] = allProvinces()): Province[] {
  const names = list
    .flatMap((p) => [p.name, ...p.names].map((n) => ({ n, p })))
    .sort((a, b) => b.n.length - a.n.length);
  const taken = new Uint8Array(normalizedQuery.length);
  const found: { at: number; p: Province }[] = [];
  for (const { n, p } of names) {
    let from = 0;
    for (;;) {
      const i = normalizedQuery.indexOf(n, from);
      if (i < 0) break;
      from = i + 1;
      if (taken.subarray(i, i + n.length).some((x) => x)) continue;
      taken.fill(1, i, i + n.length);
      found.push({ at: i, p });
    }
  }
  const out: Province[] = [];
  for (const { p } of found.sort((a, b) => a.at - b.at)) if (!out.includes(p)) out.push(p);
  return out;
}

/**
 * The province a document binds: a regulation whose title starts with a province's name
 * (上海市实施《中华人民共和国邮政法》办法 is Shanghai's); null for national law and for bulletins.
 */
export function provinceOfDoc(
  doc: Pick<DocumentMeta, "title" | "kind">,
  list: readonly Province[] = allProvinces(),
): Province | null {
  if (doc.kind !== "regulation") return null;
  const t = doc.title.replace(/^[\s《]+/, "");
  return list.find((p) => t.startsWith(p.name) || t.startsWith(p.short)) ?? null;
}

export interface ScopeParams {
  /** Score factor of an article of a province the question names (default 1.5). */
  namedFactor?: number;
  /** Score factor of a provincial article when the question names no province (default 0.7). */
  unnamedFactor?: number;
}

export const SCOPE_DEFAULTS = { namedFactor: 1.5, unnamedFactor: 0.7 } as const;

/**
 * Re-scores a ranking (higher is better) by scope: articles of a named province × namedFactor,
 * other provinces' articles dropped; without a named province, provincial articles × unnamedFactor.
 * Negative scores (cosine) are left as they are, and ties keep their order.
 */
export function applyScope<T extends { id: string; score: number }>(
  ranked: readonly T[],
  normalizedQuery: string,
  docOf: (id: string) => Pick<DocumentMeta, "title" | "kind"> | undefined,
  params: ScopeParams = {},
): T[] {
  const named = provincesNamed(normalizedQuery);
  const namedFactor = params.namedFactor ?? SCOPE_DEFAULTS.namedFactor;
  const unnamedFactor = params.unnamedFactor ?? SCOPE_DEFAULTS.unnamedFactor;
  const memo = new Map<Pick<DocumentMeta, "title" | "kind">, Province | null>();
  const out: { hit: T; score: number; i: number }[] = [];
  ranked.forEach((hit, i) => {
    const doc = docOf(hit.id);
    let p: Province | null = null;
    if (doc) {
      if (!memo.has(doc)) memo.set(doc, provinceOfDoc(doc));
      p = memo.get(doc)!;
    }
    let factor = 1;
    if (p && named.length) {
      if (!named.includes(p)) return;
      factor = namedFactor;
    } else if (p) factor = unnamedFactor;
    out.push({ hit, score: hit.score > 0 ? hit.score * factor : hit.score, i });
  });
  return out.sort((a, b) => b.score - a.score || a.i - b.i).map(({ hit, score }) => ({ ...hit, score }));
}
