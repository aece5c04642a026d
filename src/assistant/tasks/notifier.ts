/**
 * How reminders reach a chat, whatever the channel: `deliver(chatId, text, buttons)` with chat ids
 * namespaced by channel ("telegram:123", later "dingtalk:…"). Channels implement it
 * (src/channels/telegram/notifier.ts); a process serving several channels routes by the prefix.
 */
export interface NotifierButton {
  /** Opaque id handed back to the chat core when pressed (≤ 64 bytes: Telegram's callback data). */
  id: string;
  label: string;
}

export interface Notifier {
  /**
   * True when this notifier can reach the chat (its namespace is served by this process). Absent:
   * every chat is tried (an unreachable one fails and is retried after its lease).
   */
  accepts?(chatId: string): boolean;
  /** Send plain `text` to the chat, with `buttons` where the platform has them (others may ignore them). */
  deliver(chatId: string, text: string, buttons?: NotifierButton[]): Promise<void>;
}

/** Split "telegram:123" into its channel and the channel's own id. */
export function splitChatId(chatId: string): { channel: string; id: string } | null {
  const i = chatId.indexOf(":");
  return i > 0 ? { channel: chatId.slice(0, i), id: chatId.slice(i + 1) } : null;
}
