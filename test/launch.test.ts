/**
 * bin/launch.mjs (the npm scripts start / ingest / search / ask / extract / draft): the built
 * JavaScript only when `npm run build` finished after the last source change, else src/ under tsx.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pickEntry, STAMP } from "../bin/launch.mjs";

const ROOT = new URL("../", import.meta.url).pathname;

describe("launcher", () => {
  let root: string;
  const at = (s: number) => new Date(Date.now() - 100_000 + s * 1000);
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "launch-"));
    await mkdir(join(root, "src", "cli"), { recursive: true });
    await mkdir(join(root, "dist", "src", "cli"), { recursive: true });
    await writeFile(join(root, "package.json"), "{}");
    await writeFile(join(root, "src", "cli", "main.ts"), "");
    await writeFile(join(root, "src", "lib.ts"), "");
    await writeFile(join(root, "dist", "src", "cli", "main.js"), "");
    for (const f of ["package.json", "src/cli/main.ts", "src/lib.ts"]) await utimes(join(root, f), at(1), at(1));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("runs dist/ when the build stamp is newer than every source", async () => {
    await writeFile(join(root, STAMP), "");
    await utimes(join(root, STAMP), at(2), at(2));
    expect(pickEntry(root, "src/cli/main.ts")).toEqual({ file: join(root, "dist/src/cli/main.js"), tsx: false });
  });

  it("runs src/ under tsx when any source changed after the build (or there is no stamp, or no built file)", async () => {
    expect(pickEntry(root, "src/cli/main.ts").tsx).toBe(true); // never built (or a build failed: no stamp)
    await writeFile(join(root, STAMP), "");
    await utimes(join(root, STAMP), at(2), at(2));
    await utimes(join(root, "src", "lib.ts"), at(3), at(3)); // another module edited since
    expect(pickEntry(root, "src/cli/main.ts")).toEqual({ file: join(root, "src/cli/main.ts"), tsx: true });
    await utimes(join(root, "src", "lib.ts"), at(1), at(1));
    await utimes(join(root, "package.json"), at(3), at(3));
    expect(pickEntry(root, "src/cli/main.ts").tsx).toBe(true);
    await utimes(join(root, "package.json"), at(1), at(1));
    expect(pickEntry(root, "src/other.ts").tsx).toBe(true); // not built
  });

  it("runs the CLI end to end (from whichever form is current)", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "bin/launch.mjs"), "src/channels/cli/main.ts", "nope"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, LAUNCH_DEBUG: "1" },
    });
    expect(r.stderr).toMatch(/\[launch\] (dist\/)?src\/channels\/cli\/main\.(js|ts)/);
    expect(r.stderr).toMatch(/Usage: <command>/);
    expect(r.status).toBe(2);
  }, 30_000);
});

describe("bin/copy-assets.mjs (npm run build)", () => {
  it("copies every file that is not TypeScript from src/ into dist/src/, keeping folders (the built CLI read thesaurus.tsv from there)", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "assets-"));
    try {
      await mkdir(join(scratch, "src", "retrieval"), { recursive: true });
      await mkdir(join(scratch, "src", "web", "public"), { recursive: true });
      await writeFile(join(scratch, "src", "retrieval", "thesaurus.tsv"), "term\ta\tb\n");
      await writeFile(join(scratch, "src", "retrieval", "scope.ts"), "export {};\n");
      await writeFile(join(scratch, "src", "web", "public", "app.js"), "1;\n");
      const run = spawnSync(process.execPath, [join(ROOT, "bin", "copy-assets.mjs"), scratch], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      expect(await readFile(join(scratch, "dist", "src", "retrieval", "thesaurus.tsv"), "utf8")).toBe("term\ta\tb\n");
      expect(await readFile(join(scratch, "dist", "src", "web", "public", "app.js"), "utf8")).toBe("1;\n");
      await expect(readFile(join(scratch, "dist", "src", "retrieval", "scope.ts"))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
