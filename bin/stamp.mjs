#!/usr/bin/env node
/**
 * `npm run build` runs `node bin/stamp.mjs start && tsc … && node bin/stamp.mjs finish`: `start`
 * removes the stamp and notes the time the build began; `finish` makes that the stamp. So the
 * stamp is older than any source edited while tsc ran, and a failed build leaves none: in both
 * cases bin/launch.mjs runs src/ under tsx instead of stale JavaScript.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const started = join(dist, ".build-started");
const stamp = join(dist, ".build-stamp");
if (process.argv[2] === "start") {
  mkdirSync(dist, { recursive: true });
  rmSync(stamp, { force: true });
  writeFileSync(started, `${new Date().toISOString()}\n`);
} else if (process.argv[2] === "finish") {
  renameSync(started, stamp);
} else {
  process.stderr.write("usage: node bin/stamp.mjs start|finish\n");
  process.exit(2);
}
