import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import express, { type Request, type Router } from "express";
import { z } from "zod";
import type { Cipher } from "../../crypto/cipher.js";
import type { Pseudonymizer } from "../../crypto/pseudonymizer.js";
import type { Ingest } from "../../queues/ingest.js";
import type { WebMailboxStore } from "../../storage/web-mailbox-store.js";
import { renderedMessageSchema } from "../rendered-message.js";
import type { WebSender } from "./web-sender.js";

const PUBLIC_DIR = path.join(import.meta.dirname, "public");

const postSchema = z.union([
  z.object({ id: z.uuid(), text: z.string().min(1).max(2000) }).strict(),
  z.object({ id: z.uuid(), choice: z.string().min(1).max(256) }).strict(),
  z.object({ id: z.uuid(), start: z.literal(true) }).strict(),
]);

/** Longest a long poll waits for a reply (ms). */
const MAX_WAIT_MS = 25_000;

function bearer(req: Request): string | undefined {
  const h = req.get("authorization");
  const m = h ? /^Bearer ([A-Za-z0-9_-]{32,64})$/.exec(h) : null;
  return m?.[1];
}

/**
 * The resident-facing web chat at `/chat` and its JSON API (see README): anonymous sessions by a
 * random token the page keeps in sessionStorage, messages in, replies by long polling.
 */
export function webChatRoutes(opts: {
  ingest: Ingest;
  mailbox: WebMailboxStore;
  sender: WebSender;
  cipher: Cipher;
  pseudonymizer: Pseudonymizer;
}): Router {
  const router = express.Router();
  router.get("/chat", (_req, res) => {
    res.set("cache-control", "no-store").set("referrer-policy", "no-referrer").sendFile(path.join(PUBLIC_DIR, "chat.html"));
  });
  router.use("/chat/assets", express.static(PUBLIC_DIR, { maxAge: "1h", index: false }));

  router.post("/chat/api/sessions", (_req, res) => {
    res.status(201).json({ token: randomBytes(32).toString("base64url") });
  });

  router.post("/chat/api/messages", express.json({ limit: "16kb" }), async (req, res) => {
    const token = bearer(req);
    if (!token) {
      res.status(401).json({ error: "unauthorized", detail: "send Authorization: Bearer <token> from POST /chat/api/sessions" });
      return;
    }
    const parsed = postSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: "invalid message", detail: 'send {"id": uuid, "text": "..."} or {"id": uuid, "choice": "<payload>"}' });
      return;
    }
    const b = parsed.data;
    const input = "text" in b ? { kind: "text" as const, text: b.text } : "choice" in b ? { kind: "choice" as const, payload: b.choice } : { kind: "start" as const };
    const pseudonym = opts.pseudonymizer.pseudonym("web", token);
    const fresh = await opts.ingest.accept([
      {
        channel: "web",
        platformMessageId: `${pseudonym.slice(0, 24)}-${b.id}`,
        platformUserId: token,
        address: token,
        input,
        languageHint: req.get("accept-language")?.split(",")[0],
      },
    ]);
    res.status(202).json({ accepted: true, duplicate: fresh === 0 });
  });

  router.get("/chat/api/messages", async (req, res) => {
    const token = bearer(req);
    if (!token) {
      res.status(401).json({ error: "unauthorized", detail: "send Authorization: Bearer <token>" });
      return;
    }
    const after = /^\d{1,18}$/.test(String(req.query.after ?? "0")) ? BigInt(String(req.query.after ?? "0")) : 0n;
    const waitMs = Math.min(MAX_WAIT_MS, Math.max(0, Number(req.query.wait ?? 0) * 1000 || 0));
    const pseudonym = opts.pseudonymizer.pseudonym("web", token);
    const deadline = Date.now() + waitMs;
    let rows = await opts.mailbox.collect(pseudonym, after);
    while (rows.length === 0 && Date.now() < deadline && !req.socket.destroyed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          opts.sender.arrivals.off(pseudonym, wake);
          resolve();
        }, Math.min(1_000, Math.max(1, deadline - Date.now())));
        opts.sender.arrivals.once(pseudonym, wake);
      });
      rows = await opts.mailbox.collect(pseudonym, after);
    }
    const messages = rows.map((r) => {
      const m = renderedMessageSchema.parse(opts.cipher.decryptJson(r.payloadEnc));
      return { seq: r.seq, language: m.language, rtl: m.rtl, text: m.text, choices: m.choices, safety: m.safety ?? null };
    });
    res.set("cache-control", "no-store").json({ messages, cursor: messages.at(-1)?.seq ?? String(after) });
  });

  router.get("/chat/api/new-id", (_req, res) => res.json({ id: randomUUID() }));
  return router;
}
