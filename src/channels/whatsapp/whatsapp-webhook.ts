import express, { type Router } from "express";
import { safeEqual } from "../../http/safe-equal.js";
import type { WebhookAnswer, WebhookLane } from "../../http/webhook-lane.js";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import type { StatusRecorder } from "../../queues/status-recorder.js";
import { convertWhatsAppWebhook } from "./whatsapp-convert.js";
import { whatsappWebhookSchema } from "./whatsapp-payload-schema.js";
import { verifyWhatsAppSignature } from "./whatsapp-signature.js";

const PATH = "/webhooks/whatsapp";

/** `GET /webhooks/whatsapp`: Meta's verification handshake when the webhook is configured. */
export function whatsappVerifyRoute(opts: { verifyToken: string }): Router {
  const router = express.Router();
  router.get(PATH, (req, res) => {
    const mode = req.query["hub.mode"];
    const token = req.query["hub.verify_token"];
    const challenge = req.query["hub.challenge"];
    if (mode === "subscribe" && typeof token === "string" && safeEqual(token, opts.verifyToken) && typeof challenge === "string") {
      res.status(200).type("text/plain").send(challenge);
      return;
    }
    res.status(403).json({ error: "forbidden", detail: "hub.mode must be subscribe and hub.verify_token must match" });
  });
  return router;
}

/**
 * `POST /webhooks/whatsapp`: checks `X-Hub-Signature-256` over the raw body (401 otherwise), stores messages
 * durably, records status callbacks, and answers 200.
 */
export function whatsappWebhook(opts: { appSecret: string; phoneNumberId: string; ingest: Ingest; statuses: StatusRecorder; log: Logger }): WebhookLane {
  return {
    channel: "whatsapp",
    path: PATH,
    async handle(req): Promise<WebhookAnswer> {
      const raw = await req.body();
      const signature = req.headers["x-hub-signature-256"];
      if (!verifyWhatsAppSignature(raw, typeof signature === "string" ? signature : undefined, opts.appSecret)) {
        return { status: 401, body: { error: "unauthorized", detail: "X-Hub-Signature-256 is missing or does not match the body" } };
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        return { status: 400, body: { error: "invalid JSON", detail: "the body is not JSON" } };
      }
      const parsed = whatsappWebhookSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { status: 400, body: { error: "invalid notification", detail: `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "not a WhatsApp notification"}` } };
      }
      const { messages, statuses, ignored } = convertWhatsAppWebhook(parsed.data, opts.phoneNumberId);
      // Acknowledged and dropped: stored, they would only fail in the worker and block the sender's next messages.
      if (ignored.length > 0) opts.log.warn({ ignored }, "whatsapp items ignored");
      await Promise.all([messages.length > 0 ? opts.ingest.accept(messages) : undefined, statuses.length > 0 ? opts.statuses.record("whatsapp", statuses) : undefined]);
      return { status: 200, body: { ok: true } };
    },
  };
}
