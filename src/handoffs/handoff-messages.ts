import { formatWhen } from "../activities/local-time.js";
import type { RenderedMessage } from "../channels/rendered-message.js";
import { DEFAULT_LANGUAGE, RTL_LANGUAGES } from "../content/vocabulary.js";
import type { Cipher } from "../crypto/cipher.js";
import { encodePayload } from "../engine/payload.js";
import type { Translator } from "../i18n/translator.js";
import type { AfterCommit } from "../outbox/outbox.js";
import { CHECK_IN_ANSWERS } from "./handoff-lifecycle.js";
import type { ResidentMessenger } from "./resident-messenger.js";
import type { Db } from "../storage/db-client.js";

/** What HandoffMessages needs: the handoff service's own parts. */
export type HandoffMessagesOptions = {
  /** The `handoff:` texts, in the language of whoever reads them. */
  translator: Translator;
  /** Seals news kept for a resident who cannot be written to now. */
  cipher: Cipher;
  /** The one way to write to a resident (or a professional's linked chat) first. */
  messenger: ResidentMessenger;
  /** When such news was kept; the handoff service's clock. */
  clock: () => Date;
  /** The panel's public address, for the link in a professional's chat notice; undefined: a relative link. */
  panelUrl: string | undefined;
};

/**
 * What Naast says about a handoff, to the resident and to the professional: the texts (in the
 * resident's language, with their buttons) and how they go out. Every message has a deterministic id
 * from its caller, so a timer or command that runs twice sends once.
 */
export class HandoffMessages {
  private readonly t: Translator;
  private readonly cipher: Cipher;
  private readonly messenger: ResidentMessenger;
  private readonly clock: () => Date;
  private readonly panelUrl: string | undefined;

  constructor(opts: HandoffMessagesOptions) {
    this.t = opts.translator;
    this.cipher = opts.cipher;
    this.messenger = opts.messenger;
    this.clock = opts.clock;
    this.panelUrl = opts.panelUrl;
  }

  /** A text from the locales (`handoff:…`) with its choices, ready for any channel. */
  message(language: string, key: string, params: Record<string, string> = {}, choices: { payload: string; label: string }[] = []): RenderedMessage {
    return {
      language,
      rtl: RTL_LANGUAGES.has(language),
      text: this.t.t(language, key, params),
      choices: choices.map((c) => ({ payload: c.payload, label: this.t.t(language, c.label, params) })),
      offset: 0,
    };
  }

  /** A date for residents: "maandag 30 november 2026, 14:00". */
  when(at: Date, language: string): string {
    return formatWhen(at, null, language);
  }

  /** A professional's message as the resident reads it, with a "reply" button. */
  relay(h: { id: string; professional: { name: string; organisation: { name: string } } }, text: string, language: string): RenderedMessage {
    return this.message(language, "handoff:relay", { name: h.professional.name, organisation: h.professional.organisation.name, text }, [
      { payload: encodePayload({ kind: "handoff", action: "reply", handoffId: h.id }), label: "handoff:reply_button" },
    ]);
  }

  /** "Did it help?" with the three answers: the check-in, or (`closed_ask`) the news that the case was closed. */
  checkIn(id: string, name: string, language: string, key: "checkin" | "closed_ask" = "checkin"): RenderedMessage {
    return this.message(
      language,
      `handoff:${key}`,
      { name },
      CHECK_IN_ANSWERS.map((a) => ({ payload: encodePayload({ kind: "handoff", action: "check_in", handoffId: id, answer: a }), label: `handoff:checkin_${a}` })),
    );
  }

  /** Tells a professional on their own linked chat, without anything about the resident. Nothing without a linked chat. */
  async notifyProfessional(db: Db, professionalId: string, id: string, key: string, afterCommit?: AfterCommit): Promise<void> {
    const p = await db.professional.findUnique({ where: { id: professionalId }, include: { staffUser: true } });
    const pseudonym = p?.staffUser?.chatPseudonym;
    if (!pseudonym) return;
    const chat = await db.resident.findUnique({ where: { pseudonym } });
    if (!chat) return;
    const language = chat.language ?? DEFAULT_LANGUAGE;
    const link = this.panelUrl ? `${this.panelUrl.replace(/\/+$/, "")}/admin/handoffs` : "/admin/handoffs";
    await this.messenger.send(db, chat.id, id, this.message(language, `handoff:${key}`, { link }), "staff-notice", { ignoreQuiet: true, ...(afterCommit ? { afterCommit } : {}) });
  }

  /**
   * Sends news to the resident; when they cannot be written to now (quiet, WhatsApp's window) it is kept
   * as a held system message of the case, which they read when they next write.
   */
  async toResident(db: Db, residentId: string, id: string, message: RenderedMessage, kind: string, handoffId: string): Promise<void> {
    const result = await this.messenger.send(db, residentId, id, message, kind);
    if (result === "held" || result === "quiet") {
      await db.handoffMessage.create({ data: { handoffId, author: "system", bodyEnc: this.cipher.encrypt(message.text), createdAt: this.clock(), heldAt: this.clock() } });
    }
  }
}
