/**
 * .docx via mammoth: converted to HTML (so Word headings become <h1>… and the first one can be the
 * title), then to text with the HTML loader's rules. The archive is checked first
 * (zip-archive.ts: entry count, inflated sizes) and images are never inflated.
 */
import type mammothModule from "mammoth";
import { InputError } from "../../errors.js";
import { DEFAULT_LIMITS, type DocumentLimits } from "../limits.js";
import { htmlLoader } from "./html.js";
import type { Loader, RawDocument } from "./loader.js";
import { checkZipArchive } from "./zip-archive.js";

/** mammoth, imported when a .docx is first read (~0.1 s that every ingest paid, issue 14). */
let mammothLib: Promise<typeof mammothModule> | undefined;
const loadMammoth = () => (mammothLib ??= import("mammoth").then((m) => m.default));

export const docxLoader: Loader = {
  extensions: [".docx"],
  async load(bytes: Buffer, path: string, limits: DocumentLimits = DEFAULT_LIMITS): Promise<RawDocument> {
    await checkZipArchive(bytes, path, limits);
    let html: string;
    try {
      const mammoth = await loadMammoth();
      // images are dropped (the text is all we index), so mammoth never reads or base64-encodes them
      const noImages = mammoth.images.imgElement(async () => ({ src: "" }));
      html = (await mammoth.convertToHtml({ buffer: bytes }, { convertImage: noImages })).value;
    } catch (err) {
      throw new InputError(
        path,
        "is not a readable .docx file (corrupt, or an old .doc renamed); open it in Word/WPS and save it as .docx again",
        { cause: err },
      );
    }
    const page = `<html><body>${html}</body></html>`;
    const raw = await htmlLoader.load(Buffer.from(page, "utf8"), path, limits);
    return { text: raw.text, ...(raw.title ? { title: raw.title, titleSource: "heading" as const } : {}) };
  },
};
