import type { MailNotifier } from "./mail-notifier.js";

/**
 * Where long polls wait: each one subscribes to its resident's mail notifications and sleeps until woken,
 * its deadline, the client leaving, or shutdown. On SIGTERM `close()` wakes every waiter at once, so each
 * answers with what is there (usually nothing) and the page simply polls again elsewhere; new polls are
 * refused with 503 while closing.
 */
export class LongPollHub {
  readonly #waiters = new Set<() => void>();
  #closing = false;

  constructor(private readonly notifier: MailNotifier) {}

  get closing(): boolean {
    return this.#closing;
  }

  /**
   * Resolves `true` when mail for `pseudonym` may be there (a notification), `false` after `ms`, on
   * `signal` abort, or on close: only a notification is worth another look in the database.
   */
  wait(pseudonym: string, ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.#closing || ms <= 0 || signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let woken = false;
      const wake = () => {
        woken = true;
        done();
      };
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve(woken);
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = this.notifier.subscribe(pseudonym, wake);
      signal.addEventListener("abort", done);
      this.#waiters.add(done);
    });
  }

  /** Wakes every waiting poll and refuses new ones. */
  close(): void {
    this.#closing = true;
    for (const wake of [...this.#waiters]) wake();
  }
}
