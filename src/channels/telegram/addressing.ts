/**
 * Reading a Telegram message: is it a command (and for this bot), and in a group, is the bot
 * addressed at all (commanded, @mentioned, or replied to)?
 */

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
  return { command: null, args: t.replace(mention, " ").replace(/[ \t]+/g, " ").trim() };
}
