import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * "A batch is due": wakes the inbound batch worker, which takes every message stored before the job began
 * (InboundWorker). The pseudonym is the resident of the message that caused it, for the logs of old jobs and
 * the recovery sweep; order per resident is kept by the batch claim, not by the job.
 */
export const inboundJobSchema = z.object({ pseudonym: z.string().regex(/^[0-9a-f]{64}$/) });
export type InboundJob = z.infer<typeof inboundJobSchema>;

/** "Send this send record": the record itself says what and where. */
export const outboundJobSchema = z.object({ outboundId: z.string().min(1).max(200) });
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/** Send records one batch job names at most (the replies of one inbound batch on one channel, in pieces of this size). */
export const MAX_SEND_BATCH = 200;

/**
 * "Send these send records": the replies one inbound batch wrote for one channel, sent by one job
 * (`OutboundWorker.handleBatch`). Each record is still checked and claimed on its own terms.
 */
export const outboundBatchJobSchema = z.object({ outboundIds: z.array(z.string().min(1).max(200)).min(1).max(MAX_SEND_BATCH) });
export type OutboundBatchJob = z.infer<typeof outboundBatchJobSchema>;

/** What a channel's send queue carries: one record, or a batch of them. */
export const sendJobSchema = z.union([outboundJobSchema, outboundBatchJobSchema]);
export type SendJob = z.infer<typeof sendJobSchema>;

/** "Fan this broadcast out (or resume it)": safe to run any number of times. */
export const broadcastJobSchema = z.object({ broadcastId: z.uuid() });
export type BroadcastJob = z.infer<typeof broadcastJobSchema>;

/** A status callback that arrived before its send record knew the platform id. */
export const statusJobSchema = z.object({
  channel: z.string(),
  platformMessageId: z.string(),
  status: z.string(),
  at: z.number(),
  errorCode: z.string().optional(),
  errorReason: z.string().optional(),
  /** Naast's own send id, echoed in `biz_opaque_callback_data`: lets a retry still prove a send in doubt or in flight. */
  sendId: z.string().optional(),
  tries: z.number().int().default(0),
});
export type StatusJob = z.infer<typeof statusJobSchema>;

/** Job ids: deterministic, and without ':' (BullMQ reserves it). */
export const jobIds = {
  /**
   * Waking the batch worker for the messages one insert stored: named by the first one's keyed platform id, not the inbox's
   * sequence number, which a restored database hands out again while Redis still remembers the old job.
   * The recovery sweep names its wake-up for a resident's oldest waiting message the same way, so a
   * sweep while that job still waits adds nothing.
   */
  inboundMessage: (channel: string, keyedPlatformId: string) => `inm_${channel}_${safe(keyedPlatformId)}`,
  /** A worker that handled its share of one resident's messages hands on after this message (keyed id). */
  inboundMore: (channel: string, keyedPlatformId: string) => `inm_${channel}_${safe(keyedPlatformId)}_more`,
  /**
   * Sending one send record. Named by the record and its attempt number (claims made so far): the
   * first job and every re-queue of it are the same job, so a sweep that finds the record still
   * waiting adds nothing; a record given back after a claim, or put back to be resent, gets one new job.
   */
  outbound: (outboundId: string, attempts = 0) => (attempts > 0 ? `out_${outboundId}_a${attempts}` : `out_${outboundId}`),
  /**
   * Sending a batch of send records: named by a hash of their sorted ids, which are deterministic and survive a
   * database restore (unlike `seq`), so the same records always make the same job. Queued with `requeue`: a job
   * that finished before a restore is run again for the records written again.
   */
  outboundBatch: (outboundIds: readonly string[]) => `outb_${createHash("sha256").update([...outboundIds].sort().join("\n")).digest("hex").slice(0, 40)}`,
  /**
   * Fanning a broadcast out, or resuming it: one id per broadcast (ids are UUIDs, never handed out twice), so
   * a sweep during a long fan-out adds no second one; the sweep re-queues it with `requeue`, which runs it
   * again once an earlier job has finished.
   */
  broadcast: (broadcastId: string) => `bc_${broadcastId}`,
  /**
   * A planned broadcast the sweep finds due while its delayed job waits (its delay was reckoned on Naast's
   * clock, which tests move): a second, named job, so it is not held back by the delayed one.
   */
  broadcastDue: (broadcastId: string) => `bc_${broadcastId}_due`,
  status: (platformMessageId: string, status: string, tries: number) =>
    `st_${safe(platformMessageId)}_${status}_${tries}`,
};

/** An id part without ':' (BullMQ reserves it) or anything else unusual. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9_.=-]/g, "_");
}
