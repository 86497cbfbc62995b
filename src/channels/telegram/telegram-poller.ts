import { Bot } from "grammy";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import { convertTelegramUpdate } from "./telegram-convert.js";
import { telegramUpdateSchema } from "./telegram-update-schema.js";

/**
 * Long polling, for when no webhook secret is set (a laptop, a first try). grammY fetches updates;
 * each goes through the same conversion and durable inbox as a webhook delivery.
 */
export function startTelegramPolling(opts: { token: string; apiRoot: string; ingest: Ingest; log: Logger }): { stop(): Promise<void> } {
  const bot = new Bot(opts.token, { client: { apiRoot: opts.apiRoot } });
  bot.use(async (ctx) => {
    const parsed = telegramUpdateSchema.safeParse(ctx.update);
    if (!parsed.success) return;
    const message = convertTelegramUpdate(parsed.data);
    if (message) await opts.ingest.accept([message]);
  });
  bot.catch((err) => opts.log.error({ err: err.error instanceof Error ? err.error.message : String(err.error) }, "telegram polling handler failed"));
  void bot.api
    .deleteWebhook()
    .then(() => bot.start({ drop_pending_updates: false, allowed_updates: ["message", "callback_query"] }))
    .catch((err: unknown) => opts.log.error({ err: err instanceof Error ? err.message : String(err) }, "telegram polling stopped"));
  return { stop: () => bot.stop() };
}
