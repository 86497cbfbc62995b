import type { RenderedMessage } from "../channels/rendered-message.js";
import type { OutboundPayload } from "../conversation/conversation-service.js";
import type { Cipher } from "../crypto/cipher.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { JobQueue } from "../queues/job-queue.js";
import { jobIds, type OutboundJob } from "../queues/job-schemas.js";
import { WINDOW_MARGIN_MS } from "../broadcasts/broadcast-service.js";

type Db = Prisma.TransactionClient | PrismaClient;

const WINDOW_MS = 24 * 3_600_000;

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
    private readonly outbound: ReadonlyMap<string, JobQueue<OutboundJob>>,
    private readonly noticeTemplate: { name: string; languages: readonly string[] } | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Whether this resident can be written to now: not quiet, and (WhatsApp) inside the window. */
  async canWriteFirst(db: Db, residentId: string): Promise<boolean> {
    const r = await db.resident.findUnique({ where: { id: residentId }, select: { quiet: true, channel: true, lastInboundAt: true } });
    return !!r && !r.quiet && !this.#windowClosed(r.channel, r.lastInboundAt);
  }

  #windowClosed(channel: string, lastInboundAt: Date | null): boolean {
    return channel === "whatsapp" && (!lastInboundAt || this.clock().getTime() - lastInboundAt.getTime() > WINDOW_MS - WINDOW_MARGIN_MS);
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
    opts: { ignoreQuiet?: boolean; sink?: { id: string; channel: string }[] } = {},
  ): Promise<FirstMessageResult> {
    const r = await db.resident.findUnique({ where: { id: residentId } });
    if (!r || !this.outbound.has(r.channel)) return "gone";
    if (r.quiet && !opts.ignoreQuiet) return "quiet";
    if (this.#windowClosed(r.channel, r.lastInboundAt)) {
      if (!this.noticeTemplate) return "quiet";
      const languages = this.noticeTemplate.languages;
      const language = languages.find((l) => l === message.language || l.startsWith(`${message.language}_`)) ?? languages[0]!;
      const notice: RenderedMessage = { ...message, choices: [], template: { name: this.noticeTemplate.name, language, params: [] } };
      await this.#queue(db, r, `${id}-notice`, notice, `${kind}-notice`, opts.sink);
      return "held";
    }
    await this.#queue(db, r, id, message, kind, opts.sink);
    return "queued";
  }

  /** Queues jobs for send records written inside a transaction that has committed since. */
  async flush(refs: readonly { id: string; channel: string }[]): Promise<void> {
    for (const r of refs) await this.outbound.get(r.channel)?.add([{ id: jobIds.outbound(r.id), data: { outboundId: r.id } }]);
  }

  async #queue(db: Db, r: { id: string; channel: string; addressEnc: string }, id: string, message: RenderedMessage, kind: string, sink?: { id: string; channel: string }[]): Promise<void> {
    const payload: OutboundPayload = { address: this.cipher.decrypt(r.addressEnc), message };
    const created = await db.outboundMessage.createMany({
      data: [{ id, residentId: r.id, channel: r.channel, kind, payloadEnc: this.cipher.encryptJson(payload) }],
      skipDuplicates: true,
    });
    // A job for an existing record is harmless too (the worker checks the record); only new ones need one.
    // Inside a transaction the job waits for the commit (`sink`), or the worker could look too early.
    if (created.count === 0) return;
    if (sink) sink.push({ id, channel: r.channel });
    else await this.outbound.get(r.channel)?.add([{ id: jobIds.outbound(id), data: { outboundId: id } }]);
  }
}
