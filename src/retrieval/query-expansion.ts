/**
 * Query expansion, the one mechanism that bridges everyday and statute Chinese for search and ask:
 * colloquial questions are expanded towards the wording of statutes and bulletins with the postal
 * and legal thesaurus kept as data in thesaurus.tsv (its header documents the columns). No library
 * offers a postal-law thesaurus, hence the hand-kept table.
 *
 * - keyword side: keywordQuery (keyword-retriever.ts) adds every expansion term with its weight;
 * - vector side: vectorSearch (vector-retriever.ts) adds the embedding of the expansion terms to
 *   the question's, scaled by the same weight;
 * - ask: a query term's statute wordings count as the term in term coverage (alternativesOf).
 *
 * Expansion terms are added with a lower weight than the user's own words, never replace them.
 * Input must already be normalised (simplified characters).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type ThesaurusKind = "term" | "form";

export interface ThesaurusRow {
  kind: ThesaurusKind;
  /** Everyday wordings (literal substrings of the normalised question). */
  everyday: readonly string[];
  /** The documents' wording. */
  statute: readonly string[];
  weight: number;
  /**
   * The sense a row needs, read from the rest of the question: it applies only when one of
   * `requires` occurs in the question (none given: always), and never when one of `excludes` does
   * (拆了 is 私自开拆 of a parcel but 拆除 of a post box).
   */
  requires?: readonly string[];
  excludes?: readonly string[];
}

/** Parses the thesaurus TSV (comments `#`, blank lines skipped); throws naming the bad line. */
export function parseThesaurus(text: string, source = "thesaurus.tsv"): ThesaurusRow[] {
  const rows: ThesaurusRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith("#")) return;
    const [kind, everyday, statute, weight, context] = line.split("\t");
    const list = (s: string | undefined) =>
      (s ?? "")
        .split("|")
        .map((x) => x.trim())
        .filter(Boolean);
    const w = weight === undefined || weight.trim() === "" ? 1 : Number(weight);
    const ctx = list(context);
    if (
      (kind !== "term" && kind !== "form") ||
      !list(everyday).length ||
      !list(statute).length ||
      !Number.isFinite(w) ||
      w < 0 ||
      ctx.some((c) => c === "!")
    )
      throw new Error(
        `${source}:${i + 1}: expected "term|form<TAB>everyday|…<TAB>statute|…[<TAB>weight[<TAB>context|!context…]]", got "${line}"`,
      );
    const requires = ctx.filter((c) => !c.startsWith("!"));
    const excludes = ctx.filter((c) => c.startsWith("!")).map((c) => c.slice(1));
    rows.push({
      kind,
      everyday: list(everyday),
      statute: list(statute),
      weight: w,
      ...(requires.length ? { requires } : {}),
      ...(excludes.length ? { excludes } : {}),
    });
  });
  return rows;
}

/** The TSV beside this module (the build copies it into dist/src/retrieval: bin/copy-assets.mjs). */
function thesaurusFile(): string {
  return fileURLToPath(new URL("./thesaurus.tsv", import.meta.url));
}

let table: ThesaurusRow[] | undefined;
/** The project's thesaurus, read once. */
export function thesaurus(): readonly ThesaurusRow[] {
  table ??= parseThesaurus(readFileSync(thesaurusFile(), "utf8"));
  return table;
}

export interface ExpansionTerm {
  term: string;
  /** Relative to the question's own words (before the caller's expansion weight). */
  weight: number;
}

export interface ExpandedQuery {
  /** The query itself. */
  query: string;
  /** Extra terms (statutory wording), without duplicates of the query's own text. */
  terms: string[];
  /** The same terms with their weights (the highest weight when several rows add a term). */
  weighted: ExpansionTerm[];
}

export interface ExpansionOptions {
  /** Rows of this kind only (default both). */
  kinds?: readonly ThesaurusKind[];
  rows?: readonly ThesaurusRow[];
}

/** True when the question holds the context a row needs (ThesaurusRow.requires / excludes). */
export function inSense(row: ThesaurusRow, normalizedQuery: string): boolean {
  if (row.excludes?.some((c) => normalizedQuery.includes(c))) return false;
  return !row.requires || row.requires.some((c) => normalizedQuery.includes(c));
}

/** Statute wordings for the everyday words of a normalised question. */
export function expandQuery(normalizedQuery: string, options: ExpansionOptions = {}): ExpandedQuery {
  const rows = options.rows ?? thesaurus();
  const kinds = options.kinds ?? ["term", "form"];
  const weights = new Map<string, number>();
  for (const row of rows) {
    if (
      !kinds.includes(row.kind) ||
      !row.everyday.some((e) => normalizedQuery.includes(e)) ||
      !inSense(row, normalizedQuery)
    )
      continue;
    for (const t of row.statute)
      if (!normalizedQuery.includes(t)) weights.set(t, Math.max(weights.get(t) ?? 0, row.weight));
  }
  const weighted = [...weights].map(([term, weight]) => ({ term, weight }));
  return { query: normalizedQuery, terms: weighted.map((w) => w.term), weighted };
}

/**
 * Statute wordings that count as a query term in ask's term coverage: those of every "term" row
 * with an everyday wording equal to the term, or containing it when that wording occurs in the
 * question ("小哥" of "快递小哥…" → 快递从业人员).
 */
export function alternativesOf(
  term: string,
  normalizedQuestion = "",
  rows: readonly ThesaurusRow[] = thesaurus(),
): string[] {
  const out = new Set<string>();
  for (const row of rows) {
    if (row.kind !== "term" || (normalizedQuestion && !inSense(row, normalizedQuestion))) continue;
    const hit = row.everyday.some(
      (e) => e === term || (Array.from(term).length >= 2 && e.includes(term) && normalizedQuestion.includes(e)),
    );
    if (hit) for (const s of row.statute) if (s !== term) out.add(s);
  }
  return [...out];
}
