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
      const sendId = s.biz_opaque_callback_data;
      const error = job.errorCode ? { code: job.errorCode, reason: job.errorReason ?? "" } : undefined;
      if (sendId && (await this.outbox.confirmInDoubt(sendId, channel, s.id, s.status, new Date(job.at), error)) > 0) {
        this.log?.info({ outbound: sendId, channel, status: s.status }, "send in doubt proved by a status webhook: settled, not resent");
        this.observe?.(channel, "in_doubt_confirmed");
        continue;
      }
      if ((await this.#apply(job)) > 0) continue;
      // The status beat the send's own outcome (a late or lost answer, a process that stopped mid-send): the
      // proof is kept now; waiting for the outcome could lose it and the send would be resent.
      if (sendId && (await this.outbox.proveInFlight(sendId, channel, s.id, s.status, new Date(job.at), error)) > 0) {
        this.log?.info({ outbound: sendId, channel, status: s.status }, "a status webhook proved a send still waiting for the platform's answer: settled, never in doubt");
        continue;
      }
      later.push(job);
    }
    await this.retry.add(later.map((j) => ({ id: jobIds.status(j.platformMessageId, j.status, 1), data: { ...j, tries: 1 }, delayMs: 2_000 })));
  }

  async handle(job: Job<StatusJob>): Promise<void> {
    const j = job.data;
    if ((await this.#apply(j)) > 0 || j.tries >= MAX_TRIES) return;
    await this.retry.add([{ id: jobIds.status(j.platformMessageId, j.status, j.tries + 1), data: { ...j, tries: j.tries + 1 }, delayMs: 2_000 * (j.tries + 1) }]);
  }

  #apply(j: StatusJob): Promise<number> {
    const error = j.errorCode ? { code: j.errorCode, reason: j.errorReason ?? "" } : undefined;
    return this.outbox.applyStatus(j.channel, j.platformMessageId, j.status, new Date(j.at), error);
  }
}
