import { z } from "zod";

export const channelSchema = z.enum(["telegram", "whatsapp", "web"]);
/** The platforms residents reach Naast on. */
export type Channel = z.infer<typeof channelSchema>;

export const inboundInputSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: z.string().max(4096) }),
  z.object({ kind: z.literal("choice"), payload: z.string().max(256) }),
  z.object({ kind: z.literal("start"), languageHint: z.string().max(16).optional() }),
  z.object({ kind: z.literal("unsupported"), what: z.string().max(32) }),
  /** The web chat's "erase and leave": erased at once, with no reply (the page is gone). */
  z.object({ kind: z.literal("erase") }),
]);

/**
 * One thing a resident did, converted from a platform's shape. `address` and `platformUserId`
 * identify the resident; they are only ever hashed (pseudonym) or encrypted, never logged or shown.
 */
export const inboundMessageSchema = z.object({
  channel: channelSchema,
  /** The platform's id for this delivery, for at-least-once dedupe. */
  platformMessageId: z.string().min(1).max(256),
  platformUserId: z.string().min(1).max(256),
  /** Where replies go: Telegram chat id, WhatsApp phone number, web session token. */
  address: z.string().min(1).max(256),
  input: inboundInputSchema,
  /** The platform's idea of the resident's language (Telegram `language_code`). */
  languageHint: z.string().max(16).optional(),
  /** Telegram callback query to answer, so the tapped button stops spinning. */
  callbackQueryId: z.string().max(128).optional(),
  /** When the platform says it happened (ms since epoch). */
  sentAt: z.number().int().optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
