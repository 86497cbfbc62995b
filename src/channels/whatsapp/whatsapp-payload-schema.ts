import { z } from "zod";

const inboundMessage = z
  .object({
    from: z.string(),
    id: z.string(),
    timestamp: z.string().optional(),
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

const status = z
  .object({
    id: z.string(),
    status: z.string(),
    timestamp: z.string().optional(),
    recipient_id: z.string().optional(),
    errors: z.array(z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional() }).loose()).optional(),
  })
  .loose();

/** A Cloud API webhook notification (`object: whatsapp_business_account`), the parts Naast reads. */
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
                    messages: z.array(inboundMessage).optional(),
                    statuses: z.array(status).optional(),
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
export type WhatsAppStatus = z.infer<typeof status>;

/** The error body the Graph API answers with. */
export const graphErrorSchema = z.object({
  error: z.object({ message: z.string().optional(), code: z.number().optional(), error_data: z.object({ details: z.string().optional() }).loose().optional() }).loose(),
});
