/** The reminder Notifier for Telegram: chats "telegram:<id>", plain text with inline buttons. */
import { Telegram } from "telegraf";
import { splitChatId, type Notifier } from "../../assistant/tasks/notifier.js";

export function telegramNotifier(options: { token: string; apiRoot?: string } | { telegram: Telegram }): Notifier {
  const telegram =
    "telegram" in options
      ? options.telegram
      : new Telegram(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : {});
  return {
    accepts: (chatId) => {
      const c = splitChatId(chatId);
      return c?.channel === "telegram" && /^-?\d+$/.test(c.id);
    },
    async deliver(chatId, text, buttons) {
      const id = Number(splitChatId(chatId)!.id);
      await telegram.sendMessage(id, text, {
        link_preview_options: { is_disabled: true },
        ...(buttons?.length
          ? { reply_markup: { inline_keyboard: [buttons.map((b) => ({ text: b.label, callback_data: b.id }))] } }
          : {}),
      });
    },
  };
}
