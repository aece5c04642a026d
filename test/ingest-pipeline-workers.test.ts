import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HashingEmbeddings } from "../src/index/embeddings/hashing-embeddings.js";
import { readGeneration } from "../src/index/index-store.js";
import { segmentDir } from "../src/index/segment.js";
import { ingestCorpus } from "../src/ingest/pipeline/ingest-corpus.js";
import { IngestPool, IngestPoolError } from "../src/ingest/pipeline/ingest-pool.js";

const ROOT = new URL("../", import.meta.url).pathname;
const CORPUS = [join(ROOT, "corpus"), join(ROOT, "../shared/corpus")];

/** Every file of the live generation and its segments, hashed (without names and timestamps). */
async function generationFiles(indexDir: string): Promise<Record<string, string>> {
  const gen = await readGeneration(indexDir);
  const out: Record<string, string> = {};
  const strip = (text: string) =>
    text
      .replace(/"(createdAt|name)":\s*"[^"]*"/g, "")
      .replace(/seg-[\w-]+/g, "seg")
      .replace(/"(mtimeMs|ino)":\d+(\.\d+)?/g, "");
  const add = async (dir: string, prefix: string) => {
    for (const f of (await readdir(dir, { recursive: true })).sort()) {
      if (!f.includes(".")) continue; // folders
      let bytes = await readFile(join(dir, f));
      if (f.endsWith(".json")) bytes = Buffer.from(strip(bytes.toString("utf8")));
      out[prefix + f] = createHash("sha256").update(bytes).digest("hex");
    }
  };
  await add(gen.dir, "");
  for (const [i, s] of gen.meta.segments.entries()) await add(segmentDir(indexDir, s.name), `segment${i}/`);
  return out;
}

describe("ingest in worker threads (embedded hashing embedder)", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "ingest-workers-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("writes the same index, byte for byte, with 2 workers as in the main thread", async () => {
    const logs: string[] = [];
    const [a, b] = [join(tmp, "workers"), join(tmp, "main")];
    const withWorkers = await ingestCorpus({
      corpusDirs: CORPUS,
      indexDir: a,
      embeddings: new HashingEmbeddings(),
      workers: 2,
      log: (l) => logs.push(l),
    });
    const inMain = await ingestCorpus({
      corpusDirs: CORPUS,
      indexDir: b,
      embeddings: new HashingEmbeddings(),
      workers: 0,
    });
    expect(logs.join("\n")).toMatch(/in 2 worker thread/);
    expect(logs.join("\n")).not.toMatch(/worker stopped/);
    expect(withWorkers.failed).toEqual([]);
    expect(withWorkers.chunks).toBe(inMain.chunks);
    expect(withWorkers.chunks).toBeGreaterThan(500);
    const [fa, fb] = [await generationFiles(a), await generationFiles(b)];
    expect(Object.keys(fa)).toContain("segment0/flat/flat.f32");
    expect(Object.keys(fa)).toContain("segment0/bm25.bin");
    expect(fa).toEqual(fb);
  }, 60_000);

  it("an embedder that declares another provider than the hashing one stays in the main thread", async () => {
    class Custom extends HashingEmbeddings {
      override readonly provider = "custom-hashing";
    }
    const logs: string[] = [];
    await ingestCorpus({
      corpusDirs: CORPUS,
      indexDir: join(tmp, "custom"),
      embeddings: new Custom(),
      workers: 2,
      log: (l) => logs.push(l),
    });
    expect(logs.join("\n")).not.toMatch(/worker thread/);
  }, 60_000);

  it("a worker that cannot start rejects its files with IngestPoolError (ingest then does them in the main thread)", async () => {
    const logs: string[] = [];
    const pool = new IngestPool(1, { dimensions: 1024 }, "not-this-embedder", (l) => logs.push(l));
    await expect(pool.run(join(ROOT, "corpus", "README.md"), join(ROOT, "corpus"))).rejects.toBeInstanceOf(
      IngestPoolError,
    );
    await pool.close();
    expect(logs.join("\n")).toMatch(/worker stopped \(ingest worker: embedder .* differs/);
  }, 30_000);
});
