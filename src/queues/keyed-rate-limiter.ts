import type { Redis } from "ioredis";

/**
 * Spaces events per key (a chat) at `ratePerSecond`: `reserve` takes the next slot and returns 0,
 * or returns how long to wait (ms) without taking one. GCRA with a burst of one.
 */
export interface KeyedRateLimiter {
  reserve(key: string, ratePerSecond: number): Promise<number>;
}

/** One process: slots kept in memory, forgotten after they pass. */
export class MemoryKeyedRateLimiter implements KeyedRateLimiter {
  readonly #next = new Map<string, number>();

  async reserve(key: string, ratePerSecond: number): Promise<number> {
    const now = Date.now();
    const interval = 1000 / ratePerSecond;
    const next = this.#next.get(key) ?? 0;
    if (next > now) return next - now;
    this.#next.set(key, now + interval);
    if (this.#next.size > 10_000) for (const [k, t] of this.#next) if (t <= now) this.#next.delete(k);
    return 0;
  }
}

const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > now then return nxt - now end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], now + interval, 'PX', math.ceil(interval) + 1000)
return 0`;

/** Shared by every worker process through Redis, using Redis's clock. */
export class RedisKeyedRateLimiter implements KeyedRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async reserve(key: string, ratePerSecond: number): Promise<number> {
    const wait = await this.redis.eval(RESERVE_LUA, 1, `${this.prefix}:rate:${key}`, String(Math.ceil(1000 / ratePerSecond)));
    return Number(wait);
  }
}
