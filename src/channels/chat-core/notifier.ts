/**
 * Delivering a message to a chat that is not answering anyone (督办 reminders): every channel
 * offers `deliver(chatId, message)` for its own namespaced chat ids ("dingtalk:…", "feishu:…",
 * "wecom:…", "telegram:…"), and the router sends each id to its channel.
 */

export interface Notifier {
  /** Send `message` (plain text; rendered in the platform's format) to the chat `chatId`. */
  deliver(chatId: string, message: string): Promise<void>;
}

/** The channel part of a namespaced chat id ("feishu:oc_1" → "feishu"). */
export function channelOf(chatId: string): string | null {
  const m = /^([a-z]+):/.exec(chatId);
  return m ? m[1]! : null;
}

export class UnknownChatError extends Error {
  override name = "UnknownChatError";
}

/** Route each chat id to the channel named by its prefix. */
export function createNotifierRouter(channels: ReadonlyMap<string, Notifier>): Notifier {
  return {
    async deliver(chatId, message) {
      const ch = channelOf(chatId);
      const target = ch ? channels.get(ch) : undefined;
      if (!target)
        throw new UnknownChatError(
          `no running channel for chat "${chatId}" (running: ${[...channels.keys()].join(", ") || "none"})`,
        );
      await target.deliver(chatId, message);
    },
  };
}
