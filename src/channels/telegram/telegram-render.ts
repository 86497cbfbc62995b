import type { InlineKeyboardButton } from "grammy/types";
import type { RenderedMessage } from "../rendered-message.js";

/** Telegram's limit on one message's text (characters). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** `sendMessage` parameters for a rendered message: one inline button a row, the safety button last. */
export function renderTelegram(message: RenderedMessage): {
  text: string;
  reply_markup?: { inline_keyboard: InlineKeyboardButton[][] };
} {
  const rows: InlineKeyboardButton[][] = message.choices.map((c) => [{ text: c.label, callback_data: c.payload }]);
  if (message.safety) rows.push([{ text: message.safety.label, callback_data: message.safety.payload }]);
  const text = message.text.slice(0, TELEGRAM_TEXT_LIMIT);
  return rows.length > 0 ? { text, reply_markup: { inline_keyboard: rows } } : { text };
}
