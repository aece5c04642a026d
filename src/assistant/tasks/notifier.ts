/**
 * How reminders reach a chat, whatever the channel: `deliver(chatId, text, buttons)` with chat ids
 * namespaced by channel ("telegram:123", later "dingtalk:…"). Channels implement it
 * (src/channels/telegram/notifier.ts); `routeNotifiers` sends each chat to its channel's notifier.
 */
export interface NotifierButton {
  /** Opaque id handed back to the chat core when pressed (≤ 64 bytes: Telegram's callback data). */
  id: string;
  label: string;
}

export interface Notifier {
  /** True when this notifier can reach the chat (its namespace is served by this process). */
  accepts(chatId: string): boolean;
  deliver(chatId: string, text: string, buttons: NotifierButton[]): Promise<void>;
}

/** Split "telegram:123" into its channel and the channel's own id. */
export function splitChatId(chatId: string): { channel: string; id: string } | null {
  const i = chatId.indexOf(":");
  return i > 0 ? { channel: chatId.slice(0, i), id: chatId.slice(i + 1) } : null;
}

export function routeNotifiers(notifiers: Notifier[]): Notifier {
  return {
    accepts: (chatId) => notifiers.some((n) => n.accepts(chatId)),
    async deliver(chatId, text, buttons) {
      const n = notifiers.find((x) => x.accepts(chatId));
      if (!n) throw new Error(`no channel in this process serves chat ${chatId}`);
      await n.deliver(chatId, text, buttons);
    },
  };
}
