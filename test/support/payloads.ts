import { signWhatsAppBody } from "../../src/channels/whatsapp/whatsapp-signature.js";
import { TG_SECRET, WA } from "./harness.js";

/** A Bot API Update with a private text message, shaped as in the Telegram docs. */
export function tgText(updateId: number, userId: number, text: string, languageCode = "nl") {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      from: { id: userId, is_bot: false, first_name: "Test", language_code: languageCode },
      chat: { id: userId, first_name: "Test", type: "private" },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(text.startsWith("/") ? { entities: [{ offset: 0, length: text.split(" ")[0]!.length, type: "bot_command" }] } : {}),
    },
  };
}

/** A Bot API Update with a callback query from an inline keyboard tap. */
export function tgTap(updateId: number, userId: number, data: string) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cq${updateId}`,
      from: { id: userId, is_bot: false, first_name: "Test", language_code: "nl" },
      message: { message_id: 1, from: { id: 42, is_bot: true, first_name: "Naast" }, chat: { id: userId, type: "private" }, date: 1, text: "..." },
      chat_instance: "123",
      data,
    },
  };
}

/** Posts an update; `secret` null sends no secret header at all. */
export async function postTelegram(url: string, update: unknown, secret: string | null = TG_SECRET): Promise<Response> {
  return fetch(`${url}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(update),
  });
}

/** A Cloud API notification with the given messages/statuses, shaped as in Meta's docs. */
export function waNotification(value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: WA.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function waText(from: string, id: string, body: string) {
  return waNotification({
    contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
    messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body } }],
  });
}

export function waButton(from: string, id: string, replyId: string, title = "x") {
  return waNotification({
    contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
    messages: [{ context: { from: "15550783881", id: "wamid.ctx" }, from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "interactive", interactive: { type: "button_reply", button_reply: { id: replyId, title } } }],
  });
}

export function waListReply(from: string, id: string, replyId: string, title = "x") {
  return waNotification({
    contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
    messages: [{ context: { from: "15550783881", id: "wamid.ctx" }, from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "interactive", interactive: { type: "list_reply", list_reply: { id: replyId, title, description: "" } } }],
  });
}

export async function postWhatsApp(url: string, body: unknown, signature?: string | null): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const sig = signature === undefined ? signWhatsAppBody(raw, WA.appSecret) : signature;
  return fetch(`${url}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(sig !== null ? { "x-hub-signature-256": sig } : {}) },
    body: raw,
  });
}
