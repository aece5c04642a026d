/**
 * Parses a file in a child process with a heap cap (--max-old-space-size) and a deadline, one file
 * at a time, so that a file whose parser runs out of memory or time (a zip bomb that got past the
 * archive checks, a PDF that expands without end) fails alone: its process is dropped, the caller
 * gets an InputError naming the file and why, and the next file gets a fresh process. The process
 * is kept for the next file, ended when idle, and never keeps the parent alive.
 *
 * A child process rather than a worker thread: a worker thread with resourceLimits that reaches
 * its heap limit inside one large allocation (mammoth's 400 MB string) takes the whole process
 * down with "FATAL ERROR: Reached heap limit" (measured on Node 20); a child's crash is its own.
 * Hand-written rather than a pool library: one process, one task at a time, restart on failure.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError } from "../errors.js";
import type { ParseOptions } from "./load-document.js";
import type { ParseReply, ParseTask } from "./parse-worker.js";
import type { ParsedDocument } from "./types.js";

/** An idle process is ended after this long (a corpus ingest keeps it busy; a bot's upload does not). */
const IDLE_MS = 5000;

/**
 * The child's module and Node options: the compiled .js next to this module, or under tsx (npm
 * scripts, tests) the .ts module with tsx's loader imported first.
 */
function childSource(memoryMb: number): { module: string; execArgv: string[] } {
  const here = import.meta.url;
  const heap = [`--max-old-space-size=${memoryMb}`];
  if (!here.endsWith(".ts")) return { module: fileURLToPath(new URL("./parse-worker.js", here)), execArgv: heap };
  const tsx = pathToFileURL(createRequire(here).resolve("tsx")).href;
  return { module: fileURLToPath(new URL("./parse-worker.ts", here)), execArgv: [...heap, "--import", tsx] };
}

interface Live {
  child: ChildProcess;
  memoryMb: number;
  ready: Promise<void>;
  idle?: NodeJS.Timeout;
  stderr: string[];
}

let live: Live | null = null;
let chain: Promise<unknown> = Promise.resolve();
let seq = 0;

function start(memoryMb: number): Live {
  const { module, execArgv } = childSource(memoryMb);
  const child = fork(module, [], { execArgv, serialization: "advanced", stdio: ["ignore", "ignore", "pipe", "ipc"] });
  const stderr: string[] = [];
  child.stderr?.on("data", (d: Buffer) => {
    stderr.push(d.toString("utf8"));
    if (stderr.length > 50) stderr.shift();
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onMsg = (m: unknown) => {
      if (m && typeof m === "object" && "ready" in m) {
        child.off("message", onMsg);
        resolve();
      }
    };
    child.on("message", onMsg);
    child.once("error", reject);
    child.once("close", (code) => reject(new Error(`the parser exited with code ${code} before it was ready`)));
  });
  ready.catch(() => {});
  return { child, memoryMb, ready, stderr };
}

function setRef(l: Live, on: boolean): void {
  const c = l.child as ChildProcess & { channel?: { ref(): void; unref(): void } | null };
  if (on) {
    l.child.ref();
    c.channel?.ref();
  } else {
    l.child.unref();
    c.channel?.unref();
  }
  (l.child.stderr as unknown as { ref?(): void; unref?(): void } | null)?.[on ? "ref" : "unref"]?.();
}

function drop(l: Live): void {
  if (live === l) live = null;
  if (l.idle) clearTimeout(l.idle);
  if (l.child.exitCode === null && l.child.signalCode === null) l.child.kill("SIGKILL");
}

async function runOne(path: string, opts: ParseOptions): Promise<ParsedDocument> {
  const { limits } = opts;
  if (live && live.memoryMb !== limits.parseMemoryMb) drop(live);
  const l = (live ??= start(limits.parseMemoryMb));
  if (l.idle) clearTimeout(l.idle);
  setRef(l, true);
  const id = ++seq;
  try {
    return await new Promise<ParsedDocument>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        l.child.off("message", onMessage);
        l.child.off("error", onError);
        l.child.off("close", onExit);
      };
      const fail = (reason: string, cause?: unknown) => {
        cleanup();
        drop(l);
        reject(new InputError(path, reason, { cause }));
      };
      const onMessage = (m: ParseReply | { ready: true }) => {
        if (!("id" in m) || m.id !== id) return;
        cleanup();
        if (m.ok) resolve(m.doc);
        else
          reject(m.input ? new InputError(path, m.reason) : new InputError(path, `could not be parsed (${m.reason})`));
      };
      const onError = (err: Error) => fail(`could not be parsed (the parser could not run: ${err.message})`, err);
      // "close": after the child's stderr has been read to its end (its last words name an OOM)
      const onExit = () => {
        const said = l.stderr.join("");
        if (/heap out of memory|Reached heap limit|Allocation failed/i.test(said))
          fail(
            `needed more than ${limits.parseMemoryMb} MB of memory to parse (a "zip bomb" or a damaged file?); it was not indexed`,
          );
        else
          fail(
            `could not be parsed (the parser stopped${l.child.exitCode !== null ? ` with exit code ${l.child.exitCode}` : ` on ${l.child.signalCode}`})`,
          );
      };
      const timer = setTimeout(
        () =>
          fail(
            `took longer than ${limits.parseTimeoutMs >= 1000 ? `${Math.round(limits.parseTimeoutMs / 1000)} s` : `${limits.parseTimeoutMs} ms`} to parse (a damaged or hostile file?); it was not indexed`,
          ),
        limits.parseTimeoutMs,
      );
      l.child.on("message", onMessage);
      l.child.on("error", onError);
      l.child.on("close", onExit);
      l.ready.then(
        () => {
          try {
            l.child.send({ id, path, opts } satisfies ParseTask, (err) => err && onError(err));
          } catch (err) {
            onError(err as Error);
          }
        },
        (err: Error) =>
          l.child.exitCode !== null || l.child.signalCode !== null ? undefined /* "close" reports it */ : onError(err),
      );
    });
  } finally {
    if (live === l) {
      setRef(l, false);
      l.idle = setTimeout(() => drop(l), IDLE_MS);
      l.idle.unref();
    }
  }
}

/** Parse `path` in the capped child process (one file at a time per calling thread). */
export function parseIsolated(path: string, opts: ParseOptions): Promise<ParsedDocument> {
  const run = chain.then(() => runOne(path, opts));
  chain = run.catch(() => {});
  return run;
}
