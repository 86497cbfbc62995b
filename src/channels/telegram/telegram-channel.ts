import type { TelegramConfig } from "../../config.js";
import type { ChannelModule } from "../channel-module.js";
import { startTelegramPolling } from "./telegram-poller.js";
import { TelegramSender } from "./telegram-sender.js";
import { configureTelegram } from "./telegram-setup.js";
import { telegramWebhook } from "./telegram-webhook.js";

/**
 * Telegram, when a bot token is configured: a webhook when TELEGRAM_WEBHOOK_SECRET is set, long polling
 * otherwise (unless `polling` is false, for tests that feed updates themselves).
 */
export function telegramChannel(config: TelegramConfig | undefined, opts: { publicUrl: string | undefined; polling: boolean }): ChannelModule | undefined {
  if (!config) return undefined;
  const sender = new TelegramSender(config.token, config.apiRoot);
  const secret = config.webhookSecret;
  let polling: { stop(): Promise<void> } | undefined;
  return {
    id: "telegram",
    sender,
    rate: { perSecond: config.ratePerSecond, perChatPerSecond: config.ratePerChatPerSecond },
    ...(secret ? { webhook: (ctx) => telegramWebhook({ secret, ingest: ctx.ingest, log: ctx.log }) } : {}),
    start(ctx) {
      void configureTelegram(sender.api, ctx.translator, ctx.log, secret && opts.publicUrl ? { url: `${opts.publicUrl.replace(/\/+$/, "")}/webhooks/telegram`, secret } : undefined);
      if (!secret && opts.polling) polling = startTelegramPolling({ token: config.token, apiRoot: config.apiRoot, ingest: ctx.ingest, log: ctx.log });
    },
    async stop() {
      await polling?.stop().catch(() => undefined);
    },
  };
}
