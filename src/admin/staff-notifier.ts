import { DEFAULT_LANGUAGE, RTL_LANGUAGES } from "../content/vocabulary.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { ResidentMessenger } from "../handoffs/resident-messenger.js";
import type { Translator } from "../i18n/translator.js";
import type { AfterCommit } from "../outbox/outbox.js";
import type { Db } from "../storage/db-client.js";

/**
 * Tells a staff member something on the chat they linked (Telegram, WhatsApp or the web chat, with a
 * one-time code): their second factor was reset, a request is overdue, their activity was approved. Never
 * what a resident wrote. The text is from the panel's texts (Dutch, the default, or English for a chat in
 * another language).
 */
export class StaffNotifier {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly messenger: ResidentMessenger,
    private readonly t: Translator,
  ) {}

  /**
   * Sends `admin:<key>` to the user's linked chat; false when they have none. `id` makes a retry harmless.
   * Inside a transaction pass it as `db` and an `afterCommit` list: the send is queued after the commit.
   */
  async tell(userId: string, id: string, key: string, params: Record<string, string> = {}, opts: { db?: Db; afterCommit?: AfterCommit } = {}): Promise<boolean> {
    const db = opts.db ?? this.prisma;
    const user = await db.staffUser.findUnique({ where: { id: userId }, select: { chatPseudonym: true, disabledAt: true } });
    if (!user?.chatPseudonym || user.disabledAt) return false;
    const chat = await db.resident.findUnique({ where: { pseudonym: user.chatPseudonym } });
    if (!chat) return false;
    // The panel speaks Dutch (its default) and English: a chat in another language gets English.
    const language = !chat.language || chat.language === DEFAULT_LANGUAGE ? DEFAULT_LANGUAGE : "en";
    const message = { language, rtl: RTL_LANGUAGES.has(language), text: this.t.t(language, `admin:${key}`, params), choices: [], offset: 0 };
    const result = await this.messenger.send(db, chat.id, id, message, "staff-notice", { ignoreQuiet: true, ...(opts.afterCommit ? { afterCommit: opts.afterCommit } : {}) });
    return result === "queued";
  }
}
