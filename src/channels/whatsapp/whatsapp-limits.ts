/** WhatsApp Cloud API limits on interactive messages (characters). */
export const WHATSAPP_LIMITS = {
  replyButtons: 3,
  replyButtonTitle: 20,
  listRows: 10,
  listRowTitle: 24,
  listRowDescription: 72,
  listButton: 20,
  sectionTitle: 24,
  interactiveBody: 1024,
  footer: 60,
  text: 4096,
  buttonId: 256,
  rowId: 200,
} as const;

/** How a set of choices is shown: reply buttons, one list, or pages of lists with a "more" row. */
export type WhatsAppLayout = { kind: "buttons" } | { kind: "list" } | { kind: "pages"; perPage: number };

/**
 * Up to 3 options (choices plus the safety option) as reply buttons, 4 to 10 as a list,
 * more as pages of 9 with a tenth row that shows the next page.
 */
export function whatsappLayout(options: number): WhatsAppLayout {
  if (options <= WHATSAPP_LIMITS.replyButtons) return { kind: "buttons" };
  if (options <= WHATSAPP_LIMITS.listRows) return { kind: "list" };
  return { kind: "pages", perPage: WHATSAPP_LIMITS.listRows - 1 };
}

/** The longest a choice label may be under a layout. */
export function labelLimit(layout: WhatsAppLayout): number {
  return layout.kind === "buttons" ? WHATSAPP_LIMITS.replyButtonTitle : WHATSAPP_LIMITS.listRowTitle;
}
