/**
 * Per-chunk embedding cache, keyed by a hash of the embedded text: unchanged chunks are never
 * re-embedded. Stored as a JSON key list plus one little-endian Float32 blob.
 */
import { createHash } from "node:crypto";
import { endianness } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const VECTOR_KEYS_FILE = "vectors.json";
export const VECTOR_DATA_FILE = "vectors.f32";

const LITTLE_ENDIAN = endianness() === "LE";

export function vectorKey(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

export class VectorCache {
  readonly vectors = new Map<string, Float32Array>();
  constructor(readonly dimensions: number | null = null) {}

  get(key: string): number[] | undefined {
    const v = this.vectors.get(key);
    return v ? Array.from(v) : undefined;
  }

  set(key: string, vector: number[]): void {
    this.vectors.set(key, Float32Array.from(vector));
  }

  /** A copy holding only `keys` (drops vectors of chunks no longer indexed). */
  retain(keys: Iterable<string>): VectorCache {
    const out = new VectorCache(this.dimensions);
    for (const k of keys) {
      const v = this.vectors.get(k);
      if (v) out.vectors.set(k, v);
    }
    return out;
  }

  serialize(): { keys: string; data: Buffer } {
    const keys = [...this.vectors.keys()];
    const dims = keys.length ? this.vectors.get(keys[0]!)!.length : (this.dimensions ?? 0);
    const all = new Float32Array(keys.length * dims);
    keys.forEach((k, i) => {
      const v = this.vectors.get(k)!;
      if (v.length !== dims) throw new Error(`vector cache: mixed dimensions (${v.length} vs ${dims})`);
      all.set(v, i * dims);
    });
    const data = Buffer.from(all.buffer, all.byteOffset, all.byteLength);
    if (!LITTLE_ENDIAN) data.swap32(); // the file is little-endian on every platform
    return { keys: JSON.stringify({ dimensions: dims, keys }), data };
  }

  static async load(dir: string): Promise<VectorCache> {
    const { dimensions, keys } = JSON.parse(await readFile(join(dir, VECTOR_KEYS_FILE), "utf8")) as { dimensions: number; keys: string[] };
    const data = await readFile(join(dir, VECTOR_DATA_FILE));
    if (data.length !== keys.length * dimensions * 4) throw new Error(`vector cache in ${dir} is truncated`);
    if (!LITTLE_ENDIAN) data.swap32();
    // one aligned copy of the file (a Buffer from readFile may start at any byte offset), then a view per vector
    const all = new Float32Array(keys.length * dimensions);
    new Uint8Array(all.buffer).set(data);
    const cache = new VectorCache(dimensions);
    keys.forEach((k, i) => cache.vectors.set(k, all.subarray(i * dimensions, (i + 1) * dimensions)));
    return cache;
  }
}
