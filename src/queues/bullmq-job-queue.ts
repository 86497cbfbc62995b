import { DelayedError, Queue, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import { FailoverJobQueue } from "./failover-job-queue.js";
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, PauseQueue, RetryLater, type FailedHandler, type Job, type JobQueue, type NewJob, type QueueFactory, type WorkerOptions } from "./job-queue.js";
import { MemoryJobQueue } from "./memory-job-queue.js";

/** ioredis connection states in which a command would only wait for Redis to come back. */
const DOWN: ReadonlySet<string> = new Set(["reconnecting", "close", "end"]);

/** Completed jobs are kept briefly so that a duplicate add within this window is ignored (seconds). */
const KEEP_COMPLETED_S = 3600;

/** BullMQ on Redis: queues shared by every process of a deployment. */
export class BullmqJobQueue<T> implements JobQueue<T> {
  readonly #queue: Queue;
  #worker?: Worker | undefined;

  constructor(
    readonly name: string,
    private readonly parse: (data: unknown) => T,
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {
    this.#queue = new Queue(name, { connection, prefix });
    // Without a listener BullMQ prints a lost Redis connection (ECONNREFUSED, EPIPE) with console.error, outside
    // the structured log; the failure shows where it matters (the sweep's log line, /readyz), so it is dropped here.
    this.#queue.on("error", () => undefined);
  }

  async add(jobs: readonly NewJob<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.#queue.addBulk(
      jobs.map((j) => ({
        name: this.name,
        data: j.data,
        opts: {
          jobId: j.id,
          delay: j.delayMs,
          priority: j.priority,
          attempts: JOB_ATTEMPTS,
          backoff: { type: "exponential", delay: JOB_BACKOFF_MS },
          removeOnComplete: { age: KEEP_COMPLETED_S, count: 50_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  }

  async requeue(jobs: readonly NewJob<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    // One round trip: is each id among the finished jobs BullMQ keeps for dedupe?
    const pipeline = this.connection.pipeline();
    for (const j of jobs) {
      pipeline.zscore(this.#queue.keys.completed!, j.id);
      pipeline.zscore(this.#queue.keys.failed!, j.id);
    }
    const answers = (await pipeline.exec()) ?? [];
    const finished = jobs.filter((_, i) => answers[2 * i]?.[1] != null || answers[2 * i + 1]?.[1] != null);
    for (const j of finished) await this.#queue.remove(j.id);
    await this.add(jobs);
  }

  process(handler: (job: Job<T>) => Promise<void>, options: WorkerOptions, onFailed?: FailedHandler<T>): void {
    const worker: Worker = new Worker(
      this.name,
      async (job: BullJob, token?: string) => {
        const data = this.parse(job.data);
        const dueAt = job.timestamp + (job.opts.delay ?? 0);
        try {
          await handler({ id: job.id ?? "", data, attemptsMade: job.attemptsMade, dueAt });
        } catch (err) {
          if (err instanceof RetryLater) {
            await job.moveToDelayed(Date.now() + err.delayMs, token);
            throw new DelayedError();
          }
          if (err instanceof PauseQueue) {
            await worker.rateLimit(err.delayMs);
            throw Worker.RateLimitError();
          }
          // BullMQ retries with backoff; the last attempt's failure is final.
          if (job.attemptsMade + 1 < JOB_ATTEMPTS) throw err;
          await onFailed?.({ id: job.id ?? "", data, attemptsMade: job.attemptsMade + 1, dueAt }, err).catch(() => undefined);
          throw err;
        }
      },
      {
        connection: this.connection.duplicate(),
        prefix: this.prefix,
        concurrency: options.concurrency,
        limiter: options.limiter ? { max: options.limiter.max, duration: options.limiter.durationMs } : undefined,
      },
    );
    worker.on("error", () => undefined);
    this.#worker = worker;
  }

  async count(): Promise<number> {
    return this.#queue.getJobCountByTypes("waiting", "delayed", "active", "prioritized");
  }

  async close(): Promise<void> {
    await this.#worker?.close();
    await this.#queue.close();
  }

  /** Removes every job of this queue; for tests. */
  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
  }
}

/**
 * Factory for BullMQ queues on one Redis. Each queue falls back to this process's own runner while Redis does
 * not answer (FailoverJobQueue), so a stored message is still answered during a Redis outage.
 */
export class BullmqQueueFactory implements QueueFactory {
  readonly kind = "bullmq" as const;
  readonly connection: Redis;
  readonly #queues: JobQueue<unknown>[] = [];
  /** Told when work goes to this process's runner because Redis does not answer (set once a logger exists). */
  onFailover: (queue: string, jobs: number) => void = () => undefined;

  constructor(
    redisUrl: string,
    readonly prefix: string,
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.connection.on("error", () => undefined);
  }

  create<T>(name: string, parse: (data: unknown) => T): JobQueue<T> {
    const q = new FailoverJobQueue<T>(new BullmqJobQueue<T>(name, parse, this.connection, this.prefix), new MemoryJobQueue<T>(name, parse), () => this.redisUp(), (queue, jobs) =>
      this.onFailover(queue, jobs),
    );
    this.#queues.push(q as JobQueue<unknown>);
    return q;
  }

  /**
   * False while the connection is known to be down (between reconnect attempts, or closed): work then goes to this
   * process's runner at once. While connecting it counts as up; an add that does not finish in time goes there too.
   */
  redisUp(): boolean {
    return !DOWN.has(this.connection.status);
  }

  async close(): Promise<void> {
    await Promise.all(this.#queues.map((q) => q.close()));
    this.connection.disconnect();
  }
}
