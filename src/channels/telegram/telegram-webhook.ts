import express, { type Router } from "express";
import { safeEqual } from "../../http/safe-equal.js";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import { convertTelegramUpdate } from "./telegram-convert.js";
import { telegramUpdateSchema } from "./telegram-update-schema.js";

/**
 * `POST /webhooks/telegram`: checks `X-Telegram-Bot-Api-Secret-Token` before reading anything
 * (401 otherwise), stores the update durably, then answers 200.
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
      const parsed = telegramUpdateSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: "invalid update", detail: parsed.error.issues[0]?.message ?? "not a Telegram Update" });
        return;
      }
      const message = convertTelegramUpdate(parsed.data);
      if (message) await opts.ingest.accept([message]);
      res.status(200).json({ ok: true });
    },
  );
  return router;
}
