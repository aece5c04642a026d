/**
 * A small pool of worker threads (node:worker_threads) that load, chunk, embed and term-extract
 * files for an ingest with the embedded HashingEmbeddings (ingest-worker.ts). On the 2-core
 * machine of `npm run bench` ingest used one core; the pool puts the per-file CPU work (jieba,
 * hashing features, opencc) on every core while the main thread hashes files and assembles the
 * index. Results are consumed in file order by the caller, so the index is the same whichever
 * worker handled a file.
 *
 * Hand-written rather than a pool library: it is ~100 lines, needs transferable replies and a
 * fallback, and a dependency (piscina, workerpool) would be the only one of its kind here.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { HashingEmbeddingsOptions } from "../../index/embeddings/hashing-embeddings.js";
import type { IngestTask, IngestTaskResult, IngestWorkerData } from "./ingest-worker.js";

/** Thrown for tasks a failed worker could not finish: the caller does them in its own thread. */
export class IngestPoolError extends Error {}

interface Pending {
  task: IngestTask;
  resolve: (r: IngestTaskResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, Pending>;
  dead: boolean;
}

/** Tasks sent to a worker before it replies (keeps it busy while its previous reply travels). */
const PER_WORKER = 2;

/**
 * The worker's code: the compiled .js module next to this one (dist/), or under tsx
 * (`npm run ingest`, tests) the .ts module behind tsx's loader. Node 20 does not apply the
 * parent's `--import tsx` hooks to a worker's entry module, so the worker registers tsx itself
 * before importing it.
 */
function workerSource(): { code: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { code: new URL("./ingest-worker.js", here), eval: false };
  // the ESM entry of tsx/esm/api (require.resolve gives the CommonJS one, index.cjs)
  const tsxApi = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./ingest-worker.ts", here).href;
  return {
    code: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

export class IngestPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    size: number,
    embedder: HashingEmbeddingsOptions,
    embedderId: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    const { code, eval: isEval } = workerSource();
    const data: IngestWorkerData = { embedder, embedderId };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(code, { workerData: data, eval: isEval });
      const slot: Slot = { worker, ready: false, inFlight: new Map(), dead: false };
      worker.on("message", (msg: IngestTaskResult | { ready: true }) => {
        if ("ready" in msg) {
          slot.ready = true;
        } else {
          const p = slot.inFlight.get(msg.seq);
          slot.inFlight.delete(msg.seq);
          p?.resolve(msg);
        }
        this.pump();
      });
      const fail = (err: Error) => {
        if (slot.dead) return;
        slot.dead = true;
        if (!this.closed)
          this.log(`An ingest worker stopped (${err.message}); its files are processed in the main thread.`);
        for (const p of slot.inFlight.values()) p.reject(new IngestPoolError(err.message));
        slot.inFlight.clear();
        if (this.slots.every((s) => s.dead))
          for (const p of this.queue.splice(0)) p.reject(new IngestPoolError(err.message));
        this.pump();
      };
      worker.on("error", fail);
      worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
      this.slots.push(slot);
    }
  }

  /** Loads, chunks, embeds and term-extracts one file in a worker. Rejects with IngestPoolError when no worker can. */
  run(path: string, root: string): Promise<IngestTaskResult> {
    if (this.closed || this.slots.every((s) => s.dead))
      return Promise.reject(new IngestPoolError("the ingest pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { seq: this.seq++, path, root }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (!slot.dead && slot.ready && slot.inFlight.size < PER_WORKER && this.queue.length) {
        const p = this.queue.shift()!;
        slot.inFlight.set(p.task.seq, p);
        slot.worker.postMessage(p.task);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new IngestPoolError("the ingest pool is closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
