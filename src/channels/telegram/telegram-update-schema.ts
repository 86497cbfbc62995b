import { z } from "zod";

// Ids are integers (chat ids up to 52 bits); anything else is not from Telegram.
const user = z.object({ id: z.number().int(), is_bot: z.boolean().optional(), language_code: z.string().max(16).optional() }).loose();
const chat = z.object({ id: z.number().int(), type: z.string() }).loose();

const message = z
  .object({
    message_id: z.number().int(),
    date: z.number().int().nonnegative(),
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
      .object({ id: z.string().min(1).max(128), from: user, data: z.string().max(256).optional(), message: message.optional() })
      .loose()
      .optional(),
  })
  .loose();
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

/** Just enough to tell a Telegram update from something else: answered 400 when even this is missing. */
export const telegramEnvelopeSchema = z.object({ update_id: z.number().int() }).loose();
