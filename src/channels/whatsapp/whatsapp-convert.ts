import { inboundMessageSchema, type InboundMessage } from "../inbound-message.js";
import { whatsappMessageSchema, whatsappStatusSchema, type WhatsAppStatus, type WhatsAppWebhook } from "./whatsapp-payload-schema.js";

/** Message types answered with a friendly "I can only read text". Reactions and system notices are ignored. */
const UNSUPPORTED = new Set(["image", "audio", "video", "document", "sticker", "location", "contacts", "order", "unsupported", "unknown"]);

/**
 * Messages and status callbacks found in one notification, for our phone number only. Items the worker
 * would reject (a non-numeric timestamp, an empty or oversized sender or id) are left out and listed in
 * `ignored` by position and rule, never by content.
 */
export function convertWhatsAppWebhook(body: WhatsAppWebhook, phoneNumberId: string): {
  messages: InboundMessage[];
  statuses: WhatsAppStatus[];
  ignored: string[];
} {
  const messages: InboundMessage[] = [];
  const statuses: WhatsAppStatus[] = [];
  const ignored: string[] = [];
  if (body.object !== "whatsapp_business_account") return { messages, statuses, ignored };
  const why = (where: string, issue: { path: PropertyKey[]; message: string } | undefined) => ignored.push(`${where}${issue ? `.${issue.path.map(String).join(".")}: ${issue.message}` : ""}`);
  body.entry.forEach((entry, e) => entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const v = change.value;
      if (v.metadata && v.metadata.phone_number_id !== phoneNumberId) return;
      (v.statuses ?? []).forEach((raw, i) => {
        const s = whatsappStatusSchema.safeParse(raw);
        if (s.success) statuses.push(s.data);
        else why(`entry.${e}.changes.${c}.statuses.${i}`, s.error.issues[0]);
      });
      (v.messages ?? []).forEach((raw, i) => {
        const where = `entry.${e}.changes.${c}.messages.${i}`;
        const parsed = whatsappMessageSchema.safeParse(raw);
        if (!parsed.success) return void why(where, parsed.error.issues[0]);
        const m = parsed.data;
        const push = (msg: InboundMessage) => {
          const checked = inboundMessageSchema.safeParse(msg);
          if (checked.success) messages.push(checked.data);
          else why(where, checked.error.issues[0]);
        };
        const base = {
          channel: "whatsapp" as const,
          platformMessageId: m.id,
          platformUserId: m.from,
          address: m.from,
          sentAt: m.timestamp ? Number(m.timestamp) * 1000 : undefined,
        };
        if (m.type === "text" && m.text) {
          push({ ...base, input: { kind: "text", text: m.text.body.slice(0, 4096) } });
        } else if (m.type === "interactive" && m.interactive) {
          const reply = m.interactive.button_reply ?? m.interactive.list_reply;
          if (reply) push({ ...base, input: { kind: "choice", payload: reply.id.slice(0, 256) } });
        } else if (m.type === "button" && m.button) {
          // A quick-reply button on a template: its payload is ours, its text is what the resident saw.
          const payload = m.button.payload;
          push({
            ...base,
            input: payload ? { kind: "choice", payload: payload.slice(0, 256) } : { kind: "text", text: (m.button.text ?? "").slice(0, 4096) },
          });
        } else if (UNSUPPORTED.has(m.type)) {
          push({ ...base, input: { kind: "unsupported", what: m.type } });
        }
        // reaction, system, ephemeral, request_welcome and anything newer: acknowledged, not answered.
      });
    }));
  return { messages, statuses, ignored };
}
