import express, { type Router } from "express";
import { safeEqual } from "../../http/safe-equal.js";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import { acceptTelegramUpdate } from "./telegram-convert.js";
import { telegramEnvelopeSchema } from "./telegram-update-schema.js";

/**
 * `POST /webhooks/telegram`: checks `X-Telegram-Bot-Api-Secret-Token` before reading anything
 * (401 otherwise), stores the update durably, then answers 200. Only what the worker can handle is
 * stored; anything else is answered 200 and logged as ignored (400 when it is not an update at all).
 */
export function telegramWebhook(opts: { secret: string; ingest: Ingest; log: Logger }): Router {
  const router = express.Router();
  router.post(
    "/webhooks/telegram",
    (req, res, next) => {
      if (!safeEqual(req.get("x-telegram-bot-api-secret-token"), opts.secret)) {
        res.status(401).json({ error: "unauthorized", detail: "X-Telegram-Bot-Api-Secret-Token is missing or wrong" });
        return;
      }
      next();
    },
    express.json({ limit: "1mb", type: () => true }),
    async (req, res) => {
      if (!telegramEnvelopeSchema.safeParse(req.body).success) {
        res.status(400).json({ error: "invalid update", detail: "not a Telegram Update (update_id missing)" });
        return;
      }
      // An update the worker could not handle is acknowledged and dropped here: a 4xx would make Telegram
      // retry it and hold back this bot's later updates.
      const accepted = acceptTelegramUpdate(req.body);
      if ("ignored" in accepted) opts.log.warn({ reason: accepted.ignored }, "telegram update ignored");
      else if (accepted.message) await opts.ingest.accept([accepted.message]);
      res.status(200).json({ ok: true });
    },
  );
  return router;
}
