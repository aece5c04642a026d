/**
 * Phrasing templates, read at run time from `prompts/draft-<form>.md` so staff can change the
 * connective wording without touching code.
 *
 * Format (documented at the top of each template file):
 * - `## name` starts a section; its text is the section's non-blank lines joined without separator
 *   (Chinese needs none). HTML comments `<!-- … -->` and everything before the first `##` are ignored.
 * - `{{field}}` is replaced by a value from the notes.
 * - `[[ … ]]` is an optional part: dropped when any `{{field}}` directly inside it is empty.
 *   Optional parts nest; the innermost are resolved first.
 * A hand-written 40-line renderer instead of a template library: Mustache/Handlebars would HTML-escape
 * by default and have no "drop this clause when a field is empty" construct as short as `[[ ]]`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AssistantError } from "../../errors.js";

export type Templates = Map<string, string>;

export function parseTemplates(source: string, options: { keepNewlines?: boolean } = {}): Templates {
  const out: Templates = new Map();
  const text = source.replace(/<!--[\s\S]*?-->/g, "");
  let name: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (name === null) return;
    out.set(
      name,
      options.keepNewlines
        ? lines.join("\n").trim()
        : lines
            .map((l) => l.trim())
            .filter(Boolean)
            .join(""),
    );
  };
  for (const line of text.split(/\r?\n/)) {
    const h = line.match(/^##\s+(\S+)\s*$/);
    if (h) {
      flush();
      name = h[1]!;
      lines = [];
    } else if (name !== null) lines.push(line);
  }
  flush();
  return out;
}

/** Load `promptsDir/<name>.md` (draft-bulletin, draft-summary, or draft for the LLM prompt). */
export async function loadTemplates(
  promptsDir: string,
  name: string,
  options: { keepNewlines?: boolean } = {},
): Promise<Templates> {
  const file = join(promptsDir, `${name}.md`);
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (err) {
    throw new AssistantError(
      `Cannot read the template ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); restore it from git or point promptsDir at a folder that has it.`,
    );
  }
  return parseTemplates(source, options);
}

export type Vars = Record<string, string | undefined>;

const FIELD = /\{\{\s*([\w.-]+)\s*\}\}/g;

function fill(s: string, vars: Vars): string {
  return s.replace(FIELD, (_, k: string) => vars[k] ?? "");
}

/** Render one template string. */
export function render(template: string, vars: Vars): string {
  // Resolve innermost optional parts first: the first "]]" closes the last "[[" before it.
  // Filled values are kept out of the scan (placeholders are replaced only once all brackets are gone).
  let s = template;
  for (let close = s.indexOf("]]"); close >= 0; close = s.indexOf("]]")) {
    const open = s.lastIndexOf("[[", close - 1);
    if (open < 0) break;
    const body = s.slice(open + 2, close);
    const empty = [...body.matchAll(FIELD)].some(([, k]) => !vars[k!]?.trim());
    s = s.slice(0, open) + (empty ? "\u0000" : body) + s.slice(close + 2);
  }
  return fill(s.replace(/\u0000/g, ""), vars);
}

/** Render section `name`; throws a clear error when the template file lacks it. */
export function section(t: Templates, name: string, vars: Vars, file = "the template"): string {
  const tpl = t.get(name);
  if (tpl === undefined)
    throw new AssistantError(`Section "## ${name}" is missing from ${file}; add it back (see the default in git).`);
  return render(tpl, vars);
}
