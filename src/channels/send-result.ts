/**
 * What happened when a channel tried to deliver. A refusal by the platform (`rejected`) is final;
 * `rate_limited` waits and retries without counting as a failure; `transient` (no connection, 5xx)
 * retries; `in_doubt` (the request may have arrived: a reset or timeout after it was written, an answer
 * cut off) is recorded as unknown and never resent, so nobody gets a second copy.
 */
export type SendResult =
  | { ok: true; platformMessageId: string }
  | { ok: false; kind: "rate_limited"; retryAfterMs: number; scope: "chat" | "channel"; reason: string }
  | { ok: false; kind: "rejected"; code: string; reason: string; blocked: boolean }
  | { ok: false; kind: "transient"; reason: string }
  | { ok: false; kind: "in_doubt"; reason: string };

/**
 * Which send record a send is for. WhatsApp puts the id in `biz_opaque_callback_data`, which its status
 * webhooks echo: the evidence that settles a send left in doubt. Other platforms ignore it.
 */
export type SendRef = { sendId: string };

/** Delivers rendered messages on one platform. Only channels talk to platforms. */
export interface ChannelSender {
  readonly channel: "telegram" | "whatsapp" | "web";
  send(address: string, message: import("./rendered-message.js").RenderedMessage, ref?: SendRef): Promise<SendResult>;
  /** Stop a tapped button spinning (Telegram); other channels do nothing. */
  acknowledge?(callbackQueryId: string): Promise<void>;
}
