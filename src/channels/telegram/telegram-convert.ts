import { inboundMessageSchema, type InboundMessage } from "../inbound-message.js";
import { telegramUpdateSchema, type TelegramUpdate } from "./telegram-update-schema.js";

const MEDIA = ["photo", "voice", "audio", "video", "video_note", "document", "sticker", "animation", "location", "venue", "contact", "poll", "dice"];

/**
 * Converts a Bot API update into what Naast understands, or undefined for updates it ignores
 * (group chats, edits, membership changes, other bots).
 */
export function convertTelegramUpdate(update: TelegramUpdate): InboundMessage | undefined {
  const id = `u${update.update_id}`;
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    if (!chat || chat.type !== "private" || q.from.is_bot || q.data === undefined) return undefined;
    return {
      channel: "telegram",
      platformMessageId: id,
      platformUserId: String(q.from.id),
      address: String(chat.id),
      input: { kind: "choice", payload: q.data },
      languageHint: q.from.language_code,
      callbackQueryId: q.id,
    };
  }
  const m = update.message;
  if (!m || m.chat.type !== "private" || !m.from || m.from.is_bot) return undefined;
  const base = {
    channel: "telegram" as const,
    platformMessageId: id,
    platformUserId: String(m.from.id),
    address: String(m.chat.id),
    languageHint: m.from.language_code,
    sentAt: m.date * 1000,
  };
  if (typeof m.text === "string") {
    if (/^\/start(@\w+)?(\s|$)/.test(m.text)) {
      return { ...base, input: { kind: "start", languageHint: m.from.language_code } };
    }
    return { ...base, input: { kind: "text", text: m.text.slice(0, 4096) } };
  }
  const what = MEDIA.find((k) => k in m) ?? "other";
  return { ...base, input: { kind: "unsupported", what } };
}

/**
 * Checks an update at the door: the message to store, `message: undefined` for updates Naast ignores on
 * purpose, or `ignored` with the reason (path and rule, no content) for one the worker would reject.
 */
export function acceptTelegramUpdate(body: unknown): { message: InboundMessage | undefined } | { ignored: string } {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (!parsed.success) return { ignored: describe(parsed.error.issues[0]) };
  const converted = convertTelegramUpdate(parsed.data);
  if (!converted) return { message: undefined };
  const checked = inboundMessageSchema.safeParse(converted);
  return checked.success ? { message: checked.data } : { ignored: describe(checked.error.issues[0]) };
}

function describe(issue: { path: PropertyKey[]; message: string } | undefined): string {
  return issue ? `${issue.path.map(String).join(".")}: ${issue.message}` : "invalid";
}
