/**
 * The per-user rate limit as a telegraf middleware: each user has a token bucket of
 * `perMinute` requests (bursts up to that, refilled evenly); over it, the user is told once how
 * long to wait, and further requests are dropped until a token is back. Runs after access
 * control (`ctx.state.caller`), so strangers' refusals are not counted.
 */
import type { Context, MiddlewareFn } from "telegraf";
import type { RateLimiter } from "../chat-core/access.js";
import type { TelegramState } from "./addressing.js";

export function rateLimit(limiter: RateLimiter): MiddlewareFn<Context> {
  const notified = new Set<string>();
  return async (ctx, next) => {
    const userId = (ctx.state as TelegramState).caller?.userId ?? (ctx.from ? String(ctx.from.id) : undefined);
    if (!userId) return;
    if (limiter.take(userId)) {
      notified.delete(userId);
      return next();
    }
    if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => {});
    if (notified.has(userId)) return;
    if (notified.size >= 10_000) notified.clear();
    notified.add(userId);
    await ctx.reply(`请求太频繁了，请 ${limiter.retryAfter(userId)} 秒后再试。`);
  };
}
