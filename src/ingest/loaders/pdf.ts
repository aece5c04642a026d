/**
 * .pdf through LangChain's PDFLoader over pdf-parse 2 (pdfjs-dist 5.4.296).
 *
 * PDFLoader builds its parser with `new PDFParse({ data })`, i.e. WITHOUT cMaps, and then returns
 * no text at all for Chinese PDFs that use non-embedded CID fonts (STSong-Light + UniGB-UCS2-H …).
 * Its `pdfjs` option lets us hand it the parser class, so we pass a PDFParse subclass that adds
 * the packed CJK cMaps and the standard font data shipped in the same pdfjs-dist that pdf-parse uses.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { PDFLoader } from "@langchain/community/document_loaders/fs/pdf";
import type { PDFParse } from "pdf-parse";
import { InputError } from "../../errors.js";
import { DEFAULT_LIMITS, textTooLong, type DocumentLimits } from "../limits.js";
import { reflowLines } from "../reflow.js";
import type { Loader, RawDocument } from "./loader.js";

/** pdfjs-dist as resolved from pdf-parse (it may differ from a top-level pdfjs-dist). */
function pdfjsDistDir(): string {
  const fromHere = createRequire(import.meta.url);
  const fromPdfParse = createRequire(fromHere.resolve("pdf-parse"));
  return dirname(fromPdfParse.resolve("pdfjs-dist/package.json"));
}

const PDFJS_DIR = pdfjsDistDir();
/** Directory paths with a trailing separator: pdfjs's Node readers append file names to them. */
export const CMAP_DIR = `${join(PDFJS_DIR, "cmaps")}/`;
export const STANDARD_FONT_DIR = `${join(PDFJS_DIR, "standard_fonts")}/`;

type ParseOptions = ConstructorParameters<typeof PDFParse>[0];

/**
 * pdf-parse's bundled pdfjs (legacy build with core-js) REPLACES two built-ins process-wide when it
 * is evaluated: Array.prototype.push and JSON.parse become JavaScript polyfills (core-js forces
 * them over V8 edge cases). Every later push and JSON.parse in the process then runs slower: in
 * `npm run bench` the polyfilled push alone was ~5 s of an 85 s ingest of 100k chunks (Markdown
 * only: the loader registry imported pdf-parse anyway). So pdf-parse is imported only when a PDF
 * is read, and the native functions are put back after it and after each parse (pdfjs may load
 * more of itself then). Polyfills that only ADD missing methods (Set, Iterator helpers) stay.
 */
const NATIVE = { push: Array.prototype.push, parse: JSON.parse };
function restoreNatives(): void {
  if (Array.prototype.push !== NATIVE.push)
    Object.defineProperty(Array.prototype, "push", {
      value: NATIVE.push,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  if (JSON.parse !== NATIVE.parse)
    Object.defineProperty(JSON, "parse", {
      value: NATIVE.parse,
      writable: true,
      configurable: true,
      enumerable: false,
    });
}

let parserClass: Promise<typeof PDFParse> | undefined;
/** PDFParse with the cMaps and standard fonts wired in (pdf-parse loaded on first use). */
function cmapPdfParse(): Promise<typeof PDFParse> {
  return (parserClass ??= import("pdf-parse").then(({ PDFParse: Base }) => {
    restoreNatives();
    return class CMapPDFParse extends Base {
      constructor(options: ParseOptions) {
        super({
          ...options,
          cMapUrl: CMAP_DIR,
          cMapPacked: true,
          standardFontDataUrl: STANDARD_FONT_DIR,
          isEvalSupported: false,
        });
      }
    };
  }));
}

type PdfjsFactory = NonNullable<ConstructorParameters<typeof PDFLoader>[1]>["pdfjs"];

/**
 * The parser PDFLoader gets for one file: at most `maxPdfPages` pages are parsed (a PDF with more
 * is refused, from its page count, before its text is built) and the text is capped.
 */
function limitedPdfjs(path: string, limits: DocumentLimits): PdfjsFactory {
  return (async () => {
    const Base = await cmapPdfParse();
    class LimitedPDFParse extends Base {
      override async getText(params: Parameters<PDFParse["getText"]>[0] = {}) {
        const result = await super.getText({ ...params, last: Math.min(params.last ?? Infinity, limits.maxPdfPages) });
        if (result.total > limits.maxPdfPages)
          throw new InputError(
            path,
            `has ${result.total} pages, over the ${limits.maxPdfPages}-page limit; split it into smaller files`,
          );
        const chars = result.pages.reduce((n, p) => n + (p.text?.length ?? 0), 0);
        if (chars > limits.maxTextChars) throw new InputError(path, textTooLong(chars, limits));
        return result;
      }
    }
    return { isV2: true, PDFParse: LimitedPDFParse };
  }) as unknown as PdfjsFactory;
}

function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name} ${err.constructor.name}` : "";
}

/** PDF /Title is often the authoring file name ("Microsoft Word - 通知.doc"): ignore such titles. */
function usableTitle(t: unknown): string | undefined {
  if (typeof t !== "string") return undefined;
  const title = t.trim();
  if (title === "" || /^(microsoft \w+ - |untitled$|无标题)|\.(docx?|wps|pdf|txt|xlsx?)$/i.test(title))
    return undefined;
  return title;
}

export const pdfLoader: Loader = {
  extensions: [".pdf"],
  async load(bytes: Buffer, path: string, limits: DocumentLimits = DEFAULT_LIMITS): Promise<RawDocument> {
    // A Blob, not the path: PDFLoader would otherwise read the file a second time.
    const blob = new Blob([new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)], {
      type: "application/pdf",
    });
    let docs: Awaited<ReturnType<PDFLoader["load"]>>;
    try {
      // imported here, not at the top: ~0.3 s that every ingest paid, also one without a PDF (issue 14)
      const { PDFLoader: Loader } = await import("@langchain/community/document_loaders/fs/pdf");
      docs = await new Loader(blob, { splitPages: true, pdfjs: limitedPdfjs(path, limits) }).load();
      restoreNatives();
    } catch (err) {
      restoreNatives();
      if (err instanceof InputError) throw err;
      const name = errorName(err);
      if (name.includes("PasswordException")) {
        throw new InputError(path, "is password-protected; remove the password and try again", { cause: err });
      }
      throw new InputError(
        path,
        `is not a readable PDF (${err instanceof Error ? err.message : String(err)}); re-export it from the original document and try again`,
        { cause: err },
      );
    }
    // Wrapped lines and page breaks inside a paragraph are undone (see reflow.ts).
    const text = reflowLines(docs.map((d) => d.pageContent).join("\n\n"));
    if (text.trim() === "") {
      throw new InputError(
        path,
        "has no extractable text (probably a scanned image); run OCR on it or provide the text as .txt/.docx",
      );
    }
    const info = docs[0]?.metadata?.pdf?.info as { Title?: unknown } | undefined;
    const title = usableTitle(info?.Title);
    return { text, ...(title ? { title, titleSource: "pdf-info" as const } : {}) };
  },
};
