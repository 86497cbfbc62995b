import { z } from "zod";

const user = z.object({ id: z.number(), is_bot: z.boolean().optional(), language_code: z.string().optional() }).loose();
const chat = z.object({ id: z.number(), type: z.string() }).loose();

const message = z
  .object({
    message_id: z.number(),
    date: z.number(),
    chat,
    from: user.optional(),
    text: z.string().optional(),
  })
  .loose();

/** The parts of a Bot API `Update` Naast reads; everything else passes through untouched. */
export const telegramUpdateSchema = z
  .object({
    update_id: z.number().int(),
    message: message.optional(),
    callback_query: z
      .object({ id: z.string(), from: user, data: z.string().optional(), message: message.optional() })
      .loose()
      .optional(),
  })
  .loose();
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
