import { JOB_ATTEMPTS, JOB_BACKOFF_MS, PauseQueue, RetryLater, type FailedHandler, type Job, type JobQueue, type NewJob, type QueueFactory, type WorkerOptions } from "./job-queue.js";

/** Like BullMQ's kept completed jobs: a finished id is not run again for this long (ms). */
const REMEMBER_DONE_MS = 3_600_000;
const REMEMBER_DONE_MAX = 100_000;

type Entry<T> = { id: string; data: T; attemptsMade: number; runAt: number; dueAt: number; priority: number; order: number };

/**
 * The in-process runner: same interface as BullMQ, for one process only. Jobs live in memory; the
 * database-backed recovery sweep puts lost work back after a restart.
 */
export class MemoryJobQueue<T> implements JobQueue<T> {
  readonly #waiting: Entry<T>[] = [];
  readonly #known = new Set<string>();
  readonly #done = new Map<string, number>();
  #running = 0;
  #handler?: (job: Job<T>) => Promise<void>;
  #onFailed?: FailedHandler<T> | undefined;
  #options: WorkerOptions = { concurrency: 1 };
  #timer?: NodeJS.Timeout | undefined;
  #pausedUntil = 0;
  #starts: number[] = [];
  #order = 0;
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(
    readonly name: string,
    private readonly parse: (data: unknown) => T,
  ) {}

  async add(jobs: readonly NewJob<T>[]): Promise<void> {
    const now = Date.now();
    for (const j of jobs) {
      if (this.#known.has(j.id)) continue;
      const doneUntil = this.#done.get(j.id);
      if (doneUntil !== undefined && doneUntil > now) continue;
      this.#known.add(j.id);
      const runAt = now + (j.delayMs ?? 0);
      this.#waiting.push({ id: j.id, data: this.parse(j.data), attemptsMade: 0, runAt, dueAt: runAt, priority: j.priority ?? 0, order: this.#order++ });
    }
    this.#pump();
  }

  async requeue(jobs: readonly NewJob<T>[]): Promise<void> {
    for (const j of jobs) if (!this.#known.has(j.id)) this.#done.delete(j.id);
    await this.add(jobs);
  }

  process(handler: (job: Job<T>) => Promise<void>, options: WorkerOptions, onFailed?: FailedHandler<T>): void {
    this.#handler = handler;
    this.#options = options;
    this.#onFailed = onFailed;
    this.#pump();
  }

  async count(): Promise<number> {
    return this.#waiting.length + this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#running > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /** Resolves when nothing is waiting or running; for tests and benchmarks. */
  async drained(): Promise<void> {
    while (this.#waiting.length > 0 || this.#running > 0) await new Promise((r) => setTimeout(r, 5));
  }

  #next(now: number): Entry<T> | undefined {
    let best = -1;
    for (let i = 0; i < this.#waiting.length; i++) {
      const e = this.#waiting[i]!;
      if (e.runAt > now) continue;
      const b = best >= 0 ? this.#waiting[best]! : undefined;
      if (!b || e.priority < b.priority || (e.priority === b.priority && e.order < b.order)) best = i;
    }
    return best >= 0 ? this.#waiting.splice(best, 1)[0] : undefined;
  }

  #remember(id: string): void {
    const now = Date.now();
    this.#done.set(id, now + REMEMBER_DONE_MS);
    if (this.#done.size > REMEMBER_DONE_MAX) {
      for (const [k, until] of this.#done) {
        if (until <= now || this.#done.size > REMEMBER_DONE_MAX) this.#done.delete(k);
        else break;
      }
    }
  }

  #limitWait(now: number): number {
    const l = this.#options.limiter;
    if (!l) return 0;
    this.#starts = this.#starts.filter((t) => t > now - l.durationMs);
    return this.#starts.length < l.max ? 0 : this.#starts[0]! + l.durationMs - now;
  }

  #pump(): void {
    if (this.#closed || !this.#handler) return;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    let now = Date.now();
    while (this.#running < this.#options.concurrency) {
      if (this.#pausedUntil > now) break;
      const wait = this.#limitWait(now);
      if (wait > 0) {
        this.#schedule(wait);
        return;
      }
      const entry = this.#next(now);
      if (!entry) break;
      if (this.#options.limiter) this.#starts.push(now);
      this.#run(entry);
      now = Date.now();
    }
    const soonest = Math.min(this.#pausedUntil > now ? this.#pausedUntil : Infinity, ...this.#waiting.map((e) => e.runAt));
    if (Number.isFinite(soonest) && this.#running < this.#options.concurrency) this.#schedule(Math.max(1, soonest - now));
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, ms);
    this.#timer.unref?.();
  }

  #run(entry: Entry<T>): void {
    this.#running += 1;
    const job: Job<T> = { id: entry.id, data: entry.data, attemptsMade: entry.attemptsMade, dueAt: entry.dueAt };
    // Each job starts in a turn of its own: with the embedded database (PGlite runs in this thread and answers
    // through promises) a chain of jobs would otherwise be one long run of microtasks, and no HTTP request (not
    // even /healthz) would be read until the backlog was worked off.
    setImmediate(() => this.#start(entry, job));
  }

  #start(entry: Entry<T>, job: Job<T>): void {
    void this.#handler!(job)
      .then(
        () => {
          this.#known.delete(entry.id);
          this.#remember(entry.id);
        },
        async (err: unknown) => {
          if (err instanceof RetryLater) {
            this.#waiting.push({ ...entry, runAt: Date.now() + err.delayMs });
            return;
          }
          if (err instanceof PauseQueue) {
            this.#pausedUntil = Date.now() + err.delayMs;
            this.#waiting.push({ ...entry, runAt: this.#pausedUntil });
            return;
          }
          const made = entry.attemptsMade + 1;
          if (made < JOB_ATTEMPTS) {
            const backoff = JOB_BACKOFF_MS * 2 ** (made - 1);
            this.#waiting.push({ ...entry, attemptsMade: made, runAt: Date.now() + backoff });
            return;
          }
          this.#known.delete(entry.id);
          await this.#onFailed?.({ ...job, attemptsMade: made }, err).catch(() => undefined);
        },
      )
      .finally(() => {
        this.#running -= 1;
        if (this.#closed && this.#running === 0) for (const r of this.#idle.splice(0)) r();
        this.#pump();
      });
  }
}

/** Factory for in-process queues. */
export class MemoryQueueFactory implements QueueFactory {
  readonly kind = "memory" as const;
  readonly #queues: MemoryJobQueue<unknown>[] = [];

  create<T>(name: string, parse: (data: unknown) => T): MemoryJobQueue<T> {
    const q = new MemoryJobQueue<T>(name, parse);
    this.#queues.push(q as MemoryJobQueue<unknown>);
    return q;
  }

  async close(): Promise<void> {
    await Promise.all(this.#queues.map((q) => q.close()));
  }
}
