/**
 * Reading a Telegram message: is it a command (and for this bot), and in a group, is the bot
 * addressed at all (commanded, @mentioned, or replied to)? As a telegraf middleware, a message
 * not for this bot stops here, and the reading is left in `ctx.state.incoming`.
 */
import type { Context, MiddlewareFn } from "telegraf";
import type { Caller } from "../chat-core/chat-core.js";

/** What the middlewares leave for the handlers. */
export interface TelegramState {
  incoming?: Incoming;
  caller?: Caller;
}

export interface Incoming {
  /** Lower-case command without slash, or null for plain text. */
  command: string | null;
  /** Text after the command, or the whole text with the bot's @mention removed. */
  args: string;
}

export interface AddressingContext {
  botUsername: string;
  /** group / supergroup (channels are ignored elsewhere). */
  isGroup: boolean;
  /** The message replies to one of the bot's own messages. */
  repliesToBot: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** null when the message is not for this bot (a group message that does not address it, or /cmd@otherbot). */
export function readIncoming(text: string, ctx: AddressingContext): Incoming | null {
  const t = text.trim();
  const cmd = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?=\s|$)/.exec(t);
  if (cmd) {
    const target = cmd[2];
    if (target && target.toLowerCase() !== ctx.botUsername.toLowerCase()) return null;
    return { command: cmd[1]!.toLowerCase(), args: t.slice(cmd[0].length).trim() };
  }
  const mention = new RegExp(`@${escapeRe(ctx.botUsername)}(?![A-Za-z0-9_])`, "gi");
  const mentioned = mention.test(t);
  if (ctx.isGroup && !mentioned && !ctx.repliesToBot) return null;
  return {
    command: null,
    args: t
      .replace(mention, " ")
      .replace(/[ \t]+/g, " ")
      .trim(),
  };
}

/**
 * Messages only (callback queries pass): drops messages from bots, group messages that do not
 * address the bot, /cmd@otherbot, and uncaptioned files in groups.
 */
export function addressing(): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const msg = ctx.message;
    if (!msg) return next();
    const from = ctx.from;
    if (!from || from.is_bot) return;
    const isGroup = ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
    const text = "text" in msg ? msg.text : "caption" in msg ? (msg.caption ?? "") : "";
    const replied = "reply_to_message" in msg ? msg.reply_to_message : undefined;
    const repliesToBot = replied?.from?.id === ctx.botInfo.id;
    const incoming = readIncoming(text, { botUsername: ctx.botInfo.username, isGroup, repliesToBot });
    if (!incoming) return;
    if (isGroup && !text && "document" in msg) return; // an uncaptioned file in a group is not for us
    (ctx.state as TelegramState).incoming = incoming;
    return next();
  };
}
