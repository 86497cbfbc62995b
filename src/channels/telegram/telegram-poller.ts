import { Bot } from "grammy";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import { acceptTelegramUpdate } from "./telegram-convert.js";

/**
 * Long polling, for when no webhook secret is set (a laptop, a first try). grammY fetches updates;
 * each goes through the same conversion and durable inbox as a webhook delivery.
 */
export function startTelegramPolling(opts: { token: string; apiRoot: string; ingest: Ingest; log: Logger }): { stop(): Promise<void> } {
  const bot = new Bot(opts.token, { client: { apiRoot: opts.apiRoot } });
  bot.use(async (ctx) => {
    const accepted = acceptTelegramUpdate(ctx.update);
    if ("ignored" in accepted) opts.log.warn({ reason: accepted.ignored }, "telegram update ignored");
    else if (accepted.message) await opts.ingest.accept([accepted.message]);
  });
  bot.catch((err) => opts.log.error({ err: err.error }, "telegram polling handler failed"));
  void bot.api
    .deleteWebhook()
    .then(() => bot.start({ drop_pending_updates: false, allowed_updates: ["message", "callback_query"] }))
    .catch((err: unknown) => opts.log.error({ err }, "telegram polling stopped"));
  return { stop: () => bot.stop() };
}
