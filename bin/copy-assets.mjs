#!/usr/bin/env node
/**
 * `npm run build` step: copies the data files that modules read beside themselves (src/**\/*.tsv,
 * *.json, the web workspace's public/ …; every file that is not TypeScript) into dist/src/, so the
 * built JavaScript finds them exactly where the TypeScript does (`new URL("./x.tsv", import.meta.url)`).
 */
import { cpSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// the project root (default: this file's parent folder); a test passes a scratch root
const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..");
cpSync(join(root, "src"), join(root, "dist", "src"), {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || !/\.(m|c)?ts$/.test(source),
});
