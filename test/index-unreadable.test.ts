/**
 * A damaged index (each of its files truncated in turn): `search` says the index is unreadable,
 * names the file and gives the rebuild command (exit 1, no stack trace, never "Unexpected error");
 * `ingest` notices the damage and rebuilds. Issue 13: "a truncated index file: Unexpected error
 * with the advice buried in the stack".
 */
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/channels/cli/main.js";
import { captureIo } from "./fakes/capture-io.js";

let tmp: string;
let pristine: string;
let files: string[];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "index-unreadable-"));
  pristine = join(tmp, "pristine");
  const t = captureIo({ env: { INDEX_DIR: pristine } });
  expect(await runCli(["ingest", "--corpus", "corpus"], t.io)).toBe(0);
  files = [];
  for (const f of await readdir(pristine, { recursive: true })) {
    const p = join(pristine, f);
    if ((await stat(p)).isFile() && (await stat(p)).size > 1 && !f.includes(".lock")) files.push(relative(pristine, p));
  }
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("a truncated index file", () => {
  it("search: IndexUnreadableError naming the file and the rebuild command, or a normal answer; never an unexpected error", async () => {
    expect(files.length).toBeGreaterThan(8);
    let unreadable = 0;
    for (const f of files) {
      const dir = join(tmp, "copy");
      await rm(dir, { recursive: true, force: true });
      await cp(pristine, dir, { recursive: true });
      await truncate(join(dir, f), Math.floor((await stat(join(dir, f))).size / 2));
      const t = captureIo({ env: { INDEX_DIR: dir } });
      const code = await runCli(["search", "--json", "快递业务"], t.io);
      if (code === 0) {
        expect(JSON.parse(t.out()).results.length, f).toBeGreaterThan(0);
        continue;
      }
      unreadable++;
      expect(code, f).toBe(1);
      expect(t.err(), f).toMatch(/is unreadable \(.*\); run `npm run ingest -- --rebuild` to rebuild it/);
      expect(t.err(), f).not.toMatch(/Unexpected error|\n\s+at /);
    }
    // at least the files every search reads: meta, chunks, postings, vectors
    expect(unreadable).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it("ingest notices a damaged segment and rebuilds it instead of reusing it", async () => {
    const dir = join(tmp, "damaged");
    await cp(pristine, dir, { recursive: true });
    const flat = files.find((f) => f.endsWith("flat.f32"))!;
    await truncate(join(dir, flat), 100);
    const t = captureIo({ env: { INDEX_DIR: dir } });
    expect(await runCli(["ingest", "--corpus", "corpus"], t.io)).toBe(0);
    expect(t.err()).toMatch(/damaged .*flat\.f32.*rebuilding/);
    const s = captureIo({ env: { INDEX_DIR: dir } });
    expect(await runCli(["search", "--json", "快递业务"], s.io)).toBe(0);
    expect(await readFile(join(dir, "CURRENT"), "utf8")).not.toBe(await readFile(join(pristine, "CURRENT"), "utf8"));
  }, 120_000);
});
