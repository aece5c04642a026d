/**
 * The local terminal chat: the same handlers as the Telegram bot, over a line-oriented stream
 * (node:readline), so a newcomer can try the assistant without a bot token. Plain lines are
 * questions; `/search …`, `/extract FILE|text`, `/draft FILE|notes` (alone: the following lines,
 * up to an empty line), `/sources`, `/help` as in Telegram. Works interactively (prompt) and piped (`echo "问题" | npm start` answers and exits).
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Assistant } from "../../assistant/assistant.js";
import { AssistantError, IndexNotFoundError } from "../../errors.js";
import {
  apologyFor,
  createChatCore,
  type Caller,
  type ChatCoreOptions,
  type ChatRequest,
} from "../chat-core/chat-core.js";
import { renderPlain, type Reply } from "../chat-core/reply.js";

export interface TerminalChatOptions {
  assistant: Assistant;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where "/add" copies a document (the first corpus folder). */
  corpusDir: string;
  /** Show a banner and a prompt (default: when both streams are TTYs). */
  interactive?: boolean;
  /** Where files produced by replies (.ics) are written (default: a folder under the OS temp dir). */
  outDir?: string;
  /** Base for relative file paths in /extract and /draft (default: process.cwd()). */
  cwd?: string;
  /** Diagnostics (errors in full, progress); default: nowhere. */
  log?: (line: string, level: "info" | "error") => void;
  /** Build the index automatically the first time a command finds none (default true). */
  autoIngest?: boolean;
  /** Chat-core extensions: persistent memory, 督办 commands and actions (see src/app.ts). */
  chat?: Pick<ChatCoreOptions, "memory" | "commands" | "actions" | "onExtract" | "extractActions">;
}

const isTty = (s: NodeJS.ReadableStream | NodeJS.WritableStream) => (s as { isTTY?: boolean }).isTTY === true;

/** Commands that read the following lines when given no argument. */
const MULTILINE_COMMANDS = new Set(["extract", "draft"]);

/** Commands whose argument may be a file path. */
const FILE_COMMANDS = new Set(["extract", "draft"]);

/** Read one input line as a chat request (exported for tests). */
export function parseLine(line: string): ChatRequest | null {
  const t = line.trim();
  if (!t) return null;
  const m = /^\/([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(t);
  if (!m) return { command: null, args: t };
  return { command: m[1]!.toLowerCase(), args: (m[2] ?? "").trim() };
}

/** Run the chat until end of input or /quit; resolves with an exit code. */
export async function runTerminalChat(options: TerminalChatOptions): Promise<number> {
  const { assistant, input, output } = options;
  const interactive = options.interactive ?? (isTty(input) && isTty(output));
  const log = options.log ?? (() => {});
  const cwd = options.cwd ?? process.cwd();
  const outDir = options.outDir ?? join(tmpdir(), "postal-assistant-chat");
  const write = (s: string) => void output.write(s);
  const core = createChatCore({
    assistant,
    corpusDir: options.corpusDir,
    log: (line) => log(line, "info"),
    channel: "terminal",
    ...options.chat,
  });
  let user = "local";
  try {
    user = userInfo().username || user;
  } catch {
    // no passwd entry (containers): keep "local"
  }
  // The person at the terminal owns the files and the index: treat them as an admin.
  const caller: Caller = { chatId: "terminal", userId: user, role: "admin", name: "本地终端" };
  let autoIngest = options.autoIngest ?? true;

  const show = async (reply: Reply) => {
    const parts = [renderPlain(reply)];
    for (const f of reply.files ?? []) {
      await mkdir(outDir, { recursive: true });
      const path = join(outDir, basename(f.filename));
      await writeFile(path, f.content);
      parts.push(`${f.caption ? `${f.caption} ` : ""}已保存：${path}`);
    }
    for (const a of reply.actions ?? []) {
      // Only "add to corpus" has a terminal command; 督办 actions have /track, /done, /extend.
      if (!a.id.startsWith("add:")) continue;
      const id = a.id.replace(/^add:/, "");
      parts.push(`（输入 /add ${id} ${a.label}）`);
    }
    write(`${parts.filter(Boolean).join("\n")}\n\n`);
  };

  const run = async (req: ChatRequest): Promise<Reply> => {
    if (req.command === "add") return core.action(`add:${req.args}`, caller);
    if (req.command && FILE_COMMANDS.has(req.command) && req.args && !req.args.includes("\n")) {
      const path = resolve(cwd, req.args);
      const st = await stat(path).catch(() => null);
      if (st?.isFile())
        return core.handle({ command: req.command, args: "", attachment: { path, filename: basename(path) } }, caller);
    }
    return core.handle(req, caller);
  };

  const handleLine = async (req: ChatRequest) => {
    try {
      await show(await run(req));
    } catch (first) {
      let err = first;
      if (err instanceof IndexNotFoundError && autoIngest) {
        autoIngest = false;
        write("还没有索引，正在建立（首次需要一点时间）…\n");
        try {
          const report = await assistant.ingest();
          write(
            `索引已建立：${report.added.length + report.updated.length + report.unchanged.length} 个文件，${report.chunks} 段。\n\n`,
          );
          await show(await run(req));
          return;
        } catch (again) {
          err = again;
        }
      }
      // An AssistantError's message is shown in full below; log the stack of anything unexpected.
      if (!(err instanceof AssistantError))
        log(`terminal chat: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, "error");
      await show(apologyFor(err)).catch(() => {});
    }
  };

  const rl = createInterface({
    input,
    ...(interactive ? { output, terminal: true } : { terminal: false }),
    crlfDelay: Infinity,
  });
  rl.on("SIGINT", () => rl.close()); // Ctrl+C ends the chat (readline would otherwise only pause)
  if (interactive) {
    write("邮政管理助手 · 本地对话（未设置 TELEGRAM_BOT_TOKEN）\n直接输入问题；/help 查看命令；/quit 退出。\n\n");
    rl.setPrompt("你> ");
    rl.prompt();
  }
  try {
    // `/draft` or `/extract` alone: the following lines (up to an empty line or the end) are the text.
    let collecting: { command: string; lines: string[] } | null = null;
    for await (const line of rl) {
      if (collecting) {
        if (line.trim()) {
          collecting.lines.push(line);
          continue;
        }
        const { command, lines } = collecting;
        collecting = null;
        await handleLine({ command, args: lines.join("\n") });
        if (interactive) rl.setPrompt("你> ");
        if (interactive) rl.prompt();
        continue;
      }
      const req = parseLine(line);
      if (req?.command === "quit" || req?.command === "exit") break;
      if (req?.command && MULTILINE_COMMANDS.has(req.command) && !req.args) {
        collecting = { command: req.command, lines: [] };
        write(
          req.command === "draft" ? "请输入要点（可多行），空行结束：\n" : "请粘贴通知全文（可多行），空行结束：\n",
        );
        if (interactive) rl.setPrompt("… ");
        if (interactive) rl.prompt();
        continue;
      }
      if (req) await handleLine(req);
      if (interactive) rl.prompt();
    }
    if (collecting?.lines.length) await handleLine({ command: collecting.command, args: collecting.lines.join("\n") });
  } finally {
    rl.close();
    await core.close();
  }
  if (interactive) write("再见。\n");
  return 0;
}
