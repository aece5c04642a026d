/**
 * Checks a .docx (a ZIP archive) before mammoth inflates it: the central directory is read with
 * yauzl (no entry is inflated for that), its entry count and declared sizes are compared with the
 * limits, and then the parts mammoth will parse (everything but images and other media, which the
 * docx loader never reads) are inflated as a stream and thrown away, counting bytes, so an entry
 * that inflates to more than it declares (yauzl's validateEntrySizes) or to more than the limit
 * is caught with constant memory. A 1 MB "zip bomb" that inflates to 400 MB fails here in a
 * fraction of a second instead of exhausting the heap inside mammoth.
 */
import yauzl from "yauzl";
import { InputError } from "../../errors.js";
import { formatBytes, type DocumentLimits } from "../limits.js";

/** Parts mammoth never inflates with the loader's options (images are dropped, see docx.ts). */
const MEDIA = /\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|ico|wdp|bin|mp[34]|wav|avi|mov|ttf|odttf|otf)$/i;

export interface ZipSummary {
  entries: number;
  /** Declared inflated size of all entries. */
  declaredBytes: number;
  /** Inflated size of the parsed parts, as measured. */
  textBytes: number;
}

function open(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) =>
      err || !zip ? reject(err ?? new Error("no archive")) : resolve(zip),
    ),
  );
}

/** Inflate one entry and count its bytes, failing once the running total passes `budget`. */
function measure(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error("no stream"));
      let n = 0;
      stream.on("data", (chunk: Buffer) => {
        n += chunk.length;
        if (n > budget) {
          stream.destroy();
          reject(new BudgetExceeded(entry.fileName));
        }
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(n));
    });
  });
}

class BudgetExceeded extends Error {
  constructor(readonly entry: string) {
    super(entry);
  }
}

const RESAVE = "open it in Word/WPS and save it as .docx again";

/** Throws InputError when the archive is over a limit or cannot be read as a ZIP. */
export async function checkZipArchive(bytes: Buffer, path: string, limits: DocumentLimits): Promise<ZipSummary> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(bytes);
  } catch (err) {
    throw new InputError(path, `is not a readable .docx file (corrupt, or an old .doc renamed); ${RESAVE}`, {
      cause: err,
    });
  }
  if (zip.entryCount > limits.maxZipEntries) {
    zip.close();
    throw new InputError(
      path,
      `is a .docx archive with ${zip.entryCount} entries, over the ${limits.maxZipEntries}-entry limit (Word writes a few dozen); it is damaged or not a Word document`,
    );
  }
  const summary: ZipSummary = { entries: zip.entryCount, declaredBytes: 0, textBytes: 0 };
  const entries: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (e: yauzl.Entry) => {
        entries.push(e);
        summary.declaredBytes += e.uncompressedSize;
        zip.readEntry();
      });
      zip.on("end", () => resolve());
      zip.on("error", reject);
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw new InputError(
      path,
      `is not a readable .docx file (${err instanceof Error ? err.message : String(err)}); ${RESAVE}`,
      { cause: err },
    );
  }
  const inflatesTo = (n: number) =>
    `inflate to more than ${formatBytes(n)} (${formatBytes(bytes.length)} on disk): a "zip bomb" or a damaged file; it was not parsed`;
  if (summary.declaredBytes > limits.maxZipBytes) {
    zip.close();
    throw new InputError(path, `has entries that ${inflatesTo(limits.maxZipBytes)}`);
  }
  const parsed = entries.filter((e) => !e.fileName.endsWith("/") && !MEDIA.test(e.fileName));
  const declaredText = parsed.reduce((s, e) => s + e.uncompressedSize, 0);
  if (declaredText > limits.maxZipTextBytes) {
    zip.close();
    throw new InputError(path, `has document parts that ${inflatesTo(limits.maxZipTextBytes)}`);
  }
  try {
    for (const e of parsed) {
      if (e.isEncrypted())
        throw new InputError(path, "is an encrypted .docx; remove the password in Word/WPS and save it again");
      summary.textBytes += await measure(zip, e, limits.maxZipTextBytes - summary.textBytes);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof BudgetExceeded)
      throw new InputError(path, `has document parts that ${inflatesTo(limits.maxZipTextBytes)}`);
    const msg = err instanceof Error ? err.message : String(err);
    // yauzl: "too many bytes in the stream. expected N. got at least M" for a size that lies
    if (/too many bytes|expected \d+/i.test(msg))
      throw new InputError(
        path,
        `has an entry that inflates to more than it declares (a "zip bomb" or a damaged file); it was not parsed`,
        { cause: err },
      );
    throw new InputError(path, `is not a readable .docx file (${msg}); ${RESAVE}`, { cause: err });
  } finally {
    zip.close();
  }
  return summary;
}
