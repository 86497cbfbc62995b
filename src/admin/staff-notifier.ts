import { RTL_LANGUAGES } from "../content/languages.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { ResidentMessenger } from "../handoffs/resident-messenger.js";
import type { Translator } from "../i18n/translator.js";

/**
 * Tells a staff member something about their own account on the chat they linked (Telegram or WhatsApp,
 * with a one-time code), such as an admin resetting their second factor. Nothing about residents goes
 * this way. The text is from the panel's texts (Dutch, the default, or English for a chat in another language).
 */
export class StaffNotifier {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly messenger: ResidentMessenger,
    private readonly t: Translator,
  ) {}

  /** Sends `admin:<key>` to the user's linked chat; false when they have none. `id` makes a retry harmless. */
  async tell(userId: string, id: string, key: string, params: Record<string, string> = {}): Promise<boolean> {
    const user = await this.prisma.staffUser.findUnique({ where: { id: userId }, select: { chatPseudonym: true } });
    if (!user?.chatPseudonym) return false;
    const chat = await this.prisma.resident.findUnique({ where: { pseudonym: user.chatPseudonym } });
    if (!chat) return false;
    // The panel speaks Dutch (its default) and English: a chat in another language gets English.
    const language = !chat.language || chat.language === "nl" ? "nl" : "en";
    const message = { language, rtl: RTL_LANGUAGES.has(language), text: this.t.t(language, `admin:${key}`, params), choices: [], offset: 0 };
    const result = await this.messenger.send(this.prisma, chat.id, id, message, "staff-notice", { ignoreQuiet: true });
    return result === "queued";
  }
}
