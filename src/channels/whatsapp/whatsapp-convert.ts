import type { InboundMessage } from "../inbound-message.js";
import type { WhatsAppStatus, WhatsAppWebhook } from "./whatsapp-payload-schema.js";

/** Message types answered with a friendly "I can only read text". Reactions and system notices are ignored. */
const UNSUPPORTED = new Set(["image", "audio", "video", "document", "sticker", "location", "contacts", "order", "unsupported", "unknown"]);

/** Messages and status callbacks found in one notification, for our phone number only. */
export function convertWhatsAppWebhook(body: WhatsAppWebhook, phoneNumberId: string): {
  messages: InboundMessage[];
  statuses: WhatsAppStatus[];
} {
  const messages: InboundMessage[] = [];
  const statuses: WhatsAppStatus[] = [];
  if (body.object !== "whatsapp_business_account") return { messages, statuses };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const v = change.value;
      if (v.metadata && v.metadata.phone_number_id !== phoneNumberId) continue;
      for (const s of v.statuses ?? []) statuses.push(s);
      for (const m of v.messages ?? []) {
        const base = {
          channel: "whatsapp" as const,
          platformMessageId: m.id,
          platformUserId: m.from,
          address: m.from,
          sentAt: m.timestamp ? Number(m.timestamp) * 1000 : undefined,
        };
        if (m.type === "text" && m.text) {
          messages.push({ ...base, input: { kind: "text", text: m.text.body.slice(0, 4096) } });
        } else if (m.type === "interactive" && m.interactive) {
          const reply = m.interactive.button_reply ?? m.interactive.list_reply;
          if (reply) messages.push({ ...base, input: { kind: "choice", payload: reply.id.slice(0, 256) } });
        } else if (m.type === "button" && m.button) {
          // A quick-reply button on a template: its payload is ours, its text is what the resident saw.
          const payload = m.button.payload;
          messages.push({
            ...base,
            input: payload ? { kind: "choice", payload: payload.slice(0, 256) } : { kind: "text", text: (m.button.text ?? "").slice(0, 4096) },
          });
        } else if (UNSUPPORTED.has(m.type)) {
          messages.push({ ...base, input: { kind: "unsupported", what: m.type } });
        }
        // reaction, system, ephemeral, request_welcome and anything newer: acknowledged, not answered.
      }
    }
  }
  return { messages, statuses };
}
