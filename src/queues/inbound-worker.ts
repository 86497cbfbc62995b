import type { ChannelSender } from "../channels/send-result.js";
import type { ConversationService, Handled } from "../conversation/conversation-service.js";
import { shortPseudonym } from "../crypto/pseudonymizer.js";
import type { Logger } from "../logger.js";
import type { Outbox } from "../outbox/outbox.js";
import type { Job } from "./job-queue.js";
import type { InboundJob } from "./job-schemas.js";

/** What an InboundWorker needs. */
export type InboundWorkerOptions = {
  conversations: ConversationService;
  /** Queues the replies (and a desk's notices) once their transaction has committed. */
  outbox: Outbox;
  /** By channel: answers a tapped button (Telegram's callback query) once its message is handled. */
  senders: ReadonlyMap<string, ChannelSender>;
  log: Logger;
  /** Residents' messages handled per transaction. Default 100. */
  batchSize?: number | undefined;
  /** Batch transactions this process runs at once (their claims never overlap). Default 2. */
  loops?: number | undefined;
};

type Waiter = { since: number; resolve: () => void; reject: (err: unknown) => void };

/**
 * Handles inbound messages in batches. An inbound job no longer names the work it does: it says "a batch is
 * due" and waits until a batch claim that began after it has left nothing it could take, that is until the
 * message that caused it has been handled or is in the hands of a batch that will look again once it commits
 * (every batch that handled something claims again). Jobs that come while a batch runs cost no query of their
 * own. A batch that fails is handled one resident at a time (`handleNext`), which counts the failure and sets
 * a message aside after `MAX_INBOUND_ATTEMPTS`, so one bad message cannot hold the others up.
 */
export class InboundWorker {
  readonly #o: InboundWorkerOptions;
  readonly #batchSize: number;
  readonly #loops: number;
  /** Batch claims begun so far in this process (a waiter is served by a claim numbered above its `since`). */
  #claims = 0;
  #running = 0;
  #waiters: Waiter[] = [];
  #closing = false;
  #idle: (() => void) | undefined;

  constructor(opts: InboundWorkerOptions) {
    this.#o = opts;
    this.#batchSize = opts.batchSize ?? 100;
    this.#loops = opts.loops ?? 2;
  }

  /** "A batch is due": resolves once what was waiting when the job began has been handled (or taken by another batch). */
  async handle(_job: Job<InboundJob>): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#waiters.push({ since: this.#claims, resolve, reject });
      this.#wake();
    });
  }

  /**
   * Whether a batch runs in this process. A job can finish while its message is still in a batch that began
   * earlier (it was in that batch's hands), so "no job left" alone does not mean every reply is queued.
   */
  get busy(): boolean {
    return this.#running > 0;
  }

  /** Waits for the batches running now; none starts again unless a job comes. Call after the queue has closed. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#running === 0) return;
    await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  #wake(): void {
    while (this.#running < this.#loops && this.#running < this.#waiters.length) {
      this.#running++;
      void this.#loop().finally(() => {
        this.#running--;
        if (this.#waiters.length > 0) this.#wake();
        else if (this.#running === 0) this.#idle?.();
      });
    }
  }

  /** Settles the waiters a claim numbered `n` served (those that began before it). */
  #settle(n: number, err?: unknown): void {
    const served = this.#waiters.filter((w) => w.since < n);
    this.#waiters = this.#waiters.filter((w) => w.since >= n);
    for (const w of served) {
      if (err === undefined) w.resolve();
      else w.reject(err);
    }
  }

  async #loop(): Promise<void> {
    // Claims until one finds nothing: a batch that handled something looks again after its commit, for the
    // messages that waited behind the ones it held.
    for (;;) {
      const n = ++this.#claims;
      let batch: Awaited<ReturnType<ConversationService["handleBatch"]>>;
      try {
        batch = await this.#o.conversations.handleBatch(this.#batchSize);
      } catch (err) {
        // The database is away: every job waiting here fails and is retried with the queue's backoff.
        this.#settle(Infinity, err);
        return;
      }
      let progress = batch.handled.length;
      let failure: unknown;
      try {
        await this.#deliver(batch.handled);
        for (const pseudonym of batch.left) {
          try {
            const handled = await this.#o.conversations.handleNext(pseudonym);
            if (handled) await this.#deliver([handled]);
            progress++;
          } catch (err) {
            failure = err;
            this.#o.log.warn({ err, resident: shortPseudonym(pseudonym) }, "inbound message failed");
          }
        }
      } catch (err) {
        // Queueing the replies failed (the sweep queues them later); the jobs retry.
        this.#settle(Infinity, err);
        return;
      }
      const taken = batch.handled.length + batch.left.length;
      if (progress === 0 && failure !== undefined) {
        // Nothing was handled (the failure is counted on the message): the queue retries the jobs with its backoff rather than spin here.
        this.#settle(Infinity, failure);
        return;
      }
      // A claim that could take fewer than a full batch left nothing behind that nobody holds.
      if (taken < this.#batchSize || !batch.behind) this.#settle(n);
      // Nothing was waiting beyond what this batch took: claiming again would only find nothing (three statements).
      if ((taken === 0 || this.#closing || !batch.behind) && this.#waiters.length === 0) return;
    }
  }

  async #deliver(handled: readonly Handled[]): Promise<void> {
    // Replies go to the resident's channel (one send batch job per channel); a notice to a professional may go to another one.
    await this.#o.outbox.queueBatches(handled.flatMap((h) => h.outbound));
    // Tapped buttons stop spinning; answered side by side, so a batch's replies never wait behind them.
    await Promise.all(handled.map(async (h) => (h.callbackQueryId ? this.#o.senders.get(h.channel)?.acknowledge?.(h.callbackQueryId) : undefined)));
  }
}
