import type { InboundMessage } from "../channels/inbound-message.js";
import type { Cipher } from "../crypto/cipher.js";
import type { SealedHandover } from "../crypto/sealed-handover.js";
import type { MessageIds, Pseudonymizer } from "../crypto/pseudonymizer.js";
import type { InboxStore, InboxRow } from "../storage/inbox-store.js";
import type { JobQueue, NewJob } from "./job-queue.js";
import { jobIds, type InboundJob } from "./job-schemas.js";
import { within } from "./within.js";

type Waiter = { row: InboxRow; message: InboundMessage; resolve: (fresh: boolean) => void; reject: (err: unknown) => void };

/**
 * Decides what happens when messages must not, or cannot, be stored: `before` may refuse them
 * outright (planned maintenance); `failed` sees a storing failure and may replace it with its own
 * error (the database is away: residents are told). Both throw to refuse and return to carry on.
 */
export interface IngestGuard {
  before(messages: readonly InboundMessage[]): Promise<void>;
  failed(messages: readonly InboundMessage[], err: unknown): Promise<void>;
}

/** Told about each message once it is stored (`fresh`) or recognised as a redelivery. */
export type IngestObserver = (channel: InboundMessage["channel"], fresh: boolean) => void;

/** What Ingest needs: where messages are stored and queued, and how they are made anonymous. */
export type IngestOptions = {
  inbox: InboxStore;
  queue: JobQueue<InboundJob>;
  cipher: Cipher;
  pseudonymizer: Pseudonymizer;
  /** The dedupe key is a keyed hash of the platform's id, never the id itself. */
  messageIds: MessageIds;
  observe?: IngestObserver;
  guard?: IngestGuard;
  /** Hands each new message to this process's inbound batch, which then need not decrypt it. */
  handover?: SealedHandover<InboundMessage> | undefined;
};

/** Largest number of messages written in one statement. */
const MAX_BATCH = 500;

/** How long a wake-up waits for the queue before the next one is added anyway (ms). */
const QUEUE_WAIT_MS = 2_000;

/**
 * Shortest time between two wake-ups (ms). A worker takes every message stored before its claim, so under a
 * steady stream one wake-up for the messages of a few dozen milliseconds does the work of many: each costs a batch
 * of its own (a transaction of some eight statements, and its replies' send batch four more). The first message
 * after a quiet spell is not held back; later ones wait at most this long. Bench (b) steady on PostgreSQL + Redis,
 * 15 s a rate, quiet machine, 15 ms against 100 ms: at 50 messages/s 14.5 → 4.2 SQL statements a message, the Naast
 * process 0.42 → 0.22 cores and PostgreSQL 0.19 → 0.09, arrival → reply p50 13 → 62 ms, p99 30 → 119 ms; at 200/s
 * 6.5 → 1.8 statements, p99 66 → 125 ms; at 500/s 3.1 → 1.1, p99 237 → 331 ms (50 ms: 7.0, 2.6, 1.4 statements).
 */
export const WAKE_GAP_MS = 100;

/**
 * Makes inbound messages durable, then wakes a worker. Concurrent webhook requests are written
 * together (group commit): while one insert is in flight, the next requests gather for the next,
 * so the database sees one statement per batch instead of one per message.
 */
export class Ingest {
  #gathering: Waiter[] = [];
  #flushing = false;
  #waking = false;
  #lastWakeAt = -Infinity;
  #nextWake: NewJob<InboundJob> | undefined;
  private readonly inbox: InboxStore;
  private readonly queue: JobQueue<InboundJob>;
  private readonly cipher: Cipher;
  private readonly pseudonymizer: Pseudonymizer;
  private readonly messageIds: MessageIds;
  private readonly observe: IngestObserver;
  private readonly guard: IngestGuard | undefined;
  private readonly handover: SealedHandover<InboundMessage> | undefined;

  constructor(opts: IngestOptions) {
    this.inbox = opts.inbox;
    this.queue = opts.queue;
    this.cipher = opts.cipher;
    this.pseudonymizer = opts.pseudonymizer;
    this.messageIds = opts.messageIds;
    this.observe = opts.observe ?? (() => undefined);
    this.guard = opts.guard;
    this.handover = opts.handover;
  }

  /**
   * Whether messages are stored or waiting to be stored that no wake-up has been queued for yet (a wake-up waits up
   * to WAKE_GAP_MS): `Naast.idle` is not idle while this holds.
   */
  get waking(): boolean {
    return this.#flushing || this.#waking;
  }

  /** Resolves once every message is stored; the count is how many were new (not redeliveries). */
  async accept(messages: readonly InboundMessage[]): Promise<number> {
    await this.guard?.before(messages);
    try {
      return await this.#store(messages);
    } catch (err) {
      await this.guard?.failed(messages, err);
      throw err;
    }
  }

  async #store(messages: readonly InboundMessage[]): Promise<number> {
    const results = await Promise.all(
      messages.map(
        (m) =>
          new Promise<boolean>((resolve, reject) => {
            this.#gathering.push({
              row: {
                channel: m.channel,
                platformMessageId: this.messageIds.hash(m.channel, m.platformMessageId),
                pseudonym: this.pseudonymizer.pseudonym(m.channel, m.platformUserId),
                payloadEnc: this.cipher.encryptJson(m),
              },
              message: m,
              resolve,
              reject,
            });
            if (!this.#flushing) {
              this.#flushing = true;
              // One turn of the event loop lets concurrent requests join the batch (PGlite shares this loop).
              setImmediate(() => void this.#flush());
            }
          }),
      ),
    );
    return results.filter(Boolean).length;
  }

  /**
   * Queues a wake-up without holding up the next insert. One add is in flight at a time: batches stored
   * meanwhile are covered by one more job, named after the latest of them, added when it settles (a job
   * takes every message stored before it began, so one job after the last batch covers the earlier ones).
   * An add that hangs (Redis away) is waited for at most QUEUE_WAIT_MS; the recovery sweep finds what it missed.
   */
  #wake(job: NewJob<InboundJob>): void {
    this.#nextWake = job;
    if (this.#waking) return;
    this.#waking = true;
    void (async () => {
      try {
        for (let next = this.#nextWake; next; next = this.#nextWake) {
          const gap = this.#lastWakeAt + WAKE_GAP_MS - performance.now();
          if (gap > 0) {
            await new Promise((r) => setTimeout(r, gap));
            next = this.#nextWake ?? next;
          }
          this.#nextWake = undefined;
          this.#lastWakeAt = performance.now();
          await within(this.queue.add([next]), QUEUE_WAIT_MS);
        }
      } finally {
        this.#waking = false;
      }
    })();
  }

  async #flush(): Promise<void> {
    try {
      while (this.#gathering.length > 0) {
        const batch = this.#gathering.splice(0, MAX_BATCH);
        // The same delivery twice in one batch would make one statement conflict with itself.
        const unique = new Map<string, InboxRow>();
        for (const w of batch) unique.set(`${w.row.channel}\u0000${w.row.platformMessageId}`, w.row);
        try {
          const accepted = await this.inbox.insertMany([...unique.values()]);
          // Stored is durable, so the platform hears "got it" now; waking a worker comes after. If the
          // queue is away (Redis down), the webhook does not wait for it: the recovery sweep finds these rows.
          const fresh = new Set(accepted.map((a) => a.key));
          for (const w of batch) {
            const isNew = fresh.delete(`${w.row.channel}\u0000${w.row.platformMessageId}`);
            this.observe(w.message.channel, isNew);
            if (isNew) this.handover?.keep(w.row.payloadEnc, w.message);
            w.resolve(isNew);
          }
          // One job wakes the batch worker for all of them: it takes every message stored before it began.
          const first = accepted[0];
          if (first) this.#wake({ id: jobIds.inboundMessage(first.channel, first.keyedId), data: { pseudonym: first.pseudonym }, inProcess: true });
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
