/**
 * Where the ingest pipeline gets files, documents and chunks from: the ingest module's
 * discoverFiles / loadDocument / chunkDocument. An interface so the pipeline can be tested with
 * hand-made documents and so a failing loader is just another implementation.
 */
import type { InputError } from "../../errors.js";
import type { Chunk, ParsedDocument } from "../types.js";

export interface CorpusSource {
  /**
   * Every supported file under `dir`, as paths joined onto `dir`; a subfolder that cannot be
   * listed goes to `onUnreadable` and is skipped (throws only when `dir` itself cannot be). A
   * source that reports every folder it lists to `onDirectory` lets ingest skip listing when no
   * folder's mtime changed (git's untracked cache).
   */
  discover(
    dir: string,
    options?: { onUnreadable?: (err: InputError) => void; onDirectory?: (path: string) => void },
  ): Promise<string[]>;
  /** Loads one file; throws (InputError) for a file that cannot be read. */
  load(path: string, root: string): Promise<ParsedDocument>;
  chunk(doc: ParsedDocument): Chunk[];
}

/**
 * The real source (src/ingest), imported lazily so tests with a fake source never load the
 * parsers, and an ingest with nothing to load (the usual case) never loads them either.
 */
export async function defaultCorpusSource(): Promise<CorpusSource> {
  const parsers = async () => {
    const [{ loadDocument }, { chunkDocument }] = await Promise.all([
      import("../load-document.js"),
      import("../chunk.js"),
    ]);
    return { loadDocument, chunkDocument };
  };
  let loaded: Awaited<ReturnType<typeof parsers>> | null = null;
  return {
    // discover.js imports every loader (their libraries: ~0.4 s CPU) to know the extensions
    discover: async (dir, options) => (await import("../discover.js")).discoverFiles(dir, options),
    load: async (path, root) => (loaded ??= await parsers()).loadDocument(path, { root }),
    chunk: (doc) => {
      if (!loaded) throw new Error("chunk() before load()");
      return loaded.chunkDocument(doc);
    },
  };
}
