/**
 * Who may use a bot (every channel): allow-listed users (by numeric id or @username), allow-listed chats
 * (everyone in an allowed group), and admins (who are always allowed). Everyone else is a
 * stranger. Plus a per-user token-bucket rate limit.
 */
import type { Role } from "./chat-core.js";

export interface AccessLists {
  allowedUsers: string[];
  allowedChats: string[];
  admins: string[];
}

export interface Who {
  userId: number | string;
  username?: string;
  chatId: number | string;
  /** Other ids of the same user that admins may have listed (Feishu: user_id beside open_id). */
  altIds?: string[];
}

const matches = (list: string[], id: string, username?: string) =>
  list.some((entry) => {
    const e = entry.trim();
    if (e.startsWith("@")) return !!username && e.slice(1).toLowerCase() === username.toLowerCase();
    return e === id;
  });

export function roleOf(lists: AccessLists, who: Who): Role {
  const ids = [String(who.userId), ...(who.altIds ?? [])];
  if (ids.some((id) => matches(lists.admins, id, who.username))) return "admin";
  if (ids.some((id) => matches(lists.allowedUsers, id, who.username))) return "user";
  if (matches(lists.allowedChats, String(who.chatId))) return "user";
  return "stranger";
}

/**
 * A token bucket per key: `perMinute` requests fill back at an even rate, bursts up to
 * `perMinute`. The clock is injected so tests need not wait.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Take one token; false when the key has none left. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + ((t - b.at) * this.perMinute) / 60_000);
    b.at = t;
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Seconds until the key has a token again. */
  retryAfter(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) * 60) / this.perMinute);
  }
}
