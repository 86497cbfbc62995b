import type { Logger } from "../logger.js";
import type { Accepted, InboxStore } from "../storage/inbox-store.js";
import type { OutboxStore } from "../storage/outbox-store.js";
import type { WebMailboxStore } from "../storage/web-mailbox-store.js";
import type { JobQueue, NewJob } from "./job-queue.js";
import type { BroadcastService } from "../broadcasts/broadcast-service.js";
import { BROADCAST_PRIORITY } from "../broadcasts/broadcast-service.js";
import { jobIds, type BroadcastJob, type InboundJob, type SendJob } from "./job-schemas.js";
import { CLAIM_LEASE_MS, STOPPED_MID_SEND } from "./outbound-worker.js";
import type { UnsettledSends } from "./unsettled-sends.js";

/** Residents with waiting messages looked up per query, and at most this many pages a sweep. */
const INBOUND_PAGE = 500;
const MAX_INBOUND_PAGES = 40;

/** Work older than this without progress is put back on the queue (ms). */
const STALE_MS = 30_000;

/** The stores and queues a sweep reconciles, and the periodic work it also runs. */
export type RecoverySweeperOptions = {
  inbox: InboxStore;
  outbox: OutboxStore;
  mailbox: WebMailboxStore;
  inbound: JobQueue<InboundJob>;
  /** One send queue per channel. */
  outbound: ReadonlyMap<string, JobQueue<SendJob>>;
  log: Logger;
  /** A claim older than this is in doubt (ms); default CLAIM_LEASE_MS. */
  claimLeaseMs?: number;
  /** Outcomes this process's send workers know but could not write: written before a claim is judged in doubt. */
  unsettled?: UnsettledSends;
  broadcasts?: { service: Pick<BroadcastService, "resumable" | "settleRunning">; queue: JobQueue<BroadcastJob> };
  /** Promises with a time on them (handoff reminders, escalations, check-ins), kept in the database. */
  timers?: () => Promise<number>;
  /**
   * WhatsApp sends left in doubt are sent once more when no status webhook has proved them within `afterMs`
   * (measured on `clock`, Naast's clock); `observe` is told of each.
   */
  inDoubtResend?: { channels: readonly string[]; afterMs: number; clock: () => Date; observe?: (channel: string, outcome: "in_doubt_resent") => void };
  /** Forgetting what is no longer needed (inactive residents, old send ids, spent counters); not at start-up. */
  housekeeping?: () => Promise<void>;
};

/**
 * The database is the truth; queues only carry work. After a crash, a restart or a lost Redis, this
 * puts waiting inbox messages and unsent send records back on their queues, settles claims left
 * in doubt, and prunes what is no longer needed.
 */
export class RecoverySweeper {
  #timer?: NodeJS.Timeout | undefined;
  #running = false;

  private readonly inbox: InboxStore;
  private readonly outbox: OutboxStore;
  private readonly mailbox: WebMailboxStore;
  private readonly inbound: JobQueue<InboundJob>;
  private readonly outbound: ReadonlyMap<string, JobQueue<SendJob>>;
  private readonly log: Logger;
  private readonly extra: RecoverySweeperOptions;

  constructor(opts: RecoverySweeperOptions) {
    this.inbox = opts.inbox;
    this.outbox = opts.outbox;
    this.mailbox = opts.mailbox;
    this.inbound = opts.inbound;
    this.outbound = opts.outbound;
    this.log = opts.log;
    this.extra = opts;
  }

  start(everySeconds: number): void {
    void this.sweep(0);
    this.#timer = setInterval(() => void this.sweep(STALE_MS), everySeconds * 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** One sweep; `olderThanMs` 0 at start-up takes everything left over. Returns what it re-queued. */
  async sweep(olderThanMs: number): Promise<{ inbound: number; outbound: number; inDoubt: number }> {
    if (this.#running) return { inbound: 0, outbound: 0, inDoubt: 0 };
    this.#running = true;
    try {
      // Every resident with a message waiting, a page at a time (a backlog after a restart is worked off at
      // once, not 500 residents a sweep). Named by each resident's oldest waiting message, as Ingest named its
      // wake-up: a job that still waits makes this a no-op, one that finished with the message still waiting
      // is run again (`requeue`).
      const waiting: Accepted[] = [];
      for (let page = 0; page < MAX_INBOUND_PAGES; page++) {
        const rows = await this.inbox.stalePseudonyms(olderThanMs, INBOUND_PAGE, waiting.at(-1)?.pseudonym ?? "");
        await this.inbound.requeue(rows.map((w) => ({ id: jobIds.inboundMessage(w.channel, w.keyedId), data: { pseudonym: w.pseudonym } })));
        waiting.push(...rows);
        if (rows.length < INBOUND_PAGE) break;
      }
      const stale = await this.outbox.stale(Math.max(olderThanMs, 1));
      let requeued = 0;
      let inDoubt = 0;
      for (const s of stale) {
        if (s.status === "sending") {
          const row = await this.outbox.get(s.id);
          const known = row ? await this.extra.unsettled?.settle(row.id, row.status, row.claimToken) : undefined;
          if (known === "resume") {
            const q = this.outbound.get(s.channel);
            // Given back: the claim never led to a send. A fresh id, as the claim counted an attempt.
            await q?.requeue([sendJob(s)]);
            requeued += 1;
            continue;
          }
          if (known === "settled") continue;
          if (row?.claimedAt && Date.now() - row.claimedAt.getTime() > (this.extra.claimLeaseMs ?? CLAIM_LEASE_MS)) {
            if ((await this.outbox.markInDoubt(s.id, STOPPED_MID_SEND)) > 0) {
              this.log.warn({ outbound: s.id, channel: s.channel }, "send outcome unknown (its claim ran out): recorded as in doubt, not resent");
              inDoubt += 1;
            }
          }
          continue;
        }
        const q = this.outbound.get(s.channel);
        if (!q) continue;
        // The record's own job id: a job still waiting or running for it makes this a no-op, so sweeps
        // during a long broadcast on a slow machine add no duplicates.
        await q.requeue([sendJob(s)]);
        requeued += 1;
      }
      const resent = await this.#resendUnproved();
      const b = this.extra.broadcasts;
      if (b) {
        // Due, interrupted or never fanned out: fan-out is idempotent, so running it again is safe.
        const due = await b.service.resumable(olderThanMs === 0);
        await b.queue.requeue(due.map((d) => ({ id: d.status === "scheduled" ? jobIds.broadcastDue(d.id) : jobIds.broadcast(d.id), data: { broadcastId: d.id } })));
        await b.service.settleRunning();
      }
      if (this.extra.timers) await this.extra.timers();
      if (olderThanMs > 0) {
        await this.inbox.prune(7);
        await this.mailbox.prune(24);
        await this.outbox.pruneAfterStatusWindow();
        if (this.extra.housekeeping) await this.extra.housekeeping();
      }
      if (waiting.length + requeued + inDoubt + resent > 0) {
        this.log.info({ inbound: waiting.length, outbound: requeued, inDoubt, inDoubtResent: resent }, "recovery sweep re-queued work");
      }
      return { inbound: waiting.length, outbound: requeued, inDoubt };
    } catch (err) {
      this.log.error({ err }, "recovery sweep failed");
      return { inbound: 0, outbound: 0, inDoubt: 0 };
    } finally {
      this.#running = false;
    }
  }

  /** Sends in doubt with no status for the configured wait: taken once in the database, then queued once. */
  async #resendUnproved(): Promise<number> {
    const r = this.extra.inDoubtResend;
    if (!r) return 0;
    let n = 0;
    for (const channel of r.channels) {
      const q = this.outbound.get(channel);
      if (!q) continue;
      const taken = await this.outbox.takeInDoubtForResend(channel, new Date(r.clock().getTime() - r.afterMs));
      if (taken.length === 0) continue;
      await q.requeue(taken.map(sendJob));
      for (const t of taken) {
        this.log.warn({ outbound: t.id, channel }, "send in doubt and no status came: sent once more");
        r.observe?.(channel, "in_doubt_resent");
      }
      n += taken.length;
    }
    return n;
  }
}

/**
 * The job of one send record, named by its record and attempts so far (a claim counts an attempt, so a record
 * given back gets a fresh id while one still waiting or running under its id makes the add a no-op).
 */
function sendJob(r: { id: string; attempts: number; kind: string }): NewJob<SendJob> {
  return { id: jobIds.outbound(r.id, r.attempts), data: { outboundId: r.id }, ...(r.kind === "broadcast" ? { priority: BROADCAST_PRIORITY } : {}) };
}
