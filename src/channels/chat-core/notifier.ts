/**
 * Delivering a message to a chat that is not answering anyone (督办 reminders): every channel
 * offers `deliver(chatId, message)` for its own namespaced chat ids ("dingtalk:…", "feishu:…",
 * "wecom:…", "telegram:…"), and the router sends each id to its channel.
 */

import type { Notifier, NotifierButton } from "../../assistant/tasks/notifier.js";

// One Notifier concept for the whole project: the 督办 scheduler's (buttons where the platform has them).
export type { Notifier, NotifierButton };

/**
 * A chat id namespaced by its channel: adapters that already namespace theirs ("telegram:123",
 * "dingtalk:group:…") keep them; a bare one (the terminal's) gets the prefix.
 */
export function namespacedChat(channel: string, chatId: string): string {
  return chatId.startsWith(`${channel}:`) ? chatId : `${channel}:${chatId}`;
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
    accepts: (chatId) => {
      const ch = channelOf(chatId);
      const target = ch ? channels.get(ch) : undefined;
      return !!target && (target.accepts?.(chatId) ?? true);
    },
    async deliver(chatId, message, buttons) {
      const ch = channelOf(chatId);
      const target = ch ? channels.get(ch) : undefined;
      if (!target)
        throw new UnknownChatError(
          `no running channel for chat "${chatId}" (running: ${[...channels.keys()].join(", ") || "none"})`,
        );
      await target.deliver(chatId, message, buttons);
    },
  };
}
