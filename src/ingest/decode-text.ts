/**
 * Bytes → string for plain-text formats (.txt, .md, .html).
 *
 * Order: BOM (UTF-8, UTF-16 LE/BE) → strict UTF-8 → legacy Chinese encodings via iconv-lite
 * (GB18030, a superset of GBK/GB2312, and Big5), with chardet's guess deciding which one is tried
 * first. A candidate is only accepted when it decodes without replacement characters, private-use
 * code points or control characters, so a wrong guess fails loudly instead of producing mojibake.
 * Binary input (NUL bytes outside UTF-16) is rejected.
 *
 * A short legacy-encoded text often decodes cleanly as BOTH GB18030 and Big5 (the two share their
 * byte ranges). Then the candidate whose ideographs are more often common characters of its own
 * encoding wins (GB2312 level 1 for GB18030, Big5's frequent block for Big5: mojibake is made of
 * rare characters), and when the two stay close, or there are too few ideographs to tell, the
 * result carries a warning instead of a silent guess.
 */
import chardet from "chardet";
import iconv from "iconv-lite";
import { InputError } from "../errors.js";

export interface DecodedText {
  text: string;
  /** The encoding that was used ("utf-8", "utf-16le", "gb18030", "big5", …). */
  encoding: string;
  /** Set when the encoding was a guess between candidates that both decoded cleanly. */
  warning?: string;
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
    throw new InputError(
      path,
      "looks like a binary file, not text (it contains NUL bytes); export it as .txt, .md, .pdf or .docx",
    );
  }

  // Valid UTF-8 with any non-ASCII byte is practically never another encoding: trust it, and drop
  // stray control characters rather than trying a legacy codec (which would yield mojibake).
  const utf8 = tryUtf8(buf);
  if (utf8 !== null) return { text: stripControls(utf8), encoding: "utf-8" };

  const fits = legacyCandidates(buf)
    .map((enc) => ({ enc, text: iconv.decode(buf, enc) }))
    .filter((c) => acceptable(c.text))
    .map((c) => ({ ...c, ...commonShare(c.text, c.enc) }));
  if (fits.length === 1) return { text: fits[0]!.text, encoding: fits[0]!.enc };
  if (fits.length > 1) {
    // stable sort: chardet's order breaks ties
    const [best, second] = [...fits].sort((a, b) => b.share - a.share);
    const margin = best!.share - second!.share;
    const sure = best!.ideographs >= MIN_IDEOGRAPHS ? margin >= MIN_MARGIN : margin >= SHORT_MARGIN;
    return {
      text: best!.text,
      encoding: best!.enc,
      ...(sure
        ? {}
        : {
            warning: `the encoding was guessed as ${LABEL[best!.enc]} (it also reads as ${LABEL[second!.enc]}); check the text, or ${SAVE_AS_UTF8.replace(" and try again", "")} to be sure`,
          }),
    };
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
  if (text === null)
    throw new InputError(path, `starts with a UTF-8 byte-order mark but is not valid UTF-8; ${SAVE_AS_UTF8}`);
  return stripControls(text);
}

function checked(text: string, path: string, enc: string): string {
  if (!acceptable(text)) throw new InputError(path, `is not valid ${enc} text; ${SAVE_AS_UTF8}`);
  return text;
}

const LABEL: Record<string, string> = { gb18030: "GB18030/GBK", big5: "Big5" };
/** Below this many ideographs a text is "short": one rare character moves the share a lot. */
const MIN_IDEOGRAPHS = 24;
/** Difference in common-character share needed to call one candidate right (long, short text). */
const MIN_MARGIN = 0.2;
const SHORT_MARGIN = 0.5;
const FOREIGN =
  /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Cyrillic}\p{Script=Greek}\u2500-\u257f\u3100-\u312f]/u;
/** Ideographs looked at (the start of a long file tells as much as all of it). */
const SAMPLE = 2000;

/**
 * Share of the text's ideographs that are common characters of `enc`: re-encoded, their lead byte
 * is in GB2312's level-1 block (0xB0–0xD7, the 3,755 most used hanzi) for GB18030, or in Big5's
 * frequent block (0xA4–0xC6, 5,401 characters) for Big5. Kana, Cyrillic, Greek, bopomofo and box
 * drawing count as rare characters.
 */
function commonShare(text: string, enc: string): { share: number; ideographs: number } {
  let ideographs = 0;
  let common = 0;
  for (const ch of text) {
    // kana, Cyrillic, Greek and box drawing in a Chinese text are what a wrong codec makes of it
    if (FOREIGN.test(ch)) {
      ideographs++;
      continue;
    }
    if (!/\p{Script=Han}/u.test(ch)) continue;
    if (++ideographs > SAMPLE) {
      ideographs--;
      break;
    }
    const b = iconv.encode(ch, enc);
    if (b.length !== 2) continue;
    const lead = b[0]!;
    if (enc === "big5" ? lead >= 0xa4 && lead <= 0xc6 : lead >= 0xb0 && lead <= 0xd7) common++;
  }
  return { share: ideographs ? common / ideographs : 0, ideographs };
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
