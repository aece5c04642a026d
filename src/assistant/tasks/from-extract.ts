/**
 * Tasks from an extract result: each action with a deadline becomes one task (owner, action,
 * due, recurrence, the notice and the sentence it came from, the chat). The due date is the
 * deadline's end (…前, a span's last day), else its start (a point in time). Recurring duties keep
 * their RRULE; their later occurrences are added by the task service as their reminder window opens.
 */
import type { ExtractResponse } from "../extract/types.js";
import type { NewTask } from "../../store/types.js";

export interface NoticeInfo {
  title: string;
  path: string | null;
}

export function tasksFromExtract(res: ExtractResponse, notice: NoticeInfo, chat: string | null): NewTask[] {
  const out: NewTask[] = [];
  const seen = new Set<string>();
  for (const a of res.actions) {
    if (!a.deadline) continue;
    const due = a.deadline.end ?? a.deadline.start;
    if (!due) continue;
    // The deadline record carries the kind and the recurrence; match it by the action phrase and interval.
    const d =
      res.deadlines.find((x) => x.item === a.action && x.end === a.deadline!.end && x.start === a.deadline!.start) ??
      res.deadlines.find((x) => x.item === a.action);
    // "…起" (after) opens a period, it bounds nothing: no deadline to track.
    if (d?.kind === "after" && !a.deadline.end) continue;
    const key = `${a.owner}\u0000${a.action}\u0000${due}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      owner: a.owner || d?.owner || "",
      action: a.action,
      due,
      recurrence: d?.kind === "recurring" ? (d.recurrence ?? null) : null,
      seriesId: null,
      noticeTitle: notice.title,
      noticePath: notice.path,
      noticeRef: res.ref,
      sourceText: a.text,
      chat,
    });
  }
  return out;
}
