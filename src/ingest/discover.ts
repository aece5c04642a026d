/** Find the indexable files under a corpus directory. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { isSupported } from "./loaders/registry.js";

export { SUPPORTED_EXTENSIONS } from "./loaders/registry.js";

const SKIP_DIRS = new Set(["node_modules"]);
/** A corpus folder's own README is documentation, not a document. */
const SKIP_FILES = /^readme\.(md|txt|markdown)$/i;

/**
 * Whether a file of this name (no folder) is indexed when it lies in a corpus folder: a supported
 * type, not a dotfile, not the folder's README. The walk below and "add to corpus" both ask this.
 */
export function isIndexableName(name: string): boolean {
  return !name.startsWith(".") && isSupported(name) && !SKIP_FILES.test(name);
}

/**
 * Recursively list files with a supported extension, sorted by path (code-point order), skipping
 * dotfiles/dot-directories, node_modules and README.md / README.txt.
 */
export async function discoverFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(d, code === "ENOENT" ? "no such directory" : `cannot be listed (${code ?? String(err)})`, {
        cause: err,
      });
    }
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(p);
      } else if (e.isFile() && isIndexableName(e.name)) {
        out.push(p);
      }
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
