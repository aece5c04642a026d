/** The text and buttons of a reminder (channel-independent plain text). */
import type { TaskRecord } from "../../store/types.js";
import { LEVEL_LABELS } from "./levels.js";
import type { NotifierButton } from "./notifier.js";
import type { ReminderJson } from "./types.js";

export const TASK_ACTION = { done: "task:done:", extend: "task:extend:", source: "task:source:" } as const;

export function whenText(r: Pick<ReminderJson, "workdaysLeft" | "level">): string {
  if (r.level === "today") return "今天到期";
  if (r.workdaysLeft > 0) return `还有 ${r.workdaysLeft} 个工作日到期`;
  return `已超期 ${-r.workdaysLeft} 个工作日`;
}

export function reminderText(r: ReminderJson, task: TaskRecord): string {
  return [
    `【督办】${LEVEL_LABELS[r.level]}：${whenText(r)}`,
    `事项：${task.action}`,
    task.owner ? `责任单位：${task.owner}` : "",
    `截止：${task.due}${task.originalDue ? `（原定 ${task.originalDue}，已延期）` : ""}`,
    `来源：《${task.noticeTitle}》`,
    `编号：${task.id}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** 办结 always; 延期 while it may still be asked (not once overdue); 查看原文. */
export function reminderButtons(r: Pick<ReminderJson, "level" | "taskId">): NotifierButton[] {
  return [
    { id: `${TASK_ACTION.done}${r.taskId}`, label: "办结" },
    ...(r.level === "overdue" ? [] : [{ id: `${TASK_ACTION.extend}${r.taskId}`, label: "延期" }]),
    { id: `${TASK_ACTION.source}${r.taskId}`, label: "查看原文" },
  ];
}
