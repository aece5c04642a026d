/** .txt: decoded text as is (optional front matter honoured). */
import { decodeText } from "../decode-text.js";
import { parseFrontMatter } from "../front-matter.js";
import type { Loader, RawDocument } from "./loader.js";

export const textLoader: Loader = {
  extensions: [".txt"],
  async load(bytes: Buffer, path: string): Promise<RawDocument> {
    const decoded = decodeText(bytes, path);
    const { body, fm } = parseFrontMatter(decoded.text, path);
    return {
      text: body,
      ...(fm.title ? { title: fm.title, titleSource: "front-matter" as const } : {}),
      ...(fm.date ? { date: fm.date } : {}),
      ...(fm.kind ? { kind: fm.kind } : {}),
      ...(decoded.warning ? { warnings: [decoded.warning] } : {}),
    };
  },
};
