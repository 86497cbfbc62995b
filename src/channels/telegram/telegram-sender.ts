import { Api, GrammyError, HttpError } from "grammy";
import type { RenderedMessage } from "../rendered-message.js";
import type { ChannelSender, SendResult } from "../send-result.js";
import { classifyNetworkFailure } from "../network-failure.js";
import { renderTelegram } from "./telegram-render.js";

/** Sends through the Bot API at the configured root, and says plainly how a send went. */
export class TelegramSender implements ChannelSender {
  readonly channel = "telegram" as const;
  readonly api: Api;

  constructor(token: string, apiRoot: string) {
    this.api = new Api(token, { apiRoot, timeoutSeconds: 30 });
  }

  async send(address: string, message: RenderedMessage): Promise<SendResult> {
    const { text, reply_markup } = renderTelegram(message);
    try {
      const sent = await this.api.sendMessage(address, text, reply_markup ? { reply_markup } : {});
      return { ok: true, platformMessageId: String(sent.message_id) };
    } catch (err) {
      return classifyTelegramError(err);
    }
  }

  async acknowledge(callbackQueryId: string): Promise<void> {
    // A query older than about 15 s can no longer be answered; that is not worth a retry.
    await this.api.answerCallbackQuery(callbackQueryId).catch(() => undefined);
  }
}

/** Maps a grammY error to a SendResult: 429 waits, other 4xx are refusals, 5xx transient, the network as `classifyNetworkFailure` says. */
export function classifyTelegramError(err: unknown): SendResult {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    if (code === 429) {
      const seconds = err.parameters.retry_after ?? 1;
      return { ok: false, kind: "rate_limited", retryAfterMs: seconds * 1000, scope: "chat", reason: err.description };
    }
    if (code >= 400 && code < 500) {
      const blocked = code === 403;
      return { ok: false, kind: "rejected", code: `telegram-${code}`, reason: err.description, blocked };
    }
    return { ok: false, kind: "transient", reason: `Telegram ${code}: ${err.description}` };
  }
  if (err instanceof HttpError) return classifyNetworkFailure("Bot API", err.error);
  return { ok: false, kind: "transient", reason: err instanceof Error ? err.message : String(err) };
}
