/** Find the indexable files under a corpus directory. */
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { isSupported } from "./loaders/registry.js";

export { SUPPORTED_EXTENSIONS } from "./loaders/registry.js";

const SKIP_DIRS = new Set(["node_modules"]);
/** A corpus folder's own README is documentation, not a document. */
const SKIP_FILES = /^readme\.(md|txt|markdown)$/i;

export interface DiscoverOptions {
  /** A subfolder that cannot be listed: reported here (an InputError naming it) and skipped. */
  onUnreadable?: (err: InputError) => void;
  /** Every folder listed (`dir` included), e.g. to notice later, by its mtime, that nothing was added. */
  onDirectory?: (path: string) => void;
}

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
 *
 * Symbolic links are followed: a link to a file is listed under the link's path, a link to a
 * folder is walked (each real folder once, so a link loop ends). A broken link with a supported
 * extension is listed too, so that loading it reports it by name ("a symbolic link to a missing
 * file") instead of it vanishing without a word.
 * dotfiles/dot-directories, node_modules and README.md / README.txt. A subfolder that cannot be
 * listed is passed to `onUnreadable` (with an InputError naming it) and skipped, so it fails alone;
 * without `onUnreadable`, and always for `dir` itself, it throws that InputError.
 */
export async function discoverFiles(dir: string, options: DiscoverOptions = {}): Promise<string[]> {
  const { onUnreadable, onDirectory } = options;
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const walk = async (d: string): Promise<void> => {
    try {
      const real = await realpath(d);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
    } catch {
      // reported by readdir below
    }
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
      onDirectory?.(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const e = new InputError(
        d,
        code === "ENOENT" ? "no such directory" : `cannot be listed (${code ?? String(err)})`,
        { cause: err },
      );
      if (d === dir || !onUnreadable) throw e;
      onUnreadable(e);
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = await stat(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          isFile = true; // broken link: listed, and loading it says so
        }
      }
      if (isDir) {
        if (!SKIP_DIRS.has(e.name)) await walk(p);
      } else if (isFile && isIndexableName(e.name)) {
        out.push(p);
      }
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
