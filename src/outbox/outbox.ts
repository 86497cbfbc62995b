import type { RenderedMessage } from "../channels/rendered-message.js";
import type { Cipher } from "../crypto/cipher.js";
import type { JobQueue } from "../queues/job-queue.js";
import { jobIds, MAX_SEND_BATCH, type SendJob } from "../queues/job-schemas.js";
import { sealPayload, type OutboundPayload } from "./outbound-payload.js";
import type { SealedHandover } from "../crypto/sealed-handover.js";
import { insertSendRows, type NewSendRow } from "../storage/outbox-store.js";
import type { Db } from "../storage/db-client.js";

/** What a send job needs to know of its record. */
export type OutboundRef = { id: string; channel: string };

/**
 * Send records written inside a transaction, to be queued once it has committed (`Outbox.queue`): a job
 * queued earlier could reach the worker before the record is visible, and a rolled-back record must not
 * be sent at all.
 */
export type AfterCommit = OutboundRef[];

/** One send record to write. The id is deterministic (a retry writes the same record, so it is sent once). */
export type SendRecord = {
  id: string;
  /** Null for a message to nobody-any-more (the goodbye after an erasure). */
  residentId: string | null;
  channel: string;
  /** What kind of message, as counted and shown: `reply`, `broadcast`, `handoff`, `staff-notice`… */
  kind: string;
  broadcastId?: string;
} & (
  | { address: string; message: RenderedMessage }
  /** Known to be unsendable when written (e.g. no WhatsApp template for a closed window): recorded as failed. */
  | { failed: { at: Date; code: string; reason: string } }
);

/**
 * The transactional outbox: writes send records (payload encrypted) in the caller's transaction, and queues
 * them after the commit: one send job per record (`queue`), or one per channel for records written together
 * (`queueBatches`). The send worker checks and claims each record before sending.
 */
export class Outbox {
  constructor(
    private readonly cipher: Cipher,
    /** The send queue of each channel that is switched on. */
    readonly queues: ReadonlyMap<string, JobQueue<SendJob>>,
    /** Hands each payload to this process's send of it, which then need not decrypt it. */
    private readonly handover?: SealedHandover<OutboundPayload>,
  ) {}

  /** Channels that can send now. */
  get channels(): string[] {
    return [...this.queues.keys()];
  }

  /**
   * Writes send records. With `skipDuplicates` a record whose id exists is left as it is (a timer or fan-out
   * that runs twice); without it a duplicate throws. Returns how many records are new.
   */
  async write(db: Db, records: readonly SendRecord[], opts: { skipDuplicates: boolean }): Promise<number> {
    const rows = records.map((r): NewSendRow => ({
      id: r.id,
      residentId: r.residentId,
      channel: r.channel,
      kind: r.kind,
      broadcastId: r.broadcastId ?? null,
      payloadEnc: "failed" in r ? null : sealPayload(this.cipher, { address: r.address, message: r.message }, this.handover),
      failed: "failed" in r ? r.failed : null,
    }));
    return insertSendRows(db, rows, opts);
  }

  /**
   * Writes one record and queues it: at once, or — inside a transaction, with `afterCommit` — once the caller
   * has committed and calls `queue(afterCommit)`. A record that exists already is left alone (false): its job
   * was queued when it was written.
   */
  async send(db: Db, record: SendRecord, afterCommit?: AfterCommit): Promise<boolean> {
    if ((await this.write(db, [record], { skipDuplicates: true })) === 0) return false;
    const ref = { id: record.id, channel: record.channel };
    if (afterCommit) afterCommit.push(ref);
    else await this.queue([ref]);
    return true;
  }

  /**
   * Queues one send job per record, on its channel's queue (job ids are deterministic, so queuing twice
   * merges). A channel switched off since: its records wait for the recovery sweep.
   */
  async queue(refs: readonly OutboundRef[], priority?: number): Promise<void> {
    for (const channel of new Set(refs.map((r) => r.channel))) {
      const jobs = refs.filter((r) => r.channel === channel).map((r) => ({ id: jobIds.outbound(r.id), data: { outboundId: r.id }, ...(priority === undefined ? {} : { priority }) }));
      await this.queues.get(channel)?.add(jobs);
    }
  }

  /**
   * Queues records written together (the replies of one inbound batch) as one send batch job per channel (in
   * pieces of at most MAX_SEND_BATCH), each named by its records (`jobIds.outboundBatch`); a channel with one
   * record gets a job of one record, as `queue` gives it. With `requeue`, so a batch job that finished before a
   * database restore is run again for the same records written again; anything a batch cannot send it hands to
   * jobs of one record, and the recovery sweep still finds whatever is left waiting. The jobs run in this process
   * when it has send workers (`inProcess`): the records are claimed in the database either way.
   */
  async queueBatches(refs: readonly OutboundRef[]): Promise<void> {
    for (const channel of new Set(refs.map((r) => r.channel))) {
      const queue = this.queues.get(channel);
      if (!queue) continue;
      const ids = [...new Set(refs.filter((r) => r.channel === channel).map((r) => r.id))];
      if (ids.length === 1) {
        await queue.add([{ id: jobIds.outbound(ids[0]!), data: { outboundId: ids[0]! }, inProcess: true }]);
        continue;
      }
      const jobs = [];
      for (let i = 0; i < ids.length; i += MAX_SEND_BATCH) {
        const part = ids.slice(i, i + MAX_SEND_BATCH);
        jobs.push({ id: jobIds.outboundBatch(part), data: { outboundIds: part }, inProcess: true });
      }
      await queue.requeue(jobs);
    }
  }
}
