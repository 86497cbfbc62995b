import { z } from "zod";

/** Unix seconds, as WhatsApp sends them: a string of digits. */
const timestamp = z.string().regex(/^\d{1,12}$/, "a timestamp is Unix seconds in digits");

/** One inbound message, checked as strictly as the worker will: empty or oversized ids never get stored. */
export const whatsappMessageSchema = z
  .object({
    from: z.string().min(1).max(64),
    id: z.string().min(1).max(256),
    timestamp: timestamp.optional(),
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      })
      .loose()
      .optional(),
    button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  })
  .loose();

/** One status callback (sent, delivered, read, failed). */
export const whatsappStatusSchema = z
  .object({
    id: z.string().min(1).max(256),
    status: z.string().min(1).max(32),
    timestamp: timestamp.optional(),
    recipient_id: z.string().max(64).optional(),
    /** What Naast put in the send request: the send record's id (max 512 characters). */
    biz_opaque_callback_data: z.string().max(512).optional(),
    errors: z.array(z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional() }).loose()).optional(),
  })
  .loose();

/**
 * A Cloud API webhook notification (`object: whatsapp_business_account`), the parts Naast reads. Messages
 * and statuses are checked one by one (`whatsappMessageSchema`, `whatsappStatusSchema`), so one bad item
 * is ignored without losing the others in the same delivery.
 */
export const whatsappWebhookSchema = z
  .object({
    object: z.string(),
    entry: z.array(
      z
        .object({
          id: z.string().optional(),
          changes: z.array(
            z
              .object({
                field: z.string(),
                value: z
                  .object({
                    messaging_product: z.string().optional(),
                    metadata: z.object({ phone_number_id: z.string() }).loose().optional(),
                    messages: z.array(z.unknown()).optional(),
                    statuses: z.array(z.unknown()).optional(),
                  })
                  .loose(),
              })
              .loose(),
          ),
        })
        .loose(),
    ),
  })
  .loose();
export type WhatsAppWebhook = z.infer<typeof whatsappWebhookSchema>;
export type WhatsAppStatus = z.infer<typeof whatsappStatusSchema>;

/** The error body the Graph API answers with. */
export const graphErrorSchema = z.object({
  error: z.object({ message: z.string().optional(), code: z.number().optional(), error_data: z.object({ details: z.string().optional() }).loose().optional() }).loose(),
});
