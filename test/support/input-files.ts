/** Helpers the ingest tests share: write a file into a scratch folder, and expect an InputError. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { InputError } from "../../src/errors.js";

/** Writes `data` to `dir/name` (creating folders on the way) and returns the path. */
export async function putFile(dir: string, name: string, data: string | Buffer): Promise<string> {
  const p = join(dir, name);
  await mkdir(dirname(p), { recursive: true });
  await writeFile(p, data);
  return p;
}

/** The InputError `p` rejects with; fails the test when it resolves or rejects with anything else. */
export async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}
