/**
 * `npm run -s tasks -- add|list|done|extend|due` (../shared/CLI-CONTRACT.md, "Track deadlines (督办)").
 *   add [--json] [--ref YYYY-MM-DD] [--chat ID] FILE|-   track each action of a notice that has a deadline
 *   list [--json] [--chat ID] [--status open|done|all]
 *   done ID [--note TEXT]
 *   extend ID YYYY-MM-DD --reason TEXT
 *   due [--json] [--on YYYY-MM-DD]
 * Exit 0, 1 for an error the user can fix (unknown task, late extension, bad config), 2 for usage.
 */
import { basename } from "node:path";
import { LEVEL_LABELS } from "../../../assistant/tasks/levels.js";
import { taskJson } from "../../../assistant/tasks/task-service.js";
import type { ReminderJson } from "../../../assistant/tasks/types.js";
import type { TaskRecord } from "../../../store/types.js";
import { parseCommand } from "../args.js";
import { extractNoticeArgument, type CliContext, type CliIo } from "../io.js";

const USAGE = `Usage:
  npm run -s tasks -- add [--json] [--ref YYYY-MM-DD] [--chat ID] FILE|-
  npm run -s tasks -- list [--json] [--chat ID] [--status open|done|all]
  npm run -s tasks -- done ID [--note TEXT]
  npm run -s tasks -- extend ID YYYY-MM-DD --reason TEXT
  npm run -s tasks -- due [--json] [--on YYYY-MM-DD]
`;
const STATUSES = ["open", "done", "all"] as const;

function formatTasks(tasks: TaskRecord[]): string {
  if (!tasks.length) return "没有任务。\n";
  return `${tasks
    .map(
      (t) =>
        `${t.id}  ${t.due}  ${t.status === "done" ? "已办结" : "办理中"}  ${t.owner ? `${t.owner}：` : ""}${t.action}${t.recurrence ? `  (${t.recurrence})` : ""}\n          《${t.noticeTitle}》 ${t.sourceText}`,
    )
    .join("\n")}\n`;
}

function formatDue(on: string, reminders: ReminderJson[]): string {
  if (!reminders.length) return `${on}：没有提醒。\n`;
  return `${on}：${reminders.length} 条提醒\n${reminders
    .map(
      (r) =>
        `${LEVEL_LABELS[r.level]}  ${r.taskId}  截止 ${r.due}（${r.workdaysLeft > 0 ? `还有 ${r.workdaysLeft} 个工作日` : r.workdaysLeft === 0 ? "今天" : `已超期 ${-r.workdaysLeft} 个工作日`}）  ${r.owner ? `${r.owner}：` : ""}${r.action}${r.chat ? `  [${r.chat}]` : ""}`,
    )
    .join("\n")}\n`;
}

async function add(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    { json: { type: "boolean", default: false }, ref: { type: "string" }, chat: { type: "string" } },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const extracted = await extractNoticeArgument(positionals, values.ref, {
    io,
    cli,
    usage: USAGE,
    example: "npm run -s tasks -- add - < notice.txt",
  });
  if (typeof extracted === "number") return extracted;
  const { file, result: res } = extracted;
  const notice = {
    title: res.title || (file === "-" ? "（标准输入）" : basename(file)),
    path: file === "-" ? null : file,
  };
  const tracked = await cli.withTasks((c) => c.tasks.track(res, notice, values.chat ?? null, "cli"));
  if (values.json)
    io.stdout(
      `${JSON.stringify({ notice: { title: notice.title, ref: res.ref, path: notice.path }, tasks: tracked.map(taskJson) })}\n`,
    );
  else {
    io.stdout(
      tracked.length
        ? `已立项 ${tracked.length} 项督办任务（《${notice.title}》，发文日期 ${res.ref}）：\n${formatTasks(tracked)}`
        : "通知中没有带截止时间的待办事项，未立项。\n",
    );
  }
  return 0;
}

async function list(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    { json: { type: "boolean", default: false }, chat: { type: "string" }, status: { type: "string" } },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const status = (values.status ?? "open") as (typeof STATUSES)[number];
  if (!STATUSES.includes(status)) {
    io.stderr(`--status must be one of ${STATUSES.join(", ")}, got "${values.status}"\n`);
    return 2;
  }
  const tasks = await cli.withTasks((c) =>
    c.tasks.list({ status, ...(values.chat !== undefined ? { chat: values.chat } : {}) }),
  );
  io.stdout(values.json ? `${JSON.stringify({ tasks: tasks.map(taskJson) })}\n` : formatTasks(tasks));
  return 0;
}

async function done(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(argv, { note: { type: "string" }, json: { type: "boolean", default: false } }, USAGE, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    io.stderr(`Give the id of one task.\n${USAGE}`);
    return 2;
  }
  const t = await cli.withTasks((c) => c.tasks.done(positionals[0]!, "cli", values.note ?? null));
  io.stdout(values.json ? `${JSON.stringify(taskJson(t))}\n` : `已办结：${t.id} ${t.action}\n`);
  return 0;
}

async function extend(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(
    argv,
    { reason: { type: "string" }, json: { type: "boolean", default: false } },
    USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 2 || !values.reason?.trim()) {
    io.stderr(`Give the task id, the new due date and --reason.\n${USAGE}`);
    return 2;
  }
  const t = await cli.withTasks((c) => c.tasks.extend(positionals[0]!, positionals[1]!, values.reason!, "cli"));
  io.stdout(values.json ? `${JSON.stringify(taskJson(t))}\n` : `已延期：${t.id} 截止 ${t.originalDue} → ${t.due}\n`);
  return 0;
}

async function due(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(argv, { json: { type: "boolean", default: false }, on: { type: "string" } }, USAGE, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length) {
    io.stderr(USAGE);
    return 2;
  }
  const out = await cli.withTasks(async (c) => {
    const on = values.on ?? c.tasks.today();
    return { on, reminders: await c.tasks.due(on) };
  });
  io.stdout(values.json ? `${JSON.stringify(out)}\n` : formatDue(out.on, out.reminders));
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[], io: CliIo, cli: CliContext) => Promise<number>> = {
  add,
  list,
  done,
  extend,
  due,
};

export default async function tasks(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "-h" || sub === "--help") {
    io.stdout(USAGE);
    return 0;
  }
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) {
    io.stderr(USAGE);
    return 2;
  }
  return run(rest, io, cli);
}
