/**
 * Prompt templates: one Markdown file per capability in prompts/ (prompts/answer.md, …), with
 * `{{name}}` placeholders. Loaded once per path; a missing file is a ConfigError that says where
 * the prompt was expected.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.js";

const cache = new Map<string, Promise<string>>();

/** Read prompts/<name>.md from `promptsDir` (memoised). */
export function loadPrompt(promptsDir: string, name: string): Promise<string> {
  const file = join(promptsDir, `${name}.md`);
  let p = cache.get(file);
  if (!p) {
    p = readFile(file, "utf8").catch((err: unknown) => {
      cache.delete(file);
      throw new ConfigError(
        `Prompt template ${file} could not be read (${(err as Error).message}); restore it from the repository.`,
      );
    });
    cache.set(file, p);
  }
  return p;
}

/**
 * Replace `{{name}}` with values[name]. Unknown placeholders are left as they are; values are
 * inserted literally (no recursive expansion), so a question containing "{{x}}" is harmless.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z_][\w]*)\s*\}\}/g, (m, key: string) => (key in values ? values[key]! : m));
}
