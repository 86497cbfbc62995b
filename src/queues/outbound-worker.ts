import { randomUUID } from "node:crypto";
import type { ChannelSender } from "../channels/send-result.js";
import type { Cipher } from "../crypto/cipher.js";
import type { Logger } from "../logger.js";
import { openPayload } from "../outbox/outbound-payload.js";
import { IN_DOUBT, type OutboxStore } from "../storage/outbox-store.js";
import { PauseQueue, RetryLater, type Job } from "./job-queue.js";
import type { OutboundJob } from "./job-schemas.js";
import type { KeyedRateLimiter } from "./keyed-rate-limiter.js";
import { UnsettledSends, type SettleResult } from "./unsettled-sends.js";

/** A claim older than this is in doubt: the process died while sending (ms). */
export const CLAIM_LEASE_MS = 60_000;
/** How long a message waits for an earlier one to the same resident (ms). */
const ORDER_WAIT_MS = 100;

/** Why a send whose claim ran out is in doubt. */
export const STOPPED_MID_SEND = "the sending process stopped mid-send; not resent unless the platform can prove it did not arrive";

/** Thrown for a transient failure so the queue retries with backoff. */
export class TransientSendError extends Error {
  override name = "TransientSendError";
}

/** A rate shared through a keyed limiter (Redis when there is one), in messages per second. */
export type SharedRate = { limiter: KeyedRateLimiter; ratePerSecond: number };

/** What one channel's send worker needs. */
export type OutboundWorkerOptions = {
  outbox: OutboxStore;
  sender: ChannelSender;
  cipher: Cipher;
  log: Logger;
  /** Per chat (Telegram allows about one message a second to one chat); none when the platform has no such limit. */
  perChat?: SharedRate | undefined;
  /** A claim older than this is in doubt (ms); default CLAIM_LEASE_MS. */
  claimLeaseMs?: number | undefined;
  /** For the whole channel, across processes; none when the platform has no such limit. */
  perChannel?: SharedRate | undefined;
  /** Outcomes known but not yet written, shared with the recovery sweep; a private one by default. */
  unsettled?: UnsettledSends | undefined;
};

/**
 * Sends one send record per job. The record is checked and claimed before sending, so a retried or
 * duplicated job never sends twice; messages to one resident go out in order; per-chat limits and
 * platform 429s wait without counting as failures; refusals are recorded at once.
 */
export class OutboundWorker {
  private readonly outbox: OutboxStore;
  private readonly sender: ChannelSender;
  private readonly cipher: Cipher;
  private readonly log: Logger;
  private readonly perChat: SharedRate | undefined;
  private readonly claimLeaseMs: number;
  private readonly perChannel: SharedRate | undefined;
  private readonly unsettled: UnsettledSends;

  constructor(opts: OutboundWorkerOptions) {
    this.outbox = opts.outbox;
    this.sender = opts.sender;
    this.cipher = opts.cipher;
    this.log = opts.log;
    this.perChat = opts.perChat;
    this.claimLeaseMs = opts.claimLeaseMs ?? CLAIM_LEASE_MS;
    this.perChannel = opts.perChannel;
    this.unsettled = opts.unsettled ?? new UnsettledSends();
  }

  async handle(job: Job<OutboundJob>): Promise<void> {
    const id = job.data.outboundId;
    const row = await this.outbox.get(id);
    if (!row) return; // erased since
    const known = await this.unsettled.settle(id, row.status, row.claimToken);
    if (known === "resume") return this.handle(job);
    if (known === "settled") {
      this.log.info({ outbound: id, channel: row.channel }, "send outcome recorded once the database answered again");
      return;
    }
    if (row.status === "sending") {
      if (row.claimedAt && Date.now() - row.claimedAt.getTime() > this.claimLeaseMs) {
        await this.settleInDoubt(id);
        return;
      }
      throw new RetryLater(1_000, "claimed by another worker");
    }
    if (row.status !== "pending") return; // sent, failed, blocked or cancelled already
    if (row.residentId && (await this.outbox.hasEarlierUnsent(row.residentId, row.seq, this.claimLeaseMs))) {
      throw new RetryLater(ORDER_WAIT_MS, "an earlier message to this resident is not sent yet");
    }
    if (this.perChannel) {
      // The platform counts arrivals, so the channel's pace is kept right before sending, evenly spaced
      // (the queue's own limiter counts job starts, which database work can bunch up).
      for (;;) {
        const wait = await this.perChannel.limiter.reserve(`channel:${row.channel}`, this.perChannel.ratePerSecond);
        if (wait === 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    // The chat's own pace is taken last, right before sending, so no wait for the channel can eat into it.
    if (this.perChat) {
      const wait = await this.perChat.limiter.reserve(`${row.channel}:${row.residentId ?? row.id}`, this.perChat.ratePerSecond);
      if (wait > 0) throw new RetryLater(wait, "per-chat rate limit");
    }
    const token = randomUUID();
    // Until the claim's answer is in, nothing has been sent: if it is lost, the claim (if it was made) is given back.
    const claimed = await this.record(id, token, () => this.outbox.release(id, "the claim's answer was lost; nothing was sent", token), "resume", () => this.outbox.claim(id, token));
    if (!claimed) return;
    if (!row.payloadEnc) {
      await this.outbox.markFailed(id, "failed", "no-payload", "nothing to send");
      return;
    }
    const { address, message } = openPayload(this.cipher, row.payloadEnc);
    const result = await this.sender.send(address, message, { sendId: id });
    if (result.ok) {
      await this.write(id, token, () => this.outbox.markSent(id, row.channel, result.platformMessageId), "settled");
      return;
    }
    if (result.kind === "rate_limited") {
      await this.write(id, token, () => this.outbox.release(id, `rate limited: ${result.reason}`, token), "resume");
      this.log.info({ outbound: id, channel: row.channel, scope: result.scope, waitMs: result.retryAfterMs }, "platform asked to slow down");
      if (result.scope === "channel") throw new PauseQueue(result.retryAfterMs, result.reason);
      throw new RetryLater(result.retryAfterMs, result.reason);
    }
    if (result.kind === "rejected") {
      await this.write(id, token, () => this.outbox.markFailed(id, result.blocked ? "blocked" : "failed", result.code, result.reason), "settled");
      this.log.warn({ outbound: id, code: result.code }, "platform refused a message");
      return;
    }
    if (result.kind === "in_doubt") {
      const reason = `${result.reason}; not resent unless the platform can prove it did not arrive`;
      if ((await this.write(id, token, () => this.outbox.markInDoubt(id, reason), "settled")) === 0) {
        this.log.info({ outbound: id, channel: row.channel, reason: result.reason }, "send outcome unknown, but a status webhook had already proved it arrived");
        return;
      }
      this.log.warn({ outbound: id, channel: row.channel, reason: result.reason, resend: row.errorCode === IN_DOUBT.resent }, "send outcome unknown: recorded as in doubt, not resent");
      return;
    }
    await this.write(id, token, () => this.outbox.release(id, result.reason, token), "resume");
    this.log.warn({ outbound: id, channel: row.channel, reason: result.reason }, "send failed for now: retrying");
    throw new TransientSendError(result.reason);
  }

  /** Runs `write`, the record of what happened to this claim; if the database does not take it, the outcome is kept to write later. */
  private async write<T>(id: string, token: string, write: () => Promise<T>, then: SettleResult): Promise<T> {
    return this.record(id, token, write, then, write);
  }

  /** Runs `statement`; if it fails, `settle` is kept as what this claim's outcome is, for the job's next attempt or the sweep. */
  private async record<T>(id: string, token: string, settle: () => Promise<unknown>, then: SettleResult, statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (err) {
      this.unsettled.remember(id, token, settle, then);
      throw err;
    }
  }

  /** After the last attempt: record the failure in plain words. */
  async giveUp(job: Job<OutboundJob>, err: unknown): Promise<void> {
    const row = await this.outbox.get(job.data.outboundId);
    if (row && (await this.unsettled.settle(row.id, row.status, row.claimToken)) === "settled") return;
    const reason = err instanceof Error ? err.message : String(err);
    await this.outbox.markFailed(job.data.outboundId, "failed", "gave-up", `could not reach the platform after ${job.attemptsMade} attempts: ${reason}`);
    this.log.error({ outbound: job.data.outboundId, err }, "message given up after retries");
  }

  /** Sent or not, nobody can tell; not resending without evidence is the promise that nobody gets two copies. */
  async settleInDoubt(id: string): Promise<void> {
    if ((await this.outbox.markInDoubt(id, STOPPED_MID_SEND)) > 0) this.log.warn({ outbound: id }, "send outcome unknown (its claim ran out): recorded as in doubt, not resent");
  }
}
