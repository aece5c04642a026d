/**
 * Where the ingest pipeline gets files, documents and chunks from: the ingest module's
 * discoverFiles / loadDocument / chunkDocument. An interface so the pipeline can be tested with
 * hand-made documents and so a failing loader is just another implementation.
 */
import type { InputError } from "../errors.js";
import type { Chunk, ParsedDocument } from "../ingest/types.js";

export interface CorpusSource {
  /**
   * Every supported file under `dir`, as paths joined onto `dir`; a subfolder that cannot be
   * listed goes to `onUnreadable` and is skipped (throws only when `dir` itself cannot be).
   */
  discover(dir: string, onUnreadable?: (err: InputError) => void): Promise<string[]>;
  /** Loads one file; throws (InputError) for a file that cannot be read. */
  load(path: string, root: string): Promise<ParsedDocument>;
  chunk(doc: ParsedDocument): Chunk[];
}

/** The real source (src/ingest), imported lazily so tests with a fake source never load the parsers. */
export async function defaultCorpusSource(): Promise<CorpusSource> {
  const [{ discoverFiles }, { loadDocument }, { chunkDocument }] = await Promise.all([
    import("../ingest/discover.js"),
    import("../ingest/load-document.js"),
    import("../ingest/chunk.js"),
  ]);
  return {
    discover: (dir, onUnreadable) => discoverFiles(dir, onUnreadable),
    load: (path, root) => loadDocument(path, { root }),
    chunk: (doc) => chunkDocument(doc),
  };
}
