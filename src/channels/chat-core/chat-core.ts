/**
 * The chat handlers shared by every channel (terminal, Telegram, DingTalk, Feishu, WeCom). A channel adapter turns
 * what the user sent into a ChatRequest (command, argument text, replied-to text, a downloaded
 * file) and a Caller (who, where, with which role), and renders the Reply it gets back.
 * Access control, rate limiting and delivery are the adapters' business (the platforms share
 * gateway.ts); role checks for admin-only commands are made here, once, from the command table,
 * so that every channel behaves the same.
 */
import { namespacedChat } from "./notifier.js";
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { Assistant, IngestReport } from "../../assistant/assistant.js";
import type { AskResponse } from "../../assistant/ask/types.js";
import type { ExtractResponse, TimeExpression } from "../../assistant/extract/types.js";
import type { DraftForm } from "../../assistant/draft/types.js";
import type { SearchResponse } from "../../retrieval/types.js";
import { AssistantError, IndexNotFoundError } from "../../errors.js";
import { isIndexableName } from "../../ingest/discover.js";
import { isSupported, SUPPORTED_EXTENSIONS } from "../../ingest/loaders/registry.js";
import { parseSearchArgs, SearchArgsError } from "./search-args.js";
import { memoryChatMemory, type ChatMemory } from "./chat-memory.js";
import { textReply, type Block, type Reply, type ReplyAction } from "./reply.js";

export type Role = "admin" | "user" | "stranger";

export interface Caller {
  chatId: string;
  userId: string;
  role: Role;
  /** Display name or @username, for /whoami. */
  name?: string;
}

/** A file the user sent, already on local disk. */
export interface Attachment {
  path: string;
  /** The name the user gave it (used for the copy into the corpus and for the .ics name). */
  filename: string;
  /** Called when the core no longer needs the file (e.g. to delete a downloaded temp file). */
  dispose?: () => Promise<void>;
}

export interface ChatRequest {
  /** Lower-case command without the slash ("search"), or null for plain text (a question). */
  command: string | null;
  /** The text after the command (or the whole text for a plain message). */
  args: string;
  /** Text of the message this one replies to, if any. */
  quoted?: string;
  /** A document sent with (or replied to by) this message. */
  attachment?: Attachment;
}

/** What a channel shows of a command (/help, Telegram's setMyCommands, menus). */
export interface CommandInfo {
  command: string;
  description: string;
  usage?: string;
  /** Only admins may run it (checked once, by the core, before `handle`); hidden from others' /help. */
  adminOnly?: boolean;
  /** Not listed in /help or command menus (e.g. /start). */
  hidden?: boolean;
}

/** One chat command: what it is, who may run it, and what it does. */
export interface Command extends CommandInfo {
  handle(req: ChatRequest, caller: Caller): Promise<Reply>;
}

/** The command a plain message (no slash) runs. */
export const DEFAULT_COMMAND = "ask";

/** File types a user may send: whatever the ingest loaders read. */
export { SUPPORTED_EXTENSIONS };

export function isSupportedFile(filename: string): boolean {
  return isSupported(filename);
}

export interface ChatCoreOptions {
  assistant: Assistant;
  /** Where "add to corpus" copies a document (the first corpus folder). */
  corpusDir: string;
  /** Turns of conversation kept per chat as context for follow-up questions. */
  historyTurns?: number;
  /** Short ids for pending actions (injected for tests). */
  newId?: () => string;
  log?: (line: string) => void;
  /** How many sent documents are kept for the "add to corpus" button. */
  maxPending?: number;
  /** More commands (e.g. from another capability), added to the built-in table; same name replaces. */
  commands?: readonly Command[];
  /** The setting an admin edits to allow a user, named in /whoami for strangers. */
  allowListSetting?: string;
  /** Turns, kept files and the audit log (default: in memory, no audit); see chat-memory.ts. */
  memory?: ChatMemory;
  /** The channel's name, prefixed to chat and user ids in the audit log and tasks ("telegram:123"). */
  channel?: string;
  /** Told of every extract shown in a chat (the 督办 commands track the last one). */
  onExtract?: (
    chat: string,
    res: ExtractResponse,
    notice: { title: string; path: string | null },
  ) => void | Promise<void>;
  /** Handlers for reply actions by id prefix ("task:"), besides the built-in "add:". */
  actions?: Record<string, (id: string, caller: Caller) => Promise<Reply>>;
  /** Extra actions offered under an extract's reply (e.g. 立项督办). */
  extractActions?: ReplyAction[];
}

export interface ChatCore {
  /** The command table (for /help, menus and setMyCommands). */
  readonly commands: readonly CommandInfo[];
  handle(req: ChatRequest, caller: Caller): Promise<Reply>;
  /** Run an action offered in a reply (`add:<id>`). */
  action(id: string, caller: Caller): Promise<Reply>;
  /** Release pending files. */
  close(): Promise<void>;
}

const ROLE_NAMES: Record<Role, string> = { admin: "管理员", user: "已授权用户", stranger: "未授权" };
const KIND_NAMES: Record<string, string> = { regulation: "法规", bulletin: "公告", notice: "通知" };

/** The reply for an error: AssistantErrors (and bad /search arguments) say what to do; anything else gets an apology. */
export function apologyFor(err: unknown): Reply {
  if (err instanceof SearchArgsError) return textReply(err.message);
  if (err instanceof IndexNotFoundError)
    return textReply("还没有建立索引。请管理员发送 /reindex，或在服务器上运行 npm run ingest。");
  if (err instanceof AssistantError) return textReply(`抱歉，未能完成：${err.message}`);
  return textReply("抱歉，处理您的请求时出错了，已记录在日志中。请稍后再试，或换个说法。");
}

/** The commands a caller is shown: not hidden, admin-only ones for admins. */
export function visibleCommands(commands: readonly CommandInfo[], isAdmin: boolean): CommandInfo[] {
  return commands.filter((c) => !c.hidden && (isAdmin || !c.adminOnly));
}

export function helpReply(commands: readonly CommandInfo[], isAdmin: boolean): Reply {
  const items = visibleCommands(commands, isAdmin).map(
    (c) => `/${c.command} — ${c.description}${c.usage ? `\n   例：${c.usage}` : ""}`,
  );
  return {
    blocks: [
      { type: "heading", text: "邮政管理助手" },
      {
        type: "text",
        text: "直接发送问题即可，我会在法规与公告中查找依据并注明出处。也可以发送 PDF、Word(docx)、TXT、Markdown 或 HTML 文件，我会列出其中的截止时间与待办事项。",
      },
      { type: "list", items, ordered: false },
    ],
  };
}

/** How a time expression reads in a reply: 2024-11-30 前, 2024-11-01 至 2024-11-30, … */
export function describeWhen(t: Pick<TimeExpression, "start" | "end" | "text" | "kind">): string {
  if (t.kind === "recurring") return t.text;
  if (t.start && t.end && t.start !== t.end) return `${t.start} 至 ${t.end}`;
  if (t.end && !t.start) return `${t.end} 前`;
  if (t.start && !t.end) return `${t.start} 起`;
  return t.start ?? t.text;
}

function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function askReply(res: AskResponse): Reply {
  const blocks: Block[] = [{ type: "text", text: res.answer }];
  if (res.notice) blocks.unshift({ type: "quote", text: res.notice }); // the model's answer was changed: say so first
  if (!res.abstained && res.citations.length > 0) {
    blocks.push({ type: "heading", text: "出处" }, { type: "citations", citations: res.citations });
    blocks.push({ type: "text", text: "发送 /sources 查看引文原文。" });
  }
  return { blocks };
}

export function searchReply(res: SearchResponse): Reply {
  if (res.results.length === 0)
    return textReply(`没有找到与“${res.query}”相关的内容。可以换个关键词，或去掉 kind:/since:/until: 筛选条件。`);
  return {
    blocks: [
      { type: "heading", text: `检索“${res.query}”：${res.results.length} 条结果` },
      {
        type: "list",
        items: res.results.map((r) => {
          const head = [`《${r.title}》`, r.section ?? "", r.date ?? "", KIND_NAMES[r.kind] ?? r.kind]
            .filter(Boolean)
            .join(" · ");
          return `${head}\n${snippet(r.text)}`;
        }),
      },
    ],
  };
}

export function extractBlocks(res: ExtractResponse, label: string): Block[] {
  const blocks: Block[] = [{ type: "heading", text: `${label}：截止时间与待办事项` }];
  if (res.deadlines.length > 0) {
    blocks.push({ type: "heading", text: `截止时间（${res.deadlines.length}）` });
    blocks.push({ type: "list", items: res.deadlines.map((d) => `${describeWhen(d)}：${d.item}（原文“${d.text}”）`) });
  } else blocks.push({ type: "text", text: "未发现截止时间。" });
  if (res.actions.length > 0) {
    blocks.push({ type: "heading", text: `待办事项（${res.actions.length}）` });
    blocks.push({
      type: "list",
      items: res.actions.map((a) => {
        const when = a.deadline ? `（${describeWhen({ ...a.deadline, text: "", kind: "point" })}）` : "";
        return `${a.owner ? `${a.owner}：` : ""}${a.action}${when}`;
      }),
    });
  } else blocks.push({ type: "text", text: "未发现待办事项。" });
  const otherTimes = res.times.length - res.deadlines.length;
  blocks.push({
    type: "text",
    text: `基准日期（发文日期）：${res.ref}${otherTimes > 0 ? `；另有 ${otherTimes} 个时间表述未关联到事项` : ""}。`,
  });
  for (const w of res.warnings ?? []) blocks.push({ type: "text", text: `注意：${w}` });
  return blocks;
}

export function ingestReply(report: IngestReport, heading = "索引已更新"): Reply {
  const blocks: Block[] = [
    { type: "heading", text: report.written ? heading : "索引未能写入" },
    {
      type: "text",
      text: `新增 ${report.added.length}，更新 ${report.updated.length}，未变 ${report.unchanged.length}，删除 ${report.removed.length}，失败 ${report.failed.length}；共 ${report.chunks} 段。`,
    },
  ];
  if (report.failed.length > 0)
    blocks.push({ type: "list", items: report.failed.map((f) => `${f.path}：${f.reason}`), ordered: false });
  return { blocks };
}

/**
 * The name a sent document gets in the corpus folder, chosen so that ingest will index it: no
 * leading dots (dotfiles are skipped), and a README is renamed (a folder's README is skipped as
 * documentation). null when the type is not one the loaders read.
 */
export function corpusFilename(name: string): string | null {
  let n = safeFilename(name).replace(/^\.+/, "");
  if (!n) return null;
  if (!isIndexableName(n) && isSupported(n)) n = `文件-${n}`;
  return isIndexableName(n) ? n : null;
}

/** A safe file name for the corpus: no folders, no control characters. */
export function safeFilename(name: string): string {
  const base = basename(name.replace(/\\/g, "/"))
    .replace(/[\u0000-\u001f<>:"|?*]/g, "_")
    .trim();
  return base && base !== "." && base !== ".." ? base : "document.txt";
}

function parseDraftArgs(args: string): { form?: DraftForm; notes: string } {
  const m = /^\s*(?:form[:：])?(summary|bulletin|摘要|公告)(?=\s|$)/i.exec(args);
  if (!m) return { notes: args };
  const word = m[1]!.toLowerCase();
  return { form: word === "summary" || word === "摘要" ? "summary" : "bulletin", notes: args.slice(m[0].length) };
}

export function createChatCore(options: ChatCoreOptions): ChatCore {
  const { assistant, corpusDir } = options;
  const log = options.log ?? (() => {});
  const newId = options.newId ?? (() => randomBytes(5).toString("hex"));
  const maxPending = options.maxPending ?? 20;
  const memory = options.memory ?? memoryChatMemory({ historyTurns: options.historyTurns ?? 6, maxPending, log });
  const channel = options.channel ?? "chat";
  const chatOf = (caller: Caller) => namespacedChat(channel, caller.chatId);
  const audit = (
    caller: Caller,
    action: string,
    subject: string | null,
    detail: Record<string, unknown> | null = null,
  ) => memory.audit({ actor: `${channel}:${caller.userId}`, chat: chatOf(caller), action, subject, detail });
  let ingestChain: Promise<unknown> = Promise.resolve();

  /** Ingest runs one at a time (a /reindex and an "add to corpus" must not interleave). */
  const runIngest = (): Promise<IngestReport> => {
    const run = ingestChain.then(() => assistant.ingest());
    ingestChain = run.catch(() => {});
    return run;
  };

  const dispose = async (a: Attachment | undefined) => {
    if (!a?.dispose) return;
    await a.dispose().catch((err: unknown) => log(`could not remove a temporary file: ${String(err)}`));
  };

  const keepPending = async (a: Attachment, caller: Caller): Promise<string> => {
    const id = newId();
    await memory.keepFile(id, a, { chatId: chatOf(caller), userId: `${channel}:${caller.userId}` });
    return id;
  };

  const ask = async (question: string, caller: Caller): Promise<Reply> => {
    if (!question.trim()) return textReply("请在命令后写上问题，例如：/ask 快递企业应当如何保护用户信息？");
    const res = await assistant.ask(question.trim(), { history: await memory.history(chatOf(caller)) });
    await memory.record(chatOf(caller), res);
    await audit(caller, "ask", res.question, {
      abstained: res.abstained,
      sources: res.citations.map((c) => ({ title: c.title, section: c.section ?? null, path: c.path })),
    });
    return askReply(res);
  };

  const extractDocument = async (a: Attachment, caller: Caller): Promise<Reply> => {
    let keep = false;
    try {
      // By path, so that extract reads it with the ingest loaders and can use the document's own date.
      const res = await assistant.extract({ path: a.path });
      const title = res.title || a.filename;
      const reply: Reply = { blocks: extractBlocks(res, `《${title}》`) };
      const ics = await icsFile(res, a.filename, a.filename);
      if (ics) reply.files = [ics];
      await extracted(caller, res, { title, path: a.filename }, reply);
      if (caller.role === "admin") {
        const id = await keepPending(a, caller);
        keep = true;
        reply.actions = [...(reply.actions ?? []), { id: `add:${id}`, label: "加入语料库", role: "admin" }];
      }
      return reply;
    } finally {
      if (!keep) await dispose(a);
    }
  };

  /** The deadlines as an .ics attachment (when the assistant can export a calendar and there is a deadline). */
  const icsFile = async (res: ExtractResponse, source: string, filename: string) => {
    if (!assistant.toIcs || res.deadlines.length === 0) return null;
    const stem = basename(filename, extname(filename)) || "deadlines";
    return {
      filename: `${stem}.ics`,
      content: Buffer.from(await assistant.toIcs(res, { source }), "utf8"),
      caption: "截止时间日历文件，可导入 Outlook / 手机日历。",
    };
  };

  /** Tell the 督办 commands of an extract and offer its actions (when it has deadlines). */
  const extracted = async (
    caller: Caller,
    res: ExtractResponse,
    notice: { title: string; path: string | null },
    reply: Reply,
  ) => {
    await audit(caller, "extract", notice.title, { deadlines: res.deadlines.length, actions: res.actions.length });
    if (!options.onExtract || res.deadlines.length === 0) return;
    await options.onExtract(chatOf(caller), res, notice);
    if (options.extractActions?.length) reply.actions = [...(reply.actions ?? []), ...options.extractActions];
  };

  const extractText = async (text: string, label: string, caller: Caller): Promise<Reply> => {
    const res = await assistant.extract({ text });
    const reply: Reply = { blocks: extractBlocks(res, label) };
    const ics = await icsFile(res, label, "deadlines.txt");
    if (ics) reply.files = [ics];
    await extracted(caller, res, { title: res.title || label, path: null }, reply);
    return reply;
  };

  const draft = async (req: ChatRequest): Promise<Reply> => {
    const { form, notes } = parseDraftArgs(req.args);
    let source = notes.trim();
    if (req.attachment) {
      try {
        const doc = await assistant.loadDocument(req.attachment.path);
        source = [source, doc.text].filter(Boolean).join("\n");
      } finally {
        await dispose(req.attachment);
      }
    } else if (!source && req.quoted) source = req.quoted;
    if (!source)
      return textReply(
        "请在 /draft 后写上要点（每行一条），或回复一条写有要点的消息，或发送文件并附言 /draft。加 summary 可生成摘要：/draft summary 要点…",
      );
    const res = await assistant.draft(source, form ? { form } : {});
    const blocks: Block[] = [
      { type: "heading", text: res.title },
      { type: "text", text: res.text },
    ];
    if (res.warnings.length > 0) {
      blocks.push({ type: "heading", text: "请核对" }, { type: "list", items: res.warnings, ordered: false });
    }
    return { blocks };
  };

  const whoami = (caller: Caller): Reply => ({
    blocks: [
      {
        type: "list",
        ordered: false,
        items: [
          `用户 ID：${caller.userId}${caller.name ? `（${caller.name}）` : ""}`,
          `会话 ID：${caller.chatId}`,
          `身份：${ROLE_NAMES[caller.role]}`,
        ],
      },
      ...(caller.role === "stranger"
        ? [
            {
              type: "text" as const,
              text: `如需使用，请把上面的用户 ID 发给管理员，加入 ${options.allowListSetting ?? "TELEGRAM_ALLOWED_USERS"}。`,
            },
          ]
        : []),
    ],
  });

  const sources = async (caller: Caller): Promise<Reply> => {
    const last = await memory.lastAnswer(chatOf(caller));
    if (!last) return textReply("还没有回答过问题。请先提问，再发送 /sources 查看出处。");
    if (last.citations.length === 0) return textReply("上一个回答没有引用出处（语料中没有找到依据）。");
    return {
      blocks: [
        { type: "heading", text: `“${last.question}”的出处` },
        { type: "citations", citations: last.citations, full: true },
      ],
    };
  };

  /** The command table: one entry per command; `adminOnly` is checked once, in `handle` below. */
  const builtins: Command[] = [
    {
      command: "ask",
      description: "提问（直接发送问题也可以）",
      usage: "/ask 快递企业应当如何保护用户信息？",
      handle: async (req, caller) => (req.attachment ? extractDocument(req.attachment, caller) : ask(req.args, caller)),
    },
    {
      command: "search",
      description: "检索法规与公告",
      usage: "/search 快递 安全 kind:法规 since:2015 until:2020-12",
      handle: async (req, caller) => {
        const { query, options: opts } = parseSearchArgs(req.args || req.quoted || "");
        if (!query) return textReply("请写上关键词，例如：/search 快递 安全 kind:法规 since:2015 until:2020-12");
        const res = await assistant.search(query, opts);
        await audit(caller, "search", query, {
          results: res.results.slice(0, 10).map((r) => ({ title: r.title, section: r.section })),
        });
        return searchReply(res);
      },
    },
    {
      command: "extract",
      description: "提取通知中的截止时间与待办事项",
      usage: "/extract 通知全文；或回复一条消息、发送文件",
      handle: async (req, caller) => {
        if (req.attachment) return extractDocument(req.attachment, caller);
        const text = req.args.trim() || req.quoted?.trim() || "";
        if (!text)
          return textReply("请在 /extract 后附上通知全文，或用 /extract 回复一条消息或一个文件，或直接发送文件。");
        return extractText(text, req.args.trim() ? "这段文字" : "所回复的消息", caller);
      },
    },
    {
      command: "draft",
      description: "根据要点起草公告",
      usage: "/draft 要点（每行一条）；或发送文件并附言 /draft",
      handle: (req) => draft(req),
    },
    { command: "sources", description: "查看上一个回答的完整出处", handle: async (_req, caller) => sources(caller) },
    {
      command: "reset",
      description: "清空本会话的对话记忆",
      handle: async (_req, caller) => {
        await memory.reset(chatOf(caller));
        return textReply("已清空本会话的对话记忆。");
      },
    },
    {
      command: "whoami",
      description: "查看我的用户 ID、会话 ID 与权限",
      handle: async (_req, caller) => whoami(caller),
    },
    {
      command: "reindex",
      description: "重建索引（仅管理员）",
      adminOnly: true,
      handle: async (_req, caller) => {
        const report = await runIngest();
        await audit(caller, "reindex", null, {
          added: report.added,
          updated: report.updated,
          removed: report.removed,
          failed: report.failed.length,
        });
        return ingestReply(report);
      },
    },
    {
      command: "help",
      description: "使用说明",
      handle: async (_req, caller) => helpReply(commands, caller.role === "admin"),
    },
    {
      command: "start",
      description: "开始",
      hidden: true,
      handle: async (_req, caller) => ({
        blocks: [
          {
            type: "text",
            text: "您好！我是邮政管理助手，可以回答法规问题、检索文件、提取通知中的截止时间、起草公告。",
          },
          ...helpReply(commands, caller.role === "admin").blocks,
        ],
      }),
    },
  ];
  const table = new Map<string, Command>(builtins.map((c) => [c.command, c]));
  for (const c of options.commands ?? []) table.set(c.command, c);
  const commands: readonly Command[] = [...table.values()];

  const handle = async (req: ChatRequest, caller: Caller): Promise<Reply> => {
    const name = req.command ?? DEFAULT_COMMAND;
    const cmd = table.get(name);
    if (!cmd || (cmd.adminOnly && caller.role !== "admin")) {
      await dispose(req.attachment);
      if (!cmd) return textReply(`未知命令 /${name}。发送 /help 查看可用命令。`);
      return textReply(`抱歉，只有管理员可以使用 /${name}。`);
    }
    return cmd.handle(req, caller);
  };

  const addToCorpus = async (id: string, caller: Caller): Promise<Reply> => {
    if (caller.role !== "admin") return textReply("抱歉，只有管理员可以把文件加入语料库。");
    const a = await memory.takeFile(id);
    if (!a) return textReply("这个文件已过期或已加入语料库；请重新发送文件。");
    try {
      const name = corpusFilename(a.filename);
      if (!name)
        return textReply(
          `未能加入语料库：这种文件（${extname(a.filename) || "无扩展名"}）不会被索引。支持：${SUPPORTED_EXTENSIONS.join("、")}。`,
        );
      await mkdir(corpusDir, { recursive: true });
      const ext = extname(name);
      const stem = name.slice(0, name.length - ext.length);
      const content = await readFile(a.path);
      let dest = join(corpusDir, name);
      for (let n = 1; ; n++) {
        const existing = await stat(dest).catch(() => null);
        if (!existing) break;
        if (existing.isFile() && (await readFile(dest)).equals(content)) break; // same file again: re-ingest only
        dest = join(corpusDir, `${stem}-${n}${ext}`);
      }
      await copyFile(a.path, dest);
      log(`added ${basename(dest)} to ${corpusDir} (user ${caller.userId})`);
      await audit(caller, "corpus.add", basename(dest), { file: dest, from: a.filename });
      const report = await runIngest();
      const failed = report.failed.find((f) => f.path === dest || basename(f.path) === basename(dest));
      if (failed) return ingestReply(report, `未能加入语料库：${basename(dest)}（${failed.reason}）`);
      return ingestReply(report, `已加入语料库：${basename(dest)}`);
    } finally {
      await dispose(a);
    }
  };

  return {
    commands,
    handle,
    async action(id, caller) {
      const m = /^add:([0-9a-z]+)$/i.exec(id);
      if (m) return addToCorpus(m[1]!, caller);
      for (const [prefix, run] of Object.entries(options.actions ?? {}))
        if (id.startsWith(prefix)) return run(id, caller);
      return textReply("这个按钮已失效。");
    },
    close: () => memory.close(),
  };
}
