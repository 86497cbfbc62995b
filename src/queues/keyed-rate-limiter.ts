import type { Redis } from "ioredis";

/**
 * Spaces events per key (a chat, a channel) at `ratePerSecond`: `reserve` takes the next slot and returns 0,
 * or returns how long to wait (ms) without taking one. GCRA with a burst of one. `reserveMany` takes `count`
 * consecutive slots at once, from the first free one on, and returns how long until the first of them (ms):
 * the caller then spaces its events one interval apart from that moment.
 */
export interface KeyedRateLimiter {
  reserve(key: string, ratePerSecond: number): Promise<number>;
  reserveMany(key: string, ratePerSecond: number, count: number): Promise<number>;
}

/**
 * The interval between two events at `ratePerSecond`, in ms, not rounded: whole ms rounded up made every rate above
 * 500/s run at 500/s (800/s is 1.25 ms) and none above 1,000/s possible.
 */
export function slotMs(ratePerSecond: number): number {
  return 1000 / ratePerSecond;
}

/** One process: slots kept in memory, forgotten after they pass. */
export class MemoryKeyedRateLimiter implements KeyedRateLimiter {
  readonly #next = new Map<string, number>();

  async reserve(key: string, ratePerSecond: number): Promise<number> {
    const now = Date.now();
    const next = this.#next.get(key) ?? 0;
    if (next > now) return next - now;
    this.#set(key, now + 1000 / ratePerSecond, now);
    return 0;
  }

  async reserveMany(key: string, ratePerSecond: number, count: number): Promise<number> {
    const now = Date.now();
    const start = Math.max(now, this.#next.get(key) ?? 0);
    this.#set(key, start + Math.max(1, count) * slotMs(ratePerSecond), now);
    return start - now;
  }

  #set(key: string, next: number, now: number): void {
    this.#next.set(key, next);
    if (this.#next.size > 10_000) for (const [k, t] of this.#next) if (t <= now) this.#next.delete(k);
  }
}

// Times in ms with microseconds (Redis's TIME), so an interval may be a fraction of a ms; a wait is returned in whole
// ms rounded up (Lua numbers come back as integers, cut towards zero), an expiry in whole ms as PX requires.
const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > now then return math.ceil(nxt - now) end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.3f', now + interval), 'PX', math.ceil(interval) + 1000)
return 0`;

const RESERVE_MANY_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local after = start + tonumber(ARGV[1]) * tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.ceil(after - now) + 1000)
return math.ceil(start - now)`;

/** Shared by every worker process through Redis, using Redis's clock. */
export class RedisKeyedRateLimiter implements KeyedRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async reserve(key: string, ratePerSecond: number): Promise<number> {
    const wait = await this.redis.eval(RESERVE_LUA, 1, `${this.prefix}:rate:${key}`, String(slotMs(ratePerSecond)));
    return Number(wait);
  }

  async reserveMany(key: string, ratePerSecond: number, count: number): Promise<number> {
    const wait = await this.redis.eval(RESERVE_MANY_LUA, 1, `${this.prefix}:rate:${key}`, String(slotMs(ratePerSecond)), String(Math.max(1, Math.floor(count))));
    return Number(wait);
  }
}
