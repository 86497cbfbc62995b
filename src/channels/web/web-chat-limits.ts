import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { refusalWaitMs } from "../../storage/rate-limit-store.js";

/** Long polls one session may hold open at once (a reconnecting page briefly has two). */
export const POLLS_PER_TOKEN = 2;

/** Settings, with their defaults in src/config.ts: per minute, and long polls held at once. */
export type WebChatLimitSettings = { messagesPerMinute: number; sessionsPerMinute: number; requestsPerMinute: number; maxPolls: number };

/** A refusal: answer 429 with `Retry-After: seconds`. */
export type Refusal = { retryAfterSeconds: number };

/**
 * The web chat's limits: messages per session, new sessions and API requests per address (counted
 * atomically by rate-limiter-flexible, in Redis when configured so every process shares them, else in
 * this process, which is then the only one), and long polls held open per session and in total (this
 * process's own connections). A store failure lets the request through: a resident in danger must not
 * be turned away because a counter is unreachable.
 */
export class WebChatLimits {
  readonly #messages: RateLimiterAbstract;
  readonly #sessions: RateLimiterAbstract;
  readonly #requests: RateLimiterAbstract;
  readonly #pollsByToken = new Map<string, number>();
  #polls = 0;

  constructor(
    private readonly settings: WebChatLimitSettings,
    redis?: { connection: Redis; prefix: string },
  ) {
    const make = (keyPrefix: string, points: number): RateLimiterAbstract =>
      redis
        ? new RateLimiterRedis({ storeClient: redis.connection, keyPrefix: `${redis.prefix}:rl:${keyPrefix}`, points, duration: 60 })
        : new RateLimiterMemory({ keyPrefix, points, duration: 60 });
    this.#messages = make("web-msg", settings.messagesPerMinute);
    this.#sessions = make("web-session", settings.sessionsPerMinute);
    this.#requests = make("web-req", settings.requestsPerMinute);
  }

  /** A new session from this address. */
  session(address: string): Promise<Refusal | undefined> {
    return consume([[this.#sessions, address], [this.#requests, address]]);
  }

  /** A message on this session (keyed by its pseudonym) from this address. */
  message(pseudonym: string, address: string): Promise<Refusal | undefined> {
    return consume([[this.#messages, pseudonym], [this.#requests, address]]);
  }

  /** Any other API request from this address (a poll, an erasure). */
  request(address: string): Promise<Refusal | undefined> {
    return consume([[this.#requests, address]]);
  }

  /** Takes a long-poll slot; the returned function gives it back. A refusal when the session or the process is full. */
  openPoll(pseudonym: string): { release: () => void } | Refusal {
    const mine = this.#pollsByToken.get(pseudonym) ?? 0;
    if (mine >= POLLS_PER_TOKEN || this.#polls >= this.settings.maxPolls) return { retryAfterSeconds: mine >= POLLS_PER_TOKEN ? 5 : 2 };
    this.#pollsByToken.set(pseudonym, mine + 1);
    this.#polls += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#polls -= 1;
        const left = (this.#pollsByToken.get(pseudonym) ?? 1) - 1;
        if (left <= 0) this.#pollsByToken.delete(pseudonym);
        else this.#pollsByToken.set(pseudonym, left);
      },
    };
  }

  /** Long polls held open now, for shutdown and tests. */
  get openPolls(): number {
    return this.#polls;
  }
}

async function consume(counters: readonly [RateLimiterAbstract, string][]): Promise<Refusal | undefined> {
  let waitMs = 0;
  for (const [limiter, key] of counters) {
    try {
      await limiter.consume(key);
    } catch (err) {
      const ms = refusalWaitMs(err);
      if (ms !== undefined) waitMs = Math.max(waitMs, ms);
    }
  }
  return waitMs > 0 ? { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : undefined;
}
