/**
 * Per-chunk embedding cache, keyed by a hash of the embedded text: unchanged chunks are never
 * re-embedded. Stored as a JSON key list plus one little-endian Float32 blob.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const VECTOR_KEYS_FILE = "vectors.json";
export const VECTOR_DATA_FILE = "vectors.f32";

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
    const data = Buffer.alloc(keys.length * dims * 4);
    keys.forEach((k, i) => {
      const v = this.vectors.get(k)!;
      if (v.length !== dims) throw new Error(`vector cache: mixed dimensions (${v.length} vs ${dims})`);
      for (let j = 0; j < dims; j++) data.writeFloatLE(v[j]!, (i * dims + j) * 4);
    });
    return { keys: JSON.stringify({ dimensions: dims, keys }), data };
  }

  static async load(dir: string): Promise<VectorCache> {
    const { dimensions, keys } = JSON.parse(await readFile(join(dir, VECTOR_KEYS_FILE), "utf8")) as { dimensions: number; keys: string[] };
    const data = await readFile(join(dir, VECTOR_DATA_FILE));
    if (data.length !== keys.length * dimensions * 4) throw new Error(`vector cache in ${dir} is truncated`);
    const cache = new VectorCache(dimensions);
    keys.forEach((k, i) => {
      const v = new Float32Array(dimensions);
      for (let j = 0; j < dimensions; j++) v[j] = data.readFloatLE((i * dimensions + j) * 4);
      cache.vectors.set(k, v);
    });
    return cache;
  }
}
