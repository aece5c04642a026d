/**
 * Bytes → string for plain-text formats (.txt, .md, .html).
 *
 * Order: BOM (UTF-8, UTF-16 LE/BE) → strict UTF-8 → legacy Chinese encodings via iconv-lite
 * (GB18030, a superset of GBK/GB2312, and Big5), with chardet's guess deciding which one is tried
 * first. A candidate is only accepted when it decodes without replacement characters, private-use
 * code points or control characters, so a wrong guess fails loudly instead of producing mojibake.
 * Binary input (NUL bytes outside UTF-16) is rejected.
 */
import chardet from "chardet";
import iconv from "iconv-lite";
import { InputError } from "../errors.js";

export interface DecodedText {
  text: string;
  /** The encoding that was used ("utf-8", "utf-16le", "gb18030", "big5", …). */
  encoding: string;
}

const SAVE_AS_UTF8 = "save it as UTF-8 (or GB18030) text and try again";

/** Decode a text file's bytes; throws InputError for empty, binary or undecodable input. */
export function decodeText(bytes: Uint8Array, path: string): DecodedText {
  if (bytes.length === 0) throw new InputError(path, "empty file");
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: strictUtf8(buf.subarray(3), path), encoding: "utf-8" };
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: checked(iconv.decode(buf.subarray(2), "utf-16le"), path, "utf-16le"), encoding: "utf-16le" };
  }
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    return { text: checked(iconv.decode(buf.subarray(2), "utf-16be"), path, "utf-16be"), encoding: "utf-16be" };
  }
  if (buf.includes(0)) {
    throw new InputError(path, "looks like a binary file, not text (it contains NUL bytes); export it as .txt, .md, .pdf or .docx");
  }

  // Valid UTF-8 with any non-ASCII byte is practically never another encoding: trust it, and drop
  // stray control characters rather than trying a legacy codec (which would yield mojibake).
  const utf8 = tryUtf8(buf);
  if (utf8 !== null) return { text: stripControls(utf8), encoding: "utf-8" };

  for (const enc of legacyCandidates(buf)) {
    const text = iconv.decode(buf, enc);
    if (acceptable(text)) return { text, encoding: enc };
  }
  throw new InputError(path, `cannot be decoded as UTF-8, GB18030/GBK or Big5 text; ${SAVE_AS_UTF8}`);
}

const CONTROLS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/gu;

function stripControls(text: string): string {
  return text.replace(CONTROLS, "");
}

function tryUtf8(buf: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}

function strictUtf8(buf: Buffer, path: string): string {
  const text = tryUtf8(buf);
  if (text === null) throw new InputError(path, `starts with a UTF-8 byte-order mark but is not valid UTF-8; ${SAVE_AS_UTF8}`);
  return stripControls(text);
}

function checked(text: string, path: string, enc: string): string {
  if (!acceptable(text)) throw new InputError(path, `is not valid ${enc} text; ${SAVE_AS_UTF8}`);
  return text;
}

/** chardet is only a hint: it orders GB18030 vs Big5; both are always tried. */
function legacyCandidates(buf: Buffer): string[] {
  const hint = (chardet.detect(buf) ?? "").toLowerCase();
  return hint.includes("big5") ? ["big5", "gb18030"] : ["gb18030", "big5"];
}

/**
 * No U+FFFD (undecodable sequence), no private-use code points (typical of a wrong legacy codec)
 * and no C0/C1 control characters other than tab, newline, carriage return and form feed.
 */
function acceptable(text: string): boolean {
  return !/[\ufffd\ue000-\uf8ff\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/u.test(text);
}
