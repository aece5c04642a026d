/**
 * .docx via mammoth: converted to HTML (so Word headings become <h1>… and the first one can be the
 * title), then to text with the HTML loader's rules.
 */
import mammoth from "mammoth";
import { InputError } from "../../errors.js";
import { htmlLoader } from "./html.js";
import type { Loader, RawDocument } from "./loader.js";

export const docxLoader: Loader = {
  extensions: [".docx"],
  async load(bytes: Buffer, path: string): Promise<RawDocument> {
    let html: string;
    try {
      html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    } catch (err) {
      throw new InputError(
        path,
        "is not a readable .docx file (corrupt, or an old .doc renamed); open it in Word/WPS and save it as .docx again",
        { cause: err },
      );
    }
    const page = `<html><body>${html}</body></html>`;
    const raw = await htmlLoader.load(Buffer.from(page, "utf8"), path);
    return { text: raw.text, ...(raw.title ? { title: raw.title, titleSource: "heading" as const } : {}) };
  },
};
