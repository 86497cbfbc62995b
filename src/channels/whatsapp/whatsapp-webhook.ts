import express, { type Router } from "express";
import { safeEqual } from "../../http/safe-equal.js";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import type { StatusRecorder } from "../../queues/status-recorder.js";
import { convertWhatsAppWebhook } from "./whatsapp-convert.js";
import { whatsappWebhookSchema } from "./whatsapp-payload-schema.js";
import { verifyWhatsAppSignature } from "./whatsapp-signature.js";

/**
 * `GET /webhooks/whatsapp` answers Meta's verification; `POST` checks `X-Hub-Signature-256` over the
 * raw body (401 otherwise), stores messages durably, records status callbacks, and answers 200.
 */
export function whatsappWebhook(opts: {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  ingest: Ingest;
  statuses: StatusRecorder;
  log: Logger;
}): Router {
  const router = express.Router();
  router.get("/webhooks/whatsapp", (req, res) => {
    const mode = req.query["hub.mode"];
    const token = req.query["hub.verify_token"];
    const challenge = req.query["hub.challenge"];
    if (mode === "subscribe" && typeof token === "string" && safeEqual(token, opts.verifyToken) && typeof challenge === "string") {
      res.status(200).type("text/plain").send(challenge);
      return;
    }
    res.status(403).json({ error: "forbidden", detail: "hub.mode must be subscribe and hub.verify_token must match" });
  });
  router.post("/webhooks/whatsapp", express.raw({ type: () => true, limit: "1mb" }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyWhatsAppSignature(raw, req.get("x-hub-signature-256"), opts.appSecret)) {
      res.status(401).json({ error: "unauthorized", detail: "X-Hub-Signature-256 is missing or does not match the body" });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      res.status(400).json({ error: "invalid JSON", detail: "the body is not JSON" });
      return;
    }
    const parsed = whatsappWebhookSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({ error: "invalid notification", detail: `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "not a WhatsApp notification"}` });
      return;
    }
    const { messages, statuses, ignored } = convertWhatsAppWebhook(parsed.data, opts.phoneNumberId);
    // Acknowledged and dropped: stored, they would only fail in the worker and block the sender's next messages.
    if (ignored.length > 0) opts.log.warn({ ignored }, "whatsapp items ignored");
    await Promise.all([messages.length > 0 ? opts.ingest.accept(messages) : undefined, statuses.length > 0 ? opts.statuses.record("whatsapp", statuses) : undefined]);
    res.status(200).json({ ok: true });
  });
  return router;
}
