/** .html / .htm: html-to-text, one block per line; title from <title> (or the <h1> it contains), else the first <h1>. */
import type { HtmlToTextOptions } from "html-to-text";
import { decodeText } from "../decode-text.js";
import type { Loader, RawDocument } from "./loader.js";

const BODY: HtmlToTextOptions = {
  wordwrap: false,
  preserveNewlines: false,
  selectors: [
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "nav", format: "skip" },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "h4", options: { uppercase: false } },
    { selector: "h5", options: { uppercase: false } },
    { selector: "h6", options: { uppercase: false } },
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
    { selector: "ul", options: { itemPrefix: "" } },
  ],
};

type Convert = typeof import("html-to-text")["convert"];
/** html-to-text, imported when an HTML or .docx file is first read (~50 ms that every ingest paid, issue 14). */
let converter: Promise<Convert> | undefined;
const loadConvert = () => (converter ??= import("html-to-text").then((m) => m.convert));

function firstText(convert: Convert, html: string, selector: string): string | undefined {
  const text = convert(html, {
    wordwrap: false,
    baseElements: { selectors: [selector], returnDomByDefault: false },
    selectors: [{ selector: "h1", options: { uppercase: false } }],
  });
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
  return line;
}

export const htmlLoader: Loader = {
  extensions: [".html", ".htm"],
  async load(bytes: Buffer, path: string): Promise<RawDocument> {
    const decoded = decodeText(bytes, path);
    const html = decoded.text;
    const convert = await loadConvert();
    // Paragraph breaks as single newlines keep one paragraph per line, like the .txt corpus.
    const text = convert(html, BODY).replace(/\n{2,}/g, "\n\n");
    // <title> often carries the site name ("国家邮政局-通知公告-…"); prefer the <h1> it contains.
    const head = firstText(convert, html, "title");
    const h1 = firstText(convert, html, "h1");
    const title = head && h1 && head.includes(h1) ? h1 : (head ?? h1);
    return {
      text,
      ...(title ? { title, titleSource: "html" as const } : {}),
      ...(decoded.warning ? { warnings: [decoded.warning] } : {}),
    };
  },
};
