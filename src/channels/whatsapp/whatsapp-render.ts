import { morePayload, type RenderedMessage } from "../rendered-message.js";
import { WHATSAPP_LIMITS, whatsappLayout } from "./whatsapp-limits.js";

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join("")}…` : s);

/**
 * The Cloud API `messages` body for a rendered message: plain text, reply buttons (up to 3 options
 * including the safety option), a list (4 to 10), or a page of a longer list with a "more" row.
 */
export function renderWhatsApp(to: string, message: RenderedMessage): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to };
  if (message.template) {
    const t = message.template;
    return {
      ...base,
      type: "template",
      template: {
        name: t.name,
        language: { code: t.language },
        components: t.params.length > 0 ? [{ type: "body", parameters: t.params.map((text) => ({ type: "text", text })) }] : [],
      },
    };
  }
  const options = [...message.choices];
  if (options.length === 0 && !message.safety) {
    return { ...base, type: "text", text: { body: clip(message.text, WHATSAPP_LIMITS.text), preview_url: false } };
  }
  const total = options.length + (message.safety ? 1 : 0);
  const layout = whatsappLayout(total);
  const body = { text: clip(message.text, WHATSAPP_LIMITS.interactiveBody) };
  const footer = message.ui?.hint ? { footer: { text: clip(message.ui.hint, WHATSAPP_LIMITS.footer) } } : {};
  if (layout.kind === "buttons") {
    const buttons = [...options, ...(message.safety ? [message.safety] : [])].map((o) => ({
      type: "reply",
      reply: { id: o.payload, title: clip(o.label, WHATSAPP_LIMITS.replyButtonTitle) },
    }));
    return { ...base, type: "interactive", interactive: { type: "button", body, ...footer, action: { buttons } } };
  }
  let rows = options;
  let more: { payload: string; label: string } | undefined;
  if (layout.kind === "pages") {
    const perPage = WHATSAPP_LIMITS.listRows - 1 - (message.safety ? 1 : 0);
    rows = options.slice(message.offset, message.offset + perPage);
    const next = message.offset + perPage;
    more = { payload: morePayload(next < options.length ? next : 0), label: message.ui?.more ?? "More" };
  }
  const all = [...rows, ...(message.safety ? [message.safety] : []), ...(more ? [more] : [])].map((o) => ({
    id: o.payload,
    title: clip(o.label, WHATSAPP_LIMITS.listRowTitle),
  }));
  return {
    ...base,
    type: "interactive",
    interactive: {
      type: "list",
      body,
      ...footer,
      action: {
        button: clip(message.ui?.listButton ?? "Choose", WHATSAPP_LIMITS.listButton),
        sections: [{ title: clip(message.ui?.section ?? "Options", WHATSAPP_LIMITS.sectionTitle), rows: all }],
      },
    },
  };
}
