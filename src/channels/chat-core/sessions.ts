/**
 * Per-chat conversation memory: the last few question/answer turns (context for follow-up
 * questions) and the last answer (for /sources). Kept in memory; the oldest chats are dropped
 * beyond `maxChats`.
 */
import type { AskResponse, Turn } from "../../assistant/ask/types.js";
import { turnFrom } from "../../assistant/ask/turn.js";

export interface ChatSession {
  history: Turn[];
  lastAnswer: AskResponse | null;
}

export class ChatSessions {
  private readonly sessions = new Map<string, ChatSession>();

  constructor(
    private readonly maxTurns = 6,
    private readonly maxChats = 1000,
  ) {}

  get(chatId: string): ChatSession {
    let s = this.sessions.get(chatId);
    if (s) {
      // Refresh recency (Map keeps insertion order).
      this.sessions.delete(chatId);
    } else {
      s = { history: [], lastAnswer: null };
    }
    this.sessions.set(chatId, s);
    while (this.sessions.size > this.maxChats) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    return s;
  }

  /** Remember an answered question (abstentions too: the follow-up may rephrase). */
  record(chatId: string, res: AskResponse): void {
    const s = this.get(chatId);
    s.history.push(turnFrom(res));
    if (s.history.length > this.maxTurns) s.history.splice(0, s.history.length - this.maxTurns);
    s.lastAnswer = res;
  }

  reset(chatId: string): void {
    this.sessions.delete(chatId);
  }
}
