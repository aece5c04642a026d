/** The readable `extract` output: deadlines as a table sorted by date, then the other times found. */
import type { ExtractResponse, TimeExpression } from "./types.js";

/** Display width: East Asian wide and full-width characters take two columns. */
const width = (s: string) =>
  [...s].reduce(
    (n, c) =>
      n +
      (/[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        c,
      )
        ? 2
        : 1),
    0,
  );
const padTo = (s: string, w: number) => s + " ".repeat(Math.max(0, w - width(s)));
const clip = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join("")}…` : s);

/** The date a time is filed under: its end (a deadline), else its start. */
export const sortKey = (t: { start: string | null; end: string | null; kind: string }) =>
  (t.kind === "after" ? t.start : (t.end ?? t.start)) ?? "9999";

export function showWhen(t: { start: string | null; end: string | null; kind: string }): string {
  const s = t.start?.replace("T", " ");
  const e = t.end?.replace("T", " ");
  if (t.kind === "before") return `≤ ${e}`;
  if (t.kind === "after") return `≥ ${s}`;
  if (s && e && s !== e) return `${s} – ${e}`;
  return e ?? s ?? "?";
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => width(r[c]!))));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : padTo(cell, widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatExtract(r: ExtractResponse): string {
  const out: string[] = [];
  out.push(`${r.title ? `${r.title}\n` : ""}发文日期 (ref): ${r.ref}`);
  for (const w of r.warnings ?? []) out.push(`warning: ${w}`);
  const owners = new Map(r.actions.map((a) => [a.action, a.owner]));
  const deadlines = [...r.deadlines].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  out.push("");
  if (deadlines.length) {
    out.push(`Deadlines (${deadlines.length})`);
    out.push(
      table([
        ["date", "kind", "owner", "action", "source text"],
        ...deadlines.map((d) => [
          showWhen(d),
          d.kind + (d.recurrence ? ` (${d.recurrence})` : ""),
          clip(d.owner ?? owners.get(d.item) ?? "", 16),
          clip(d.item, 30),
          d.text,
        ]),
      ]),
    );
  } else out.push("No deadlines found.");
  const undated = r.actions.filter((a) => !a.deadline);
  if (undated.length) {
    out.push("", `Action items without a deadline (${undated.length})`);
    out.push(table([["owner", "action"], ...undated.map((a) => [clip(a.owner, 16), clip(a.action, 50)])]));
  }
  const used = new Set(r.deadlines.map((d) => d.index));
  const others: TimeExpression[] = r.times.filter((t) => !used.has(t.index));
  if (others.length) {
    out.push("", `Other times (${others.length})`);
    out.push(table([["date", "kind", "text"], ...others.map((t) => [showWhen(t), t.kind, t.text])]));
  }
  return `${out.join("\n")}\n`;
}
