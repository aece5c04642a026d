/** Loaders by file extension. Add a format by writing a Loader and listing it here. */
import { extname } from "node:path";
import { InputError } from "../../errors.js";
import { docxLoader } from "./docx.js";
import { htmlLoader } from "./html.js";
import type { Loader } from "./loader.js";
import { markdownLoader } from "./markdown.js";
import { pdfLoader } from "./pdf.js";
import { textLoader } from "./text.js";

export const LOADERS: readonly Loader[] = [textLoader, markdownLoader, htmlLoader, pdfLoader, docxLoader];

const BY_EXT = new Map<string, Loader>(LOADERS.flatMap((l) => l.extensions.map((e) => [e, l] as const)));

/** Supported extensions, lower case, with the dot. */
export const SUPPORTED_EXTENSIONS: readonly string[] = [...BY_EXT.keys()];

export function isSupported(path: string): boolean {
  return BY_EXT.has(extname(path).toLowerCase());
}

/** Formats people often have, and what to convert them to. */
const OLD_FORMATS: Record<string, string> = {
  ".doc": ".docx",
  ".wps": ".docx",
  ".rtf": ".docx",
  ".xhtml": ".html",
  ".mhtml": ".html",
};

/** The loader for `path`'s extension; InputError naming the supported ones otherwise. */
export function loaderFor(path: string): Loader {
  const ext = extname(path).toLowerCase();
  const loader = BY_EXT.get(ext);
  if (!loader) {
    const hint = OLD_FORMATS[ext] ? ` (save it as ${OLD_FORMATS[ext]} first)` : "";
    throw new InputError(
      path,
      `unsupported file type "${ext || "(no extension)"}"${hint}; supported: ${SUPPORTED_EXTENSIONS.join(", ")}`,
    );
  }
  return loader;
}
