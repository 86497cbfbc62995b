import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";

/**
 * Wakes the long polls waiting for a resident's web mail. The send worker calls `notify` after a reply is
 * in the mailbox; a waiting poll then reads the database once. In one process this is an event emitter;
 * with Redis (web and worker processes apart) it is a Redis channel every web process subscribes to.
 * A lost notification only delays a reply until the poll's own deadline, when the page asks again.
 */
export interface MailNotifier {
  /** Calls `wake` when mail for `pseudonym` may have arrived; returns the unsubscribe function. */
  subscribe(pseudonym: string, wake: () => void): () => void;
  notify(pseudonym: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: an event emitter. */
export class LocalMailNotifier implements MailNotifier {
  protected readonly events = new EventEmitter().setMaxListeners(0);

  subscribe(pseudonym: string, wake: () => void): () => void {
    this.events.on(pseudonym, wake);
    return () => this.events.off(pseudonym, wake);
  }

  async notify(pseudonym: string): Promise<void> {
    this.events.emit(pseudonym);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }
}

/** Several processes: Redis publish/subscribe on one channel, fanned out locally. */
export class RedisMailNotifier extends LocalMailNotifier {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;

  constructor(connection: Redis, prefix: string) {
    super();
    this.#publisher = connection;
    this.#channel = `${prefix}:web-mail`;
    // A subscribed connection can do nothing else, so it gets its own.
    this.#subscriber = connection.duplicate();
    this.#subscriber.on("error", () => undefined);
    this.#subscriber.on("message", (channel: string, pseudonym: string) => {
      if (channel === this.#channel) this.events.emit(pseudonym);
    });
    void this.#subscriber.subscribe(this.#channel).catch(() => undefined);
  }

  override async notify(pseudonym: string): Promise<void> {
    await this.#publisher.publish(this.#channel, pseudonym);
  }

  override async close(): Promise<void> {
    await super.close();
    this.#subscriber.disconnect();
  }
}
