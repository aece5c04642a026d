/**
 * Downloading a document the user sent: getFile, a size check, then a streamed download of the
 * file link. The link contains the bot token, so it never appears in a log line or an error.
 */
import { createWriteStream } from "node:fs";
import { copyFile } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { Telegram } from "telegraf";

/** The Bot API's getFile limit (a self-hosted Bot API server allows more; we keep the cap). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

export class DownloadError extends Error {
  override name = "DownloadError";
}

export interface DownloadOptions {
  maxBytes?: number;
  fetch?: typeof fetch;
}

/** Download a Telegram file to `dest`; throws DownloadError (token-free message) on failure. */
export async function downloadTelegramFile(
  telegram: Telegram,
  fileId: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<number> {
  const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const doFetch = options.fetch ?? fetch;
  const file = await telegram.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > maxBytes) throw tooLarge(file.file_size, maxBytes);
  if (!file.file_path) throw new DownloadError("Telegram 没有给出文件路径（文件可能已过期），请重新发送。");
  const link = await telegram.getFileLink(file);
  if (link.protocol === "file:") {
    // A self-hosted Bot API server in --local mode hands out an absolute path on its disk.
    await copyFile(fileURLToPath(link), dest);
    return file.file_size ?? 0;
  }
  let res: Response;
  try {
    res = await doFetch(link);
  } catch {
    throw new DownloadError("下载文件时网络出错，请稍后重新发送。");
  }
  if (!res.ok || !res.body) throw new DownloadError(`下载文件失败（HTTP ${res.status}），请稍后重新发送。`);
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(declared, maxBytes);
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) cb(tooLarge(seen, maxBytes));
      else cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), cap, createWriteStream(dest));
  return seen;
}

function tooLarge(size: number, max: number): DownloadError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new DownloadError(`文件太大（${mb(size)} MB），最多 ${mb(max)} MB。请压缩或拆分后再发送。`);
}
