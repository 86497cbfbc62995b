import { safeEqual } from "../../http/safe-equal.js";
import type { WebhookAnswer, WebhookLane } from "../../http/webhook-lane.js";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import { acceptTelegramUpdate } from "./telegram-convert.js";
import { telegramEnvelopeSchema } from "./telegram-update-schema.js";

/**
 * `POST /webhooks/telegram`: checks `X-Telegram-Bot-Api-Secret-Token` before reading anything
 * (401 otherwise), stores the update durably, then answers 200. Only what the worker can handle is
 * stored; anything else is answered 200 and logged as ignored (400 when it is not an update at all).
 */
export function telegramWebhook(opts: { secret: string; ingest: Ingest; log: Logger }): WebhookLane {
  return {
    channel: "telegram",
    path: "/webhooks/telegram",
    async handle(req): Promise<WebhookAnswer> {
      const token = req.headers["x-telegram-bot-api-secret-token"];
      if (!safeEqual(typeof token === "string" ? token : undefined, opts.secret)) {
        return { status: 401, body: { error: "unauthorized", detail: "X-Telegram-Bot-Api-Secret-Token is missing or wrong" } };
      }
      let update: unknown;
      try {
        update = JSON.parse((await req.body()).toString("utf8"));
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        return { status: 400, body: { error: "invalid JSON", detail: "the body is not JSON" } };
      }
      if (!telegramEnvelopeSchema.safeParse(update).success) {
        return { status: 400, body: { error: "invalid update", detail: "not a Telegram Update (update_id missing)" } };
      }
      // An update the worker could not handle is acknowledged and dropped here: a 4xx would make Telegram
      // retry it and hold back this bot's later updates.
      const accepted = acceptTelegramUpdate(update);
      if ("ignored" in accepted) opts.log.warn({ reason: accepted.ignored }, "telegram update ignored");
      else if (accepted.message) await opts.ingest.accept([accepted.message]);
      return { status: 200, body: { ok: true } };
    },
  };
}
