/**
 * 督办 in a chat: entries of the chat-core command table (/tasks, /done, /extend, /track), the
 * actions under a reminder (办结, 延期, 查看原文) and under an extract (立项督办), and an .ics of
 * the chat's open tasks, sent again whenever they change. Chats are namespaced ("telegram:123").
 */
import { namespacedChat } from "./notifier.js";
import type { ExtractResponse } from "../../assistant/extract/types.js";
import { tasksToIcs } from "../../assistant/tasks/ics.js";
import { LEVEL_LABELS, reminderOn } from "../../assistant/tasks/levels.js";
import { TASK_ACTION, whenText } from "../../assistant/tasks/reminder-text.js";
import { dueDay, TaskError, type TaskService } from "../../assistant/tasks/task-service.js";
import type { Store, TaskRecord } from "../../store/types.js";
import type { Caller, Command } from "./chat-core.js";
import { textReply, type Reply, type ReplyAction, type ReplyFile } from "./reply.js";

export const TRACK_ACTION = "task:track";

export interface TaskChatOptions {
  tasks: TaskService;
  /** The channel prefix of chat and user ids ("telegram"). */
  channel: string;
  now: () => Date;
  /** Where the last extract of each chat is kept for /track (survives a restart); default: in memory. */
  store?: Pick<Store, "setLastExtract" | "lastExtract">;
  /** How many chats' last extract are remembered in memory (without a store). */
  maxChats?: number;
}

export interface TaskChat {
  commands: Command[];
  /** Action handlers by prefix, for ChatCoreOptions.actions. */
  actions: Record<string, (id: string, caller: Caller) => Promise<Reply>>;
  /** For ChatCoreOptions.onExtract. */
  onExtract(chat: string, res: ExtractResponse, notice: { title: string; path: string | null }): Promise<void>;
  /** For ChatCoreOptions.extractActions. */
  extractActions: ReplyAction[];
}

export function createTaskChat(options: TaskChatOptions): TaskChat {
  const { tasks, channel } = options;
  const maxChats = options.maxChats ?? 1000;
  /** The last extract shown in each chat: in the store when there is one, else in a bounded map. */
  type Last = { res: ExtractResponse; notice: { title: string; path: string | null } };
  const inMemory = new Map<string, Last>();
  const remember = async (chat: string, last: Last) => {
    if (options.store)
      return options.store.setLastExtract(chat, {
        at: options.now().toISOString(),
        notice: last.notice,
        extract: last.res,
      });
    inMemory.delete(chat);
    inMemory.set(chat, last);
    while (inMemory.size > maxChats) inMemory.delete(inMemory.keys().next().value as string);
  };
  const recall = async (chat: string): Promise<Last | null> => {
    if (!options.store) return inMemory.get(chat) ?? null;
    const v = await options.store.lastExtract(chat);
    return v ? { res: v.extract as ExtractResponse, notice: v.notice } : null;
  };
  const chatOf = (c: Caller) => namespacedChat(channel, c.chatId);
  const actorOf = (c: Caller) => `${channel}:${c.userId}`;

  const mineOrError = async (id: string, caller: Caller): Promise<TaskRecord> => {
    const t = await tasks.get(id);
    // A chat sees and changes its own tasks only (CLI tasks without --chat belong to no chat).
    if (!t || t.chat !== chatOf(caller))
      throw new TaskError(`没有编号为 ${id} 的督办事项。发送 /tasks 查看本会话的事项。`);
    return t;
  };

  const icsFile = async (chat: string): Promise<ReplyFile | null> => {
    const open = await tasks.list({ chat, status: "open" });
    if (!open.length) return null;
    return {
      filename: "督办事项.ics",
      content: Buffer.from(tasksToIcs(open, { now: options.now() }), "utf8"),
      caption: "本会话未办结事项的日历文件（已更新），可导入 Outlook / 手机日历。",
    };
  };

  const withIcs = async (reply: Reply, caller: Caller): Promise<Reply> => {
    const ics = await icsFile(chatOf(caller));
    return ics ? { ...reply, files: [...(reply.files ?? []), ics] } : reply;
  };

  const line = (t: TaskRecord, today: string) => {
    const r = reminderOn(dueDay(t.due), today, tasks.workdays);
    const level = r
      ? `${LEVEL_LABELS[r.level]}（${whenText(r)}）`
      : today > dueDay(t.due)
        ? LEVEL_LABELS.overdue
        : "⚪ 办理中";
    return `${t.id}  截止 ${t.due}  ${level}\n${t.owner ? `${t.owner}：` : ""}${t.action}${t.recurrence ? "（周期事项）" : ""}`;
  };

  const list = async (caller: Caller): Promise<Reply> => {
    const open = await tasks.list({ chat: chatOf(caller), status: "open" });
    if (!open.length) return textReply("本会话没有未办结的督办事项。提取通知后发送 /track（或点“立项督办”）即可立项。");
    const today = tasks.today();
    return withIcs(
      {
        blocks: [
          { type: "heading", text: `未办结督办事项（${open.length}）` },
          { type: "list", items: open.map((t) => line(t, today)) },
          { type: "text", text: "办结：/done 编号 [说明]；延期：/extend 编号 YYYY-MM-DD 原因。" },
        ],
      },
      caller,
    );
  };

  const track = async (caller: Caller): Promise<Reply> => {
    const last = await recall(chatOf(caller));
    if (!last) return textReply("还没有提取过通知。请先发送通知文件，或用 /extract 提取，再发送 /track。");
    const added = await tasks.track(last.res, last.notice, chatOf(caller), actorOf(caller));
    if (!added.length) return textReply("这份通知中没有带截止时间的待办事项，未立项。");
    const today = tasks.today();
    return withIcs(
      {
        blocks: [
          { type: "heading", text: `已立项 ${added.length} 项督办（《${last.notice.title}》）` },
          { type: "list", items: added.map((t) => line(t, today)) },
          { type: "text", text: "到期前将在本会话提醒；办结后发送 /done 编号。" },
        ],
      },
      caller,
    );
  };

  const done = async (id: string, note: string | null, caller: Caller): Promise<Reply> => {
    const t = await mineOrError(id, caller);
    await tasks.done(t.id, actorOf(caller), note);
    return withIcs(textReply(`已办结：${t.id} ${t.action}${note ? `（${note}）` : ""}`), caller);
  };

  const extend = async (args: string, caller: Caller): Promise<Reply> => {
    const m = /^\s*(\S+)\s+(\d{4}-\d{1,2}-\d{1,2}(?:T\d{2}:\d{2})?)\s+([\s\S]+)$/.exec(args);
    if (!m) return textReply("用法：/extend 编号 YYYY-MM-DD 原因，例如：/extend 1a2b3c4d 2024-11-08 数据尚未汇总完毕");
    const date = m[2]!.replace(/-(\d)(?=-|$|T)/g, "-0$1");
    const t = await mineOrError(m[1]!, caller);
    const out = await tasks.extend(t.id, date, m[3]!.trim(), actorOf(caller));
    return withIcs(
      textReply(`已延期：${out.id} ${out.action}\n截止 ${t.due} → ${out.due}（原因：${m[3]!.trim()}）`),
      caller,
    );
  };

  const source = async (id: string, caller: Caller): Promise<Reply> => {
    const t = await mineOrError(id, caller);
    return {
      blocks: [
        { type: "heading", text: `《${t.noticeTitle}》` },
        { type: "quote", text: t.sourceText },
        {
          type: "text",
          text: [
            `编号：${t.id}`,
            t.noticeRef ? `发文日期：${t.noticeRef}` : "",
            t.noticePath ? `文件：${t.noticePath}` : "",
            `截止：${t.due}`,
          ]
            .filter(Boolean)
            .join("\n"),
        },
      ],
    };
  };

  /** Errors a user can act on read as such; anything else goes to the core's apology. */
  const friendly = async (fn: () => Promise<Reply>): Promise<Reply> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TaskError) return textReply(err.message);
      throw err;
    }
  };

  const commands: Command[] = [
    {
      command: "tasks",
      description: "查看本会话未办结的督办事项",
      handle: (_req, caller) => friendly(() => list(caller)),
    },
    {
      command: "done",
      description: "办结督办事项",
      usage: "/done 编号 [办理情况]",
      handle: (req, caller) => {
        const [id, ...note] = req.args.trim().split(/\s+/);
        if (!id) return Promise.resolve(textReply("用法：/done 编号 [办理情况]。发送 /tasks 查看编号。"));
        return friendly(() => done(id, note.join(" ") || null, caller));
      },
    },
    {
      command: "extend",
      description: "申请延期（截止日前）",
      usage: "/extend 编号 YYYY-MM-DD 原因",
      handle: (req, caller) => friendly(() => extend(req.args, caller)),
    },
    {
      command: "track",
      description: "把最近提取的通知立项督办",
      handle: (_req, caller) => friendly(() => track(caller)),
    },
  ];

  const actions: TaskChat["actions"] = {
    "task:": (id, caller) =>
      friendly(async () => {
        if (id === TRACK_ACTION) return track(caller);
        if (id.startsWith(TASK_ACTION.done)) return done(id.slice(TASK_ACTION.done.length), null, caller);
        if (id.startsWith(TASK_ACTION.source)) return source(id.slice(TASK_ACTION.source.length), caller);
        if (id.startsWith(TASK_ACTION.extend)) {
          const t = await mineOrError(id.slice(TASK_ACTION.extend.length), caller);
          return textReply(
            `申请延期请发送：/extend ${t.id} YYYY-MM-DD 原因\n（当前截止 ${t.due}；须在截止日前申请。）`,
          );
        }
        return textReply("这个按钮已失效。");
      }),
  };

  return {
    commands,
    actions,
    extractActions: [{ id: TRACK_ACTION, label: "立项督办" }],
    onExtract: (chat, res, notice) => remember(chat, { res, notice }),
  };
}
