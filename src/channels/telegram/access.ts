/**
 * Telegram access control as a telegraf middleware: works out the sender's role (admins,
 * allow-listed users by id or @username, allow-listed groups) into `ctx.state.caller`, and stops
 * a stranger's message with one polite refusal (per user, bounded memory). A stranger's /whoami
 * still goes through (it tells them the id to send to an admin). Callback queries pass with their
 * caller set; the handler decides what a role may do.
 */
import type { Context, MiddlewareFn } from "telegraf";
import type { User } from "telegraf/types";
import { roleOf, type AccessLists } from "../chat-core/access.js";
import type { Caller } from "../chat-core/chat-core.js";
import type { TelegramState } from "./addressing.js";

export const REFUSAL = "抱歉，您没有使用本助手的权限。如需开通，请发送 /whoami 查看您的用户 ID，并把它发给管理员。";

/** The namespaced chat id of a Telegram chat ("telegram:<id>"), as reminders address it. */
export const telegramChatId = (chatId: number | string) => `telegram:${chatId}`;

export function callerOf(lists: AccessLists, from: User, chatId: number): Caller {
  return {
    chatId: telegramChatId(chatId),
    userId: String(from.id),
    role: roleOf(lists, { userId: from.id, username: from.username, chatId }),
    name: from.username ? `@${from.username}` : [from.first_name, from.last_name].filter(Boolean).join(" "),
  };
}

export interface AccessOptions {
  log?: (line: string) => void;
  /** How many refused users are remembered (each is refused once). */
  maxRemembered?: number;
  /** The refusal record kept in the store (across restarts and processes); default: in memory only. */
  refusals?: { recordRefusal(userId: string, chatId: string, at: string): Promise<boolean> };
}

export function accessControl(lists: AccessLists, options: AccessOptions = {}): MiddlewareFn<Context> {
  const refused = new Set<string>();
  const max = options.maxRemembered ?? 10_000;
  return async (ctx, next) => {
    const from = ctx.from;
    const chatId = ctx.chat?.id ?? ctx.callbackQuery?.message?.chat.id;
    if (!from || chatId === undefined) return;
    const state = ctx.state as TelegramState;
    const caller = callerOf(lists, from, chatId);
    state.caller = caller;
    if (caller.role !== "stranger" || !ctx.message) return next();
    if (state.incoming?.command === "whoami") return next();
    if (refused.has(caller.userId)) return;
    if (refused.size >= max) refused.clear(); // bounded memory; worst case a stranger hears it twice
    refused.add(caller.userId);
    if (
      options.refusals &&
      !(await options.refusals.recordRefusal(
        `telegram:${caller.userId}`,
        telegramChatId(chatId),
        new Date().toISOString(),
      ))
    )
      return;
    options.log?.(`refused user ${caller.userId} in chat ${chatId} (not allow-listed)`);
    await ctx.reply(REFUSAL);
  };
}
