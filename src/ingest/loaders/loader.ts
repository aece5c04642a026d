/** The small plug-in interface every file-format loader implements (one file per format). */
import type { DocumentLimits } from "../limits.js";
import type { DocKind } from "../types.js";

/** What a loader gets out of a file before cleaning and metadata inference. */
export interface RawDocument {
  /** Plain text as published, one paragraph / heading per line (markup removed). */
  text: string;
  /** A title the format states explicitly (front matter, `# ` heading, <title>/<h1>, PDF /Title). */
  title?: string;
  /** Where `title` came from; front matter beats everything else. */
  titleSource?: "front-matter" | "heading" | "html" | "pdf-info";
  /** Date from front matter, YYYY-MM-DD. */
  date?: string;
  /** Kind from front matter. */
  kind?: DocKind;
  /** Things a reader should know about how the file was read (e.g. an uncertain encoding guess). */
  warnings?: string[];
}

export interface Loader {
  /** Lower-case extensions with the dot, e.g. [".html", ".htm"]. */
  readonly extensions: readonly string[];
  /**
   * Parse the file's bytes; throws InputError for input it cannot read or that is over a limit
   * (a loader of a compressed format checks `limits` before inflating; see ../limits.ts).
   */
  load(bytes: Buffer, path: string, limits?: DocumentLimits): Promise<RawDocument>;
}
