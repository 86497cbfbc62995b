import type { RenderedMessage } from "../channels/rendered-message.js";
import { templateLanguage, windowClosed } from "../channels/whatsapp/whatsapp-window.js";
import type { Cipher } from "../crypto/cipher.js";
import type { AfterCommit, Outbox } from "../outbox/outbox.js";
import type { Db } from "../storage/db-client.js";

/** What happened to a message Naast wanted to send first. */
export type FirstMessageResult =
  /** Queued for sending. */
  | "queued"
  /** WhatsApp's window is closed: the neutral template went out; hold the message until the resident writes. */
  | "held"
  /** The resident asked never to be messaged first: hold it until they write. */
  | "quiet"
  /** The resident erased themselves or cannot be reached on this channel. */
  | "gone";

/**
 * Messages Naast sends without being asked in that moment (a professional's reply, a delay notice, a
 * check-in). Each has a deterministic id, so a timer that runs twice sends once. Quiet mode and WhatsApp's
 * 24-hour window are respected here, in one place; a closed window gets only a neutral template.
 */
export class ResidentMessenger {
  constructor(
    private readonly cipher: Cipher,
    private readonly outbox: Outbox,
    private readonly noticeTemplate: { name: string; languages: readonly string[] } | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Whether this resident can be written to now: not quiet, and (WhatsApp) inside the window. */
  async canWriteFirst(db: Db, residentId: string): Promise<boolean> {
    const r = await db.resident.findUnique({ where: { id: residentId }, select: { quiet: true, channel: true, lastInboundAt: true } });
    return !!r && !r.quiet && !windowClosed(r.channel, r.lastInboundAt, this.clock());
  }

  /**
   * Sends `message` to the resident first, or says why it must wait. `id` must be unique for this
   * message (e.g. `ho-<handoff>-checkin`); `kind` is recorded on the send record.
   */
  async send(
    db: Db,
    residentId: string,
    id: string,
    message: RenderedMessage,
    kind: string,
    opts: { ignoreQuiet?: boolean; afterCommit?: AfterCommit } = {},
  ): Promise<FirstMessageResult> {
    const r = await db.resident.findUnique({ where: { id: residentId } });
    if (!r || !this.outbox.queues.has(r.channel)) return "gone";
    if (r.quiet && !opts.ignoreQuiet) return "quiet";
    if (windowClosed(r.channel, r.lastInboundAt, this.clock())) {
      if (!this.noticeTemplate) return "quiet";
      const language = templateLanguage(this.noticeTemplate.languages, message.language);
      const notice: RenderedMessage = { ...message, choices: [], template: { name: this.noticeTemplate.name, language, params: [] } };
      await this.#send(db, r, `${id}-notice`, notice, `${kind}-notice`, opts.afterCommit);
      return "held";
    }
    await this.#send(db, r, id, message, kind, opts.afterCommit);
    return "queued";
  }

  async #send(db: Db, r: { id: string; channel: string; addressEnc: string }, id: string, message: RenderedMessage, kind: string, afterCommit?: AfterCommit): Promise<void> {
    await this.outbox.send(db, { id, residentId: r.id, channel: r.channel, kind, address: this.cipher.decrypt(r.addressEnc), message }, afterCommit);
  }
}
