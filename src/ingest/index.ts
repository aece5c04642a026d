/** Public surface of the ingest module. */
export { normalizeText, toSimplified, stripPinyin, foldWidth } from "./normalize.js";
export { decodeText } from "./decode-text.js";
export { loadDocument, DEFAULT_MAX_BYTES, type LoadOptions } from "./load-document.js";
export { chunkDocument, MAX_CHUNK_CHARS, splitSentences } from "./chunk.js";
export { discoverFiles, SUPPORTED_EXTENSIONS } from "./discover.js";
export { parseDate } from "./dates.js";
export type { Chunk, DocKind, DocumentMeta, ParsedDocument } from "./types.js";
