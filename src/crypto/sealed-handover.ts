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
  readonly #entries = new Map<string, { value: T; at: number }>();
  /**
   * What was kept, oldest first, in a ring of `maxEntries` slots (a taken entry stays until its slot comes round).
   * Not the Map's own order: taking the Map's first key after deleting from its front walks past every slot deleted
   * since it last rehashed, 37–64 µs a `keep` at 10,000 entries (every webhook's store, in bench (a) where nothing is taken).
   */
  readonly #ring: (string | undefined)[];
  readonly #ringAt: Float64Array;
  #head = 0;
  #count = 0;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(opts: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {}) {
    this.#maxEntries = Math.max(1, opts.maxEntries ?? MAX_ENTRIES);
    this.#maxAgeMs = opts.maxAgeMs ?? MAX_AGE_MS;
    this.#now = opts.now ?? (() => performance.now());
    this.#ring = new Array<string | undefined>(this.#maxEntries);
    this.#ringAt = new Float64Array(this.#maxEntries);
  }

  /** Keeps `value` for whoever opens `sealed` in this process. */
  keep(sealed: string, value: T): void {
    const now = this.#now();
    while (this.#count > 0 && this.#ringAt[this.#head]! <= now - this.#maxAgeMs) this.#dropOldest();
    if (this.#count === this.#maxEntries) this.#dropOldest();
    const tail = (this.#head + this.#count) % this.#maxEntries;
    this.#ring[tail] = sealed;
    this.#ringAt[tail] = now;
    this.#count++;
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

  /** Frees the oldest slot, and its entry unless it was taken (or kept again since under the same sealed text). */
  #dropOldest(): void {
    const sealed = this.#ring[this.#head];
    if (sealed !== undefined && this.#entries.get(sealed)?.at === this.#ringAt[this.#head]) this.#entries.delete(sealed);
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#maxEntries;
    this.#count--;
  }
}
