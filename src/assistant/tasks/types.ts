/** Contract shapes of `tasks` (../shared/CLI-CONTRACT.md, "Track deadlines (督办)"). */
import type { ReminderLevel, TaskStatus } from "../../store/types.js";
import type { LevelColour } from "./levels.js";

export interface TaskJson {
  id: string;
  owner: string;
  action: string;
  due: string;
  status: TaskStatus;
  recurrence: string | null;
  chat: string | null;
  source: { title: string; path: string | null; text: string };
  /** Extensions. */
  originalDue?: string | null;
  series?: string | null;
}

export interface ReminderJson {
  taskId: string;
  level: ReminderLevel;
  due: string;
  workdaysLeft: number;
  owner: string;
  action: string;
  chat: string | null;
  /** Extensions: the OA 督办 colour of the level, and the notice. */
  colour: LevelColour;
  title: string;
}

export interface DueJson {
  on: string;
  reminders: ReminderJson[];
}
