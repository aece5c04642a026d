import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * True when the module whose `import.meta.url` is given is the script Node was started with
 * (process.argv[1]). Compares file paths, not URLs: a checkout path with spaces or non-ASCII
 * characters is percent-encoded in `import.meta.url`, so comparing it with `file://${argv[1]}`
 * silently said "not main" and the built CLI did nothing. Symlinks resolved on both sides.
 */
export function isMainModule(importMetaUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false;
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(fileURLToPath(importMetaUrl)) === real(argv1);
}
