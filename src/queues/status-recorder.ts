import type { WhatsAppStatus } from "../channels/whatsapp/whatsapp-payload-schema.js";
import type { Logger } from "../logger.js";
import type { OutboxStore } from "../storage/outbox-store.js";
import type { Job, JobQueue } from "./job-queue.js";
import { jobIds, type StatusJob } from "./job-schemas.js";

/** How often a status that names no known message is tried again (it may beat our own "sent"). */
const MAX_TRIES = 5;

/** How a send left in doubt was resolved; counted as `naast_sends_total{result}`. */
export type InDoubtOutcome = "in_doubt_confirmed" | "in_doubt_resent";

/**
 * Records platform status callbacks (sent, delivered, read, failed) on the send records. A status that
 * echoes a send record's id (`biz_opaque_callback_data`) proves a send left in doubt: it is settled, never resent.
 */
export class StatusRecorder {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly retry: JobQueue<StatusJob>,
    /** Told of each send in doubt a status proved. */
    private readonly observe?: (channel: string, outcome: InDoubtOutcome) => void,
    /** Each send a status proved before or after it was in doubt is logged here. */
    private readonly log?: Logger,
  ) {}

  async record(channel: string, statuses: readonly WhatsAppStatus[]): Promise<void> {
    const later: StatusJob[] = [];
    for (const s of statuses) {
      const job: StatusJob = {
        channel,
        platformMessageId: s.id,
        status: s.status,
        at: s.timestamp ? Number(s.timestamp) * 1000 : Date.now(),
        errorCode: s.errors?.[0] ? `whatsapp-${s.errors[0].code}` : undefined,
        errorReason: s.errors?.[0] ? [s.errors[0].title, s.errors[0].message].filter(Boolean).join(" — ") : undefined,
        tries: 0,
      };
      if (s.biz_opaque_callback_data) job.sendId = s.biz_opaque_callback_data;
      if (await this.#settle(job)) continue;
      later.push(job);
    }
    await this.retry.add(later.map((j) => ({ id: jobIds.status(j.platformMessageId, j.status, 1), data: { ...j, tries: 1 }, delayMs: 2_000 })));
  }

  async handle(job: Job<StatusJob>): Promise<void> {
    const j = job.data;
    if ((await this.#settle(j)) || j.tries >= MAX_TRIES) return;
    await this.retry.add([{ id: jobIds.status(j.platformMessageId, j.status, j.tries + 1), data: { ...j, tries: j.tries + 1 }, delayMs: 2_000 * (j.tries + 1) }]);
  }

  /**
   * Applies a status to its send record: as proof for a send in doubt, as a status of a send that went, or as
   * proof for a send still waiting for its answer. A retry asks all three again: a status that came while its
   * send was between states (its claim given back, its answer being written) must not be lost, or the send in
   * doubt it proves would be sent once more.
   */
  async #settle(j: StatusJob): Promise<boolean> {
    const error = j.errorCode ? { code: j.errorCode, reason: j.errorReason ?? "" } : undefined;
    if (j.sendId && (await this.outbox.confirmInDoubt(j.sendId, j.channel, j.platformMessageId, j.status, new Date(j.at), error)) > 0) {
      this.log?.info({ outbound: j.sendId, channel: j.channel, status: j.status, tries: j.tries }, "send in doubt proved by a status webhook: settled, not resent");
      this.observe?.(j.channel, "in_doubt_confirmed");
      return true;
    }
    if ((await this.outbox.applyStatus(j.channel, j.platformMessageId, j.status, new Date(j.at), error)) > 0) return true;
    // The status beat the send's own outcome (a late or lost answer, a process that stopped mid-send): the
    // proof is kept now; waiting for the outcome could lose it and the send would be resent.
    if (j.sendId && (await this.outbox.proveInFlight(j.sendId, j.channel, j.platformMessageId, j.status, new Date(j.at), error)) > 0) {
      this.log?.info({ outbound: j.sendId, channel: j.channel, status: j.status, tries: j.tries }, "a status webhook proved a send still waiting for the platform's answer: settled, never in doubt");
      return true;
    }
    return false;
  }
}
