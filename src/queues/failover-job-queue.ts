import type { FailedHandler, Job, JobQueue, NewJob, WorkerOptions } from "./job-queue.js";
import type { KeyedRateLimiter } from "./keyed-rate-limiter.js";
import { within } from "./within.js";

/** How long an add or a reservation waits for Redis before the work is done in this process instead (ms). */
export const REDIS_WAIT_MS = 1_000;

/** Whether Redis answers now (the connection is ready); a command sent while it does not would wait for its return. */
export type RedisUp = () => boolean;

/**
 * BullMQ while Redis answers, this process's own runner while it does not. Every job's work is claimed in
 * the database (an inbound batch's claim, a send record's claim), so a job that runs here and again in
 * BullMQ once Redis is back finds nothing left to do; what neither ran is found by the recovery sweep.
 * Without this, a webhook's message was stored but nobody answered until Redis came back. Jobs marked
 * `inProcess` run in this process's runner whenever it has workers for the queue (`NewJob.inProcess`).
 */
export class FailoverJobQueue<T> implements JobQueue<T> {
  /** Whether this process runs this queue's jobs (`process` was called). */
  #working = false;

  constructor(
    private readonly primary: JobQueue<T>,
    private readonly local: JobQueue<T>,
    private readonly redisUp: RedisUp,
    /** Told when work goes to this process's runner because Redis does not answer. */
    private readonly onFailover: (queue: string, jobs: number) => void = () => undefined,
  ) {}

  get name(): string {
    return this.primary.name;
  }

  async add(jobs: readonly NewJob<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    const shared = await this.#here(jobs, false);
    if (shared.length === 0) return;
    if (this.redisUp() && (await within(this.primary.add(shared), REDIS_WAIT_MS))) return;
    this.onFailover(this.name, shared.length);
    await this.local.add(shared);
  }

  async requeue(jobs: readonly NewJob<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    const shared = await this.#here(jobs, true);
    if (shared.length === 0) return;
    if (this.redisUp() && (await within(this.primary.requeue(shared), REDIS_WAIT_MS))) return;
    this.onFailover(this.name, shared.length);
    await this.local.requeue(shared);
  }

  /**
   * Gives the jobs marked `inProcess` to this process's runner (added, or requeued by the sweep's rules) when it
   * has workers for this queue, and returns the rest, which go through Redis.
   */
  async #here(jobs: readonly NewJob<T>[], requeue: boolean): Promise<readonly NewJob<T>[]> {
    if (!this.#working || !jobs.some((j) => j.inProcess)) return jobs;
    const here = jobs.filter((j) => j.inProcess);
    await (requeue ? this.local.requeue(here) : this.local.add(here));
    return jobs.filter((j) => !j.inProcess);
  }

  process(handler: (job: Job<T>) => Promise<void>, options: WorkerOptions, onFailed?: FailedHandler<T>): void {
    this.primary.process(handler, options, onFailed);
    this.local.process(handler, options, onFailed);
    this.#working = true;
  }

  /** Jobs waiting, delayed or running here, and in Redis when it answers. */
  async count(): Promise<number> {
    const here = await this.local.count();
    const there = this.redisUp() ? await within(this.primary.count(), REDIS_WAIT_MS) : undefined;
    return here + (there?.value ?? 0);
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.local.close()]);
  }
}

/**
 * The shared limiter while Redis answers, this process's own while it does not: a channel's pace is then kept
 * per process (several processes together may go faster until Redis is back; the platform's 429 still holds them).
 */
export class FailoverKeyedRateLimiter implements KeyedRateLimiter {
  constructor(
    private readonly primary: KeyedRateLimiter,
    private readonly local: KeyedRateLimiter,
    private readonly redisUp: RedisUp,
  ) {}

  async reserve(key: string, ratePerSecond: number): Promise<number> {
    if (this.redisUp()) {
      const shared = await within(this.primary.reserve(key, ratePerSecond), REDIS_WAIT_MS);
      if (shared) return shared.value;
    }
    return this.local.reserve(key, ratePerSecond);
  }

  async reserveMany(key: string, ratePerSecond: number, count: number): Promise<number> {
    if (this.redisUp()) {
      const shared = await within(this.primary.reserveMany(key, ratePerSecond, count), REDIS_WAIT_MS);
      if (shared) return shared.value;
    }
    return this.local.reserveMany(key, ratePerSecond, count);
  }
}
