/** Entries kept at most, by default: a burst's worth of messages between being sealed and being opened. */
const MAX_ENTRIES = 10_000;
/** How long an entry is kept at most, by default (ms): work is normally opened within a second of being sealed. */
const MAX_AGE_MS = 60_000;

/**
 * Hands a value sealed in this process to the part of this process that opens it, so it is not decrypted and
 * parsed again: a webhook's message, encrypted into the inbox and opened by the inbound batch a few milliseconds
 * later; a reply, encrypted into the outbox and opened by its send. Keyed by the sealed text itself, so a hit is
 * exactly the value that ciphertext holds (a ciphertext is never made twice: each has a fresh nonce); a miss (another
 * process sealed it, it was evicted or taken already) is decrypted and checked as before.
 *
 * Each entry is taken once. The values stay in memory no longer than `maxAgeMs` (60 s) and at most `maxEntries`
 * (10,000) at a time, the oldest dropped first: what a resident who erases themselves wrote or was sent is not
 * kept here longer than that, and never outside this process's memory.
 * Values must not be changed after they are handed over. Bench (b): the decryption and schema parse of both made
 * some 7 % of the Naast process's CPU during a burst.
 */
export class SealedHandover<T> {
  /** In insertion order: the first entries are the oldest. */
  readonly #entries = new Map<string, { value: T; at: number }>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(opts: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {}) {
    this.#maxEntries = opts.maxEntries ?? MAX_ENTRIES;
    this.#maxAgeMs = opts.maxAgeMs ?? MAX_AGE_MS;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Keeps `value` for whoever opens `sealed` in this process. */
  keep(sealed: string, value: T): void {
    const now = this.#now();
    this.#drop(now);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(sealed, { value, at: now });
  }

  /** The value sealed as `sealed` in this process, once; undefined when it must be decrypted instead. */
  take(sealed: string): T | undefined {
    const entry = this.#entries.get(sealed);
    if (!entry) return undefined;
    this.#entries.delete(sealed);
    return entry.at > this.#now() - this.#maxAgeMs ? entry.value : undefined;
  }

  /** Entries kept now. */
  get size(): number {
    return this.#entries.size;
  }

  #drop(now: number): void {
    for (const [sealed, entry] of this.#entries) {
      if (entry.at > now - this.#maxAgeMs) return;
      this.#entries.delete(sealed);
    }
  }
}
