import { randomUUID } from "node:crypto";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Cipher } from "../../crypto/cipher.js";
import type { Pseudonymizer } from "../../crypto/pseudonymizer.js";
import type { Logger } from "../../logger.js";
import type { Ingest } from "../../queues/ingest.js";
import type { WebMailboxStore } from "../../storage/web-mailbox-store.js";
import { renderedMessageSchema } from "../rendered-message.js";
import type { LongPollHub } from "./long-poll-hub.js";
import type { Refusal, WebChatLimits } from "./web-chat-limits.js";
import type { WebTokens } from "./web-tokens.js";
import type { WebChatTexts } from "./web-chat-texts.js";

const PUBLIC_DIR = path.join(import.meta.dirname, "public");

const postSchema = z.union([
  z.object({ id: z.uuid(), text: z.string().min(1).max(2000) }).strict(),
  z.object({ id: z.uuid(), choice: z.string().min(1).max(256) }).strict(),
  z.object({ id: z.uuid(), start: z.literal(true) }).strict(),
]);

const pollQuerySchema = z.object({
  after: z.string().regex(/^\d{1,18}$/).catch("0"),
  wait: z.coerce.number().min(0).max(25).catch(0),
});

/** Longest a long poll waits for a reply (ms). */
const MAX_WAIT_MS = 25_000;

/**
 * The `/chat` page's Content-Security-Policy: only our own script and style, no framing (clickjacking a
 * resident's quick exit), no form posts or links elsewhere, no referrer.
 */
export const CHAT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/**
 * The resident-facing web chat at `/chat` and its JSON API (see README): anonymous sessions by a token
 * only this server can issue, messages in, replies by long polling woken by a notification. Limits per
 * session and per address answer 429 with `Retry-After`.
 */
export function webChatRoutes(opts: {
  ingest: Ingest;
  mailbox: WebMailboxStore;
  cipher: Cipher;
  pseudonymizer: Pseudonymizer;
  tokens: WebTokens;
  limits: WebChatLimits;
  polls: LongPollHub;
  log: Logger;
  /** The page's own words in every language (`webChatTexts`). */
  texts: WebChatTexts;
}): Router {
  const { tokens, limits, polls } = opts;
  const router = express.Router();
  router.get("/chat", (_req, res) => {
    res.set("cache-control", "no-store").set("content-security-policy", CHAT_CSP).set("referrer-policy", "no-referrer").sendFile("chat.html", { root: PUBLIC_DIR }); // root: a dot folder above it (npm start's .start/) is not a dotfile
  });
  router.use("/chat/assets", express.static(PUBLIC_DIR, { maxAge: "1h", index: false }));
  // The page's buttons and placeholder in every language; the same for everyone, so cached like the assets.
  const pageTexts = JSON.stringify(opts.texts);
  router.get("/chat/api/texts", (_req, res) => {
    res.set("cache-control", "public, max-age=3600").type("application/json").send(pageTexts);
  });

  const refuse = (res: Response, r: Refusal, status = 429) => {
    res.status(status).set("retry-after", String(r.retryAfterSeconds)).json({ error: status === 429 ? "too many requests" : "unavailable", detail: `try again in ${r.retryAfterSeconds} s` });
  };
  const address = (req: Request) => req.ip ?? "unknown";

  /** The session token, if it is one this server issued; otherwise answers 401 and returns undefined. */
  function session(req: Request, res: Response): string | undefined {
    const m = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(req.get("authorization") ?? "");
    if (m && tokens.verify(m[1]!)) return m[1];
    res.status(401).json({ error: "unauthorized", detail: "send Authorization: Bearer <token> from POST /chat/api/sessions" });
    return undefined;
  }

  router.post("/chat/api/sessions", async (req, res) => {
    const refused = await limits.session(address(req));
    if (refused) return refuse(res, refused);
    res.status(201).json({ token: tokens.issue() });
  });

  router.post("/chat/api/messages", express.json({ limit: "16kb" }), async (req, res) => {
    const token = session(req, res);
    if (!token) return;
    const parsed = postSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: "invalid message", detail: 'send {"id": uuid, "text": "..."} or {"id": uuid, "choice": "<payload>"}' });
      return;
    }
    const pseudonym = opts.pseudonymizer.pseudonym("web", token);
    const refused = await limits.message(pseudonym, address(req));
    if (refused) return refuse(res, refused);
    const b = parsed.data;
    const input = "text" in b ? { kind: "text" as const, text: b.text } : "choice" in b ? { kind: "choice" as const, payload: b.choice } : { kind: "start" as const };
    const fresh = await opts.ingest.accept([
      {
        channel: "web",
        platformMessageId: `${pseudonym}-${b.id}`,
        platformUserId: token,
        address: token,
        input,
        languageHint: req.get("accept-language")?.split(",")[0]?.slice(0, 16),
      },
    ]);
    res.status(202).json({ accepted: true, duplicate: fresh === 0 });
  });

  // "Erase and leave" from the page's ✕: everything about this session goes, through the same path as `stop`.
  router.post("/chat/api/erase", async (req, res) => {
    const token = session(req, res);
    if (!token) return;
    const refused = await limits.request(address(req));
    if (refused) return refuse(res, refused);
    const pseudonym = opts.pseudonymizer.pseudonym("web", token);
    await opts.ingest.accept([{ channel: "web", platformMessageId: `${pseudonym}-erase`, platformUserId: token, address: token, input: { kind: "erase" } }]);
    res.status(202).json({ accepted: true });
  });

  router.get("/chat/api/messages", async (req, res) => {
    const token = session(req, res);
    if (!token) return;
    if (polls.closing) return refuse(res, { retryAfterSeconds: 2 }, 503);
    const refused = await limits.request(address(req));
    if (refused) return refuse(res, refused);
    const pseudonym = opts.pseudonymizer.pseudonym("web", token);
    const slot = limits.openPoll(pseudonym);
    if (!("release" in slot)) return refuse(res, slot);
    const gone = new AbortController();
    const onClose = () => gone.abort();
    res.on("close", onClose);
    try {
      const q = pollQuerySchema.parse(req.query);
      const after = BigInt(q.after);
      const waitMs = Math.min(MAX_WAIT_MS, q.wait * 1000);
      // Subscribed before the first read, so a reply landing in between still wakes this poll.
      const waiting = polls.wait(pseudonym, waitMs, gone.signal);
      let rows = await opts.mailbox.collect(pseudonym, after);
      if (rows.length === 0 && waitMs > 0) {
        if (await waiting) rows = await opts.mailbox.collect(pseudonym, after);
      } else {
        gone.abort();
        await waiting;
      }
      if (res.writableEnded || req.socket.destroyed) return;
      const messages = rows.map((r) => {
        const m = renderedMessageSchema.parse(opts.cipher.decryptJson(r.payloadEnc));
        return { seq: r.seq, language: m.language, rtl: m.rtl, text: m.text, choices: m.choices, safety: m.safety ?? null };
      });
      res.set("cache-control", "no-store").json({ messages, cursor: messages.at(-1)?.seq ?? String(after) });
    } finally {
      res.off("close", onClose);
      slot.release();
    }
  });

  router.get("/chat/api/new-id", (_req, res) => res.json({ id: randomUUID() }));
  return router;
}
