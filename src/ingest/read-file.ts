/**
 * Reading untrusted files with the size limit checked first, from the open file (no stat-then-read
 * race): the whole file for a loader, or a streamed sha256 for an ingest's change detection. Kept
 * apart from load-document.ts so an ingest can hash files without importing the parsers.
 */
import type { FileHandle } from "node:fs/promises";
import { createHash } from "node:crypto";
import { lstatSync } from "node:fs";
import { open } from "node:fs/promises";
import { InputError } from "../errors.js";
import { formatBytes, resolveLimits, type DocumentLimits } from "./limits.js";

export function readError(path: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? isLink(path)
        ? "is a symbolic link to a missing file; fix or remove the link"
        : "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "cannot be read: permission denied (check the file's permissions)"
        : code === "EISDIR"
          ? "is not a regular file"
          : `cannot be read (${code ?? String(err)})`;
  return new InputError(path, reason, { cause: err });
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function checkSize(path: string, size: number, limits: DocumentLimits): void {
  if (size === 0) throw new InputError(path, "empty file");
  if (size > limits.maxBytes) {
    throw new InputError(
      path,
      `is ${formatBytes(size)}, over the ${formatBytes(limits.maxBytes)} limit; split it into smaller files`,
    );
  }
}

/** The file's size, checked against the limit without reading it. */
export async function statChecked(path: string, limits: DocumentLimits): Promise<number> {
  return withCheckedFile(path, limits, async (_fh, size) => size);
}

/**
 * Open `path`, check it is a regular file within the size limit (size taken from the open file, so
 * a file swapped after a stat cannot slip past), run `use`, close; errors say what to do (readError).
 */
async function withCheckedFile<T>(
  path: string,
  limits: DocumentLimits,
  use: (fh: FileHandle, size: number) => Promise<T>,
): Promise<T> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, "r");
    const st = await fh.stat();
    if (!st.isFile()) throw new InputError(path, "is not a regular file");
    checkSize(path, st.size, limits);
    return await use(fh, st.size);
  } catch (err) {
    throw readError(path, err);
  } finally {
    await fh?.close();
  }
}

/** The whole file, never more than the limit (the size is taken from the open file, then read once). */
export async function readBounded(path: string, limits: DocumentLimits): Promise<Buffer> {
  return withCheckedFile(path, limits, async (fh, size) => {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    if (off === 0) throw new InputError(path, "empty file");
    return off < buf.length ? buf.subarray(0, off) : buf;
  });
}

const STREAM_ABOVE = 1024 * 1024;

/**
 * sha256 of a file, streamed (constant memory), refusing one over the size limit without reading
 * it: what an ingest compares to know whether a file changed.
 */
export async function fileDigest(
  path: string,
  limits: Partial<DocumentLimits> = {},
): Promise<{ sha: string; bytes: number }> {
  return withCheckedFile(path, resolveLimits(limits), async (fh, size) => {
    const hash = createHash("sha256");
    // a corpus file is small: one read; a large one is streamed (constant memory)
    if (size <= STREAM_ABOVE) {
      const buf = await fh.readFile();
      return { sha: hash.update(buf).digest("hex"), bytes: buf.length };
    }
    let bytes = 0;
    for await (const chunk of fh.createReadStream({ autoClose: false, start: 0 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { sha: hash.digest("hex"), bytes };
  });
}
