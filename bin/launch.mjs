#!/usr/bin/env node
/**
 * `node bin/launch.mjs src/channels/cli/main.ts ARGS…` (the npm scripts start, ingest, search, ask,
 * extract, draft): runs the built JavaScript in dist/ when it is up to date, else the TypeScript
 * under tsx. Never stale code: "up to date" means `npm run build` finished (dist/.build-stamp)
 * after the last change to any file under src/, to package.json or to a tsconfig; otherwise
 * (someone edited src/ since, or never built) it runs src/ exactly as `tsx` would. The built code
 * starts ~1 s sooner (no TypeScript transform of ~200 modules, `npm run bench`).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const STAMP = join("dist", ".build-stamp");

/** The newest modification time of the sources dist/ is built from (ms). */
export function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(root, "src"));
  for (const f of ["package.json", "tsconfig.json", "tsconfig.build.json"])
    if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** What to run for `entry` (a .ts path relative to root): the built .js when fresh, else the .ts under tsx. */
export function pickEntry(root, entry) {
  const built = join(root, "dist", entry.replace(/\.ts$/, ".js"));
  const stamp = join(root, STAMP);
  if (existsSync(built) && existsSync(stamp) && statSync(stamp).mtimeMs > newestSource(root))
    return { file: built, tsx: false };
  return { file: join(root, entry), tsx: true };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write("usage: node bin/launch.mjs src/ENTRY.ts [args…]\n");
    process.exit(2);
  }
  const { file, tsx } = pickEntry(root, entry);
  if (process.env.LAUNCH_DEBUG)
    process.stderr.write(
      `[launch] ${relative(root, file)}${tsx ? " (tsx: dist/ is missing or older than src/)" : ""}\n`,
    );
  if (tsx) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  // the entry decides it is the main module by process.argv[1], as when started directly
  process.argv = [process.argv[0], file, ...args];
  await import(pathToFileURL(file).href);
}
