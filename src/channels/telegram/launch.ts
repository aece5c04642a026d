/**
 * How the bot receives updates: long polling by default; a webhook (with Telegram's secret
 * token header checked on every request) when TELEGRAM_WEBHOOK_URL is set.
 */
import type { Telegraf } from "telegraf";
import type { AppConfig } from "../../config/config.js";

export type LaunchOptions = Telegraf.LaunchOptions;

/** Update types the bot handles; everything else is never fetched. */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

export function launchOptions(settings: AppConfig["telegram"]): LaunchOptions {
  const allowedUpdates = [...ALLOWED_UPDATES];
  if (!settings.webhookUrl) return { allowedUpdates };
  const url = new URL(settings.webhookUrl);
  return {
    allowedUpdates,
    webhook: {
      // telegraf registers https://<domain><path> with setWebhook and serves <path> on `port`
      // (plain HTTP: put TLS in front, e.g. a reverse proxy forwarding to this port).
      domain: url.host,
      ...(url.pathname && url.pathname !== "/" ? { path: url.pathname } : {}),
      port: settings.webhookPort,
      // Loopback unless TELEGRAM_WEBHOOK_HOST says otherwise: the reverse proxy in front terminates TLS.
      host: settings.webhookHost ?? "127.0.0.1",
      ...(settings.webhookSecret ? { secretToken: settings.webhookSecret } : {}),
    },
  };
}
