import { randomUUID } from "node:crypto";
import type { ChannelSender } from "../channels/send-result.js";
import type { Cipher } from "../crypto/cipher.js";
import type { Logger } from "../logger.js";
import { openPayload, type OutboundPayload } from "../outbox/outbound-payload.js";
import type { SealedHandover } from "../crypto/sealed-handover.js";
import type { SendResult } from "../channels/send-result.js";
import { IN_DOUBT, type OutboxRow, type OutboxStore } from "../storage/outbox-store.js";
import { JOB_BACKOFF_MS, PauseQueue, RetryLater, type Job, type JobQueue, type NewJob } from "./job-queue.js";
import { jobIds, type SendJob } from "./job-schemas.js";
import { slotMs, type KeyedRateLimiter } from "./keyed-rate-limiter.js";
import { UnsettledSends, type SettleResult } from "./unsettled-sends.js";

/** A claim older than this is in doubt: the process died while sending (ms). */
export const CLAIM_LEASE_MS = 60_000;
/** How long a message waits for an earlier one to the same resident (ms). */
const ORDER_WAIT_MS = 100;

/**
 * Sends one batch job has on their way at once on a channel without a rate of its own (its residents side by
 * side, each resident's in order). Under a channel rate each send starts at its own slot instead.
 */
const BATCH_SEND_CONCURRENCY = 16;
/**
 * How far ahead of its turn under the channel's rate a batch claims (ms): the records of a batch are claimed
 * together, so a process that dies leaves at most this much of the channel's pace claimed but unsent (in doubt).
 */
const BATCH_CLAIM_AHEAD_MS = 1_000;

/**
 * How long a batch's round waits for its slowest send before the residents whose records have gone leave the
 * batch (ms): their sends are marked at once and their next records go on in jobs of their own, so one send
 * that hangs (a platform answering late) holds nobody else's next reply.
 */
export const SLOW_ROUND_MS = 2_000;

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
  /** Payloads this process sealed, taken instead of decrypting them. */
  handover?: SealedHandover<OutboundPayload> | undefined;
  log: Logger;
  /** Per chat (Telegram allows about one message a second to one chat); none when the platform has no such limit. */
  perChat?: SharedRate | undefined;
  /** A claim older than this is in doubt (ms); default CLAIM_LEASE_MS. */
  claimLeaseMs?: number | undefined;
  /** For the whole channel, across processes; none when the platform has no such limit. */
  perChannel?: SharedRate | undefined;
  /** Outcomes known but not yet written, shared with the recovery sweep; a private one by default. */
  unsettled?: UnsettledSends | undefined;
  /**
   * This channel's send queue: a send batch hands the records it cannot send now (waiting for an earlier message,
   * the chat's pace, a retry) to jobs of their own there. Required for batch jobs.
   */
  queue?: JobQueue<SendJob> | undefined;
  /** See SLOW_ROUND_MS (ms); default SLOW_ROUND_MS. */
  slowRoundMs?: number | undefined;
};

/** What a round of a send batch tells the batch while it runs. */
type RoundEvents = {
  /** The platform asked the whole channel to slow down. */
  pause: (p: PauseQueue) => void;
  /** The round runs long: these records are settled (sent ones marked), their residents leave the batch now. */
  slow: (settled: ReadonlySet<string>) => Promise<void>;
};

/** What a send that did not go asks of its job next: wait, pause the queue, or retry with backoff; undefined when it is settled. */
type NextStep = RetryLater | PauseQueue | TransientSendError | undefined;

/** A record a send batch leaves to a job of its own, with the claims made on it so far (its job's name) and how long that job waits. */
type HandOff = { row: OutboxRow; attempts: number; delayMs: number };

/**
 * Sends one send record per job, or a batch of them (`handleBatch`). The record is checked and claimed before
 * sending, so a retried or duplicated job never sends twice; messages to one resident go out in order; per-chat
 * limits and platform 429s wait without counting as failures; refusals are recorded at once.
 */
export class OutboundWorker {
  private readonly outbox: OutboxStore;
  private readonly sender: ChannelSender;
  private readonly cipher: Cipher;
  private readonly handover: SealedHandover<OutboundPayload> | undefined;
  private readonly log: Logger;
  private readonly perChat: SharedRate | undefined;
  private readonly claimLeaseMs: number;
  private readonly perChannel: SharedRate | undefined;
  private readonly unsettled: UnsettledSends;
  private readonly queue: JobQueue<SendJob> | undefined;
  private readonly slowRoundMs: number;

  constructor(opts: OutboundWorkerOptions) {
    this.outbox = opts.outbox;
    this.sender = opts.sender;
    this.cipher = opts.cipher;
    this.handover = opts.handover;
    this.log = opts.log;
    this.perChat = opts.perChat;
    this.claimLeaseMs = opts.claimLeaseMs ?? CLAIM_LEASE_MS;
    this.perChannel = opts.perChannel;
    this.unsettled = opts.unsettled ?? new UnsettledSends();
    this.queue = opts.queue;
    this.slowRoundMs = opts.slowRoundMs ?? SLOW_ROUND_MS;
  }

  /** Runs a send job: one record, or a batch. */
  async handle(job: Job<SendJob>): Promise<void> {
    if ("outboundIds" in job.data) return this.handleBatch(job.data.outboundIds);
    return this.handleOne(job.data.outboundId);
  }

  /** Sends one record, or leaves it to whoever holds it; throws what the queue should do next (wait, pause, retry). */
  private async handleOne(id: string): Promise<void> {
    const row = await this.outbox.get(id);
    if (!row) return; // erased since
    const known = await this.unsettled.settle(id, row.status, row.claimToken);
    if (known === "resume") return this.handleOne(id);
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
      const wait = await this.perChat.limiter.reserve(chatKey(row), this.perChat.ratePerSecond);
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
    const { address, message } = openPayload(this.cipher, row.payloadEnc, this.handover);
    const result = await this.sender.send(address, message, { sendId: id });
    if (result.ok) {
      await this.write(id, token, () => this.outbox.markSent(id, row.channel, result.platformMessageId), "settled");
      return;
    }
    const next = await this.settleUnsent(row, token, result);
    if (next) throw next;
  }

  /**
   * Writes and logs what became of a claimed send that did not go (rate limited, refused, in doubt, failed for
   * now), for a job of one record and a batch alike. Returns what the record's job does next; undefined when the
   * send is settled (refused or in doubt).
   */
  private async settleUnsent(row: OutboxRow, token: string, result: Exclude<SendResult, { ok: true }>): Promise<NextStep> {
    const id = row.id;
    if (result.kind === "rate_limited") {
      await this.write(id, token, () => this.outbox.release(id, `rate limited: ${result.reason}`, token), "resume");
      this.log.info({ outbound: id, channel: row.channel, scope: result.scope, waitMs: result.retryAfterMs }, "platform asked to slow down");
      if (result.scope === "channel") return new PauseQueue(result.retryAfterMs, result.reason);
      return new RetryLater(result.retryAfterMs, result.reason);
    }
    if (result.kind === "rejected") {
      await this.write(id, token, () => this.outbox.markFailed(id, result.blocked ? "blocked" : "failed", result.code, result.reason), "settled");
      this.log.warn({ outbound: id, code: result.code }, "platform refused a message");
      return undefined;
    }
    if (result.kind === "in_doubt") {
      const reason = `${result.reason}; not resent unless the platform can prove it did not arrive`;
      if ((await this.write(id, token, () => this.outbox.markInDoubt(id, reason), "settled")) === 0) {
        this.log.info({ outbound: id, channel: row.channel, reason: result.reason }, "send outcome unknown, but a status webhook had already proved it arrived");
        return undefined;
      }
      this.log.warn({ outbound: id, channel: row.channel, reason: result.reason, resend: row.errorCode === IN_DOUBT.resent }, "send outcome unknown: recorded as in doubt, not resent");
      return undefined;
    }
    await this.write(id, token, () => this.outbox.release(id, result.reason, token), "resume");
    this.log.warn({ outbound: id, channel: row.channel, reason: result.reason }, "send failed for now: retrying");
    return new TransientSendError(result.reason);
  }

  /**
   * Sends a batch of records (the replies of one inbound batch on this channel) with a few statements for all of
   * them: one read, one check for residents with an earlier message outside the batch, then per round (each
   * resident's next record; only the first on a channel with a per-chat pace) one claim and one sent mark.
   * Every record is claimed exactly once as in `handleOne`;
   * one resident's records go in `seq` order, the next only once the one before is settled; whatever cannot go
   * now (an earlier message unsent, the chat's pace, a claim someone else holds, a retry) is handed to a job of
   * its own, which handles it exactly as a job of one record does. Outcomes other than "sent" are written by the
   * same code as for one record (`settleUnsent`).
   */
  async handleBatch(ids: readonly string[]): Promise<void> {
    const queue = this.queue;
    if (!queue) throw new Error("OutboundWorker.handleBatch: a send batch needs its channel's queue (OutboundWorkerOptions.queue)");
    const handOffs: HandOff[] = [];
    let paused: PauseQueue | undefined;
    let failure: unknown;
    try {
      const groups = await this.sendableGroups(await this.outbox.getMany(ids), handOffs);
      // Round k sends each resident's k-th record; a resident whose record did not go leaves the batch.
      while (groups.size > 0 && !paused) {
        const round = [...groups.values()].map((rows) => rows[0]!);
        const chunk = this.perChannel ? Math.max(1, Math.floor((this.perChannel.ratePerSecond * BATCH_CLAIM_AHEAD_MS) / 1000)) : round.length;
        for (let i = 0; i < round.length && !paused; i += chunk) {
          const part = round.slice(i, i + chunk);
          const done = await this.sendRound(part, handOffs, {
            pause: (p) => (paused ??= p),
            slow: async (settled) => {
              const early: HandOff[] = [];
              for (const row of part) {
                const rows = groups.get(groupKey(row));
                if (!rows || !settled.has(row.id)) continue;
                early.push(...rows.slice(1).map((r) => ({ row: r, attempts: r.attempts, delayMs: 0 })));
                groups.delete(groupKey(row));
              }
              try {
                await handOn(queue, early);
              } catch (err) {
                handOffs.push(...early); // tried again when the batch ends
                throw err;
              }
            },
          });
          for (const row of part) {
            const rows = groups.get(groupKey(row));
            if (!rows) continue; // left the batch while the round ran long
            if (!done.has(row.id)) {
              // Not sent and not settled: the resident's later records wait for it in jobs of their own.
              handOffs.push(...rows.slice(1).map((r) => ({ row: r, attempts: r.attempts, delayMs: paused?.delayMs ?? 0 })));
              groups.delete(groupKey(row));
            } else if (rows.length === 1) groups.delete(groupKey(row));
            else rows.shift();
          }
        }
        // A chat with its own pace (Telegram: one a second) has just had a message: its next ones wait in jobs of their own.
        if (this.perChat) {
          for (const rows of groups.values()) handOffs.push(...rows.map((r) => ({ row: r, attempts: r.attempts, delayMs: Math.ceil(slotMs(this.perChat!.ratePerSecond)) })));
          groups.clear();
        }
      }
      for (const rows of groups.values()) handOffs.push(...rows.map((r) => ({ row: r, attempts: r.attempts, delayMs: paused?.delayMs ?? 0 })));
    } catch (err) {
      failure = err;
    }
    // Handed on even when the batch failed: a record given back is not left to the sweep.
    await handOn(queue, handOffs);
    if (failure !== undefined) throw failure;
    if (paused) throw paused;
  }

  /**
   * The batch's records that may be sent now, by resident in `seq` order. Settles what this process knows of
   * earlier claims (`UnsettledSends`) and claims whose lease ran out; leaves records someone else holds to their
   * claimant; hands a resident's records to jobs of their own when an earlier message outside the batch is unsent.
   */
  private async sendableGroups(rows: readonly OutboxRow[], handOffs: HandOff[]): Promise<Map<string, OutboxRow[]>> {
    const groups = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const known = await this.unsettled.settle(row.id, row.status, row.claimToken);
      if (known === "resume") {
        handOffs.push({ row, attempts: row.attempts, delayMs: 0 });
        continue;
      }
      if (known === "settled") {
        this.log.info({ outbound: row.id, channel: row.channel }, "send outcome recorded once the database answered again");
        continue;
      }
      if (row.status === "sending") {
        // Its claimant settles it, or gives it back with a job of its own; a claim whose lease ran out is in doubt.
        if (row.claimedAt && Date.now() - row.claimedAt.getTime() > this.claimLeaseMs) await this.settleInDoubt(row.id);
        continue;
      }
      if (row.status !== "pending") continue;
      const key = groupKey(row);
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
    const last = [...groups.values()].filter((g) => g[0]!.residentId !== null).map((g) => ({ residentId: g[0]!.residentId!, seq: g.at(-1)!.seq }));
    const held = await this.outbox.residentsWithEarlierUnsent(last, [...groups.values()].flat().map((r) => r.id), this.claimLeaseMs);
    for (const [key, list] of groups) {
      if (list[0]!.residentId === null || !held.has(list[0]!.residentId)) continue;
      handOffs.push(...list.map((row) => ({ row, attempts: row.attempts, delayMs: 0 })));
      groups.delete(key);
    }
    return groups;
  }

  /**
   * One round of a batch: at most one record per resident. Takes the channel's pace for all of them at once,
   * claims them in one statement, sends them side by side one slot apart, and marks those sent in one statement.
   * Returns the records that are sent or settled (refused, in doubt); the others are handed off.
   */
  private async sendRound(round: readonly OutboxRow[], handOffs: HandOff[], on: RoundEvents): Promise<Set<string>> {
    const done = new Set<string>();
    if (round.length === 0) return done;
    let start = Date.now();
    if (this.perChannel) start += await this.perChannel.limiter.reserveMany(`channel:${round[0]!.channel}`, this.perChannel.ratePerSecond, round.length);
    const interval = this.perChannel ? slotMs(this.perChannel.ratePerSecond) : 0;
    const token = randomUUID();
    const ids = round.map((r) => r.id);
    // Until the claim's answer is in, nothing has been sent: if it is lost, the claims (if made) are given back.
    let claimed: Set<string>;
    try {
      claimed = await this.outbox.claimMany(ids, token);
    } catch (err) {
      for (const id of ids) this.unsettled.remember(id, token, () => this.outbox.release(id, "the claim's answer was lost; nothing was sent", token), "resume");
      throw err;
    }
    const sent: { id: string; channel: string; platformMessageId: string }[] = [];
    let stopped: PauseQueue | undefined;
    let failure: unknown;
    let slot = 0;
    const mine = round.filter((r) => claimed.has(r.id));
    // Under a channel rate every send starts at its own slot, so none waits behind a slow one and none bunches up.
    const running = eachLimited(mine, this.perChannel ? mine.length : BATCH_SEND_CONCURRENCY, async (row) => {
      const at = start + slot++ * interval;
      try {
        if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now()));
        if (stopped) {
          // The platform asked the whole channel to slow down: what has not gone yet is given back.
          await this.write(row.id, token, () => this.outbox.release(row.id, `rate limited: ${stopped!.message}`, token), "resume");
          handOffs.push({ row, attempts: row.attempts + 1, delayMs: stopped.delayMs });
          return;
        }
        if (!row.payloadEnc) {
          await this.write(row.id, token, () => this.outbox.markFailed(row.id, "failed", "no-payload", "nothing to send"), "settled");
          done.add(row.id);
          return;
        }
        // The chat's own pace is taken right before sending, as for one record; a chat not free yet gets its claim back.
        if (this.perChat) {
          const wait = await this.perChat.limiter.reserve(chatKey(row), this.perChat.ratePerSecond);
          if (wait > 0) {
            await this.write(row.id, token, () => this.outbox.release(row.id, "per-chat rate limit", token), "resume");
            handOffs.push({ row, attempts: row.attempts + 1, delayMs: wait });
            return;
          }
        }
        const { address, message } = openPayload(this.cipher, row.payloadEnc, this.handover);
        const result = await this.sender.send(address, message, { sendId: row.id });
        if (result.ok) {
          sent.push({ id: row.id, channel: row.channel, platformMessageId: result.platformMessageId });
          done.add(row.id);
          return;
        }
        const next = await this.settleUnsent(row, token, result);
        if (next === undefined) {
          done.add(row.id);
          return;
        }
        if (next instanceof PauseQueue) {
          stopped ??= next;
          on.pause(next);
        }
        handOffs.push({ row, attempts: row.attempts + 1, delayMs: next instanceof TransientSendError ? JOB_BACKOFF_MS : next.delayMs });
      } catch (err) {
        // A write the database did not take is remembered (`write`); anything else leaves the claim to its lease, as for one record.
        failure ??= err;
        this.log.warn({ err, outbound: row.id, channel: row.channel }, "send in a batch failed");
      }
    });
    // The channel's slots are part of the round's time: the wait for a slow send starts after the last slot.
    const patience = Math.max(0, start + mine.length * interval - Date.now()) + this.slowRoundMs;
    let timer: NodeJS.Timeout | undefined;
    const slow = await Promise.race([running.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), patience)))]);
    clearTimeout(timer);
    if (slow) {
      // A send hangs: what has gone is marked now, and those residents go on without waiting for it.
      try {
        await this.markSent(sent.splice(0), token);
        await on.slow(new Set(done));
      } catch (err) {
        failure ??= err;
      }
      await running;
    }
    await this.markSent(sent, token);
    if (failure !== undefined) throw failure;
    return done;
  }

  /** Marks sends of one claim sent in one statement; if the database does not take it, each outcome is kept to write later. */
  private async markSent(sent: readonly { id: string; channel: string; platformMessageId: string }[], token: string): Promise<void> {
    try {
      await this.outbox.markSentMany(sent);
    } catch (err) {
      for (const s of sent) this.unsettled.remember(s.id, token, () => this.outbox.markSent(s.id, s.channel, s.platformMessageId), "settled");
      throw err;
    }
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

  /**
   * After the last attempt: record the failure in plain words. A batch job records nothing: its records were
   * never all tried, and the recovery sweep gives each left pending or claimed a job of its own.
   */
  async giveUp(job: Job<SendJob>, err: unknown): Promise<void> {
    if ("outboundIds" in job.data) {
      this.log.warn({ err, records: job.data.outboundIds.length }, "send batch given up after retries; the recovery sweep queues its records one by one");
      return;
    }
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

/** Gives records a batch does not send to jobs of their own, named by the record and the claims made on it so far. */
async function handOn(queue: JobQueue<SendJob>, handOffs: readonly HandOff[]): Promise<void> {
  if (handOffs.length === 0) return;
  await queue.requeue(handOffs.map((h): NewJob<SendJob> => ({ id: jobIds.outbound(h.row.id, h.attempts), data: { outboundId: h.row.id }, ...(h.delayMs > 0 ? { delayMs: h.delayMs } : {}) })));
}

/** Which records of a batch go in order: one resident's, or a record to nobody-any-more on its own. */
function groupKey(row: OutboxRow): string {
  return row.residentId ?? `record:${row.id}`;
}

/** The key of the chat's own pace (as `handleOne` takes it). */
function chatKey(row: OutboxRow): string {
  return `${row.channel}:${row.residentId ?? row.id}`;
}

/** Runs `task` for each item, at most `limit` at once, starting them in order. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
