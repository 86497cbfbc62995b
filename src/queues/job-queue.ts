/**
 * A job as a handler sees it. `dueAt` (ms since epoch) is when the job was first due: when it was
 * added plus any delay it was added with; waits for rate limits and retries come after it, so
 * finishing time minus `dueAt` is the latency a resident feels.
 */
export type Job<T> = { id: string; data: T; attemptsMade: number; dueAt: number };

/** A job to add: the id is deterministic, so adding the same work twice is harmless. */
export type NewJob<T> = {
  id: string;
  data: T;
  delayMs?: number;
  priority?: number;
  /**
   * Run it in the process that adds it when that process has workers for the queue, not through Redis. Only for
   * jobs that say "this work is due" while the work itself is claimed in the database and found again by the
   * recovery sweep (an inbound batch, a resident's replies): a process that dies loses such a job, never its
   * work. Through BullMQ each such job cost Redis some forty commands, most of its load at low rates. Work that
   * may wait long or that any process should be able to take (a broadcast's sends, the sweep's) stays shared.
   */
  inProcess?: boolean;
};

/** Retry this job after `delayMs` without counting an attempt (rate limits, ordering waits). */
export class RetryLater extends Error {
  override name = "RetryLater";
  constructor(readonly delayMs: number, reason = "retry later") {
    super(reason);
  }
}

/** The platform said "too many": pause the whole queue for `delayMs`, then retry this job (no attempt counted). */
export class PauseQueue extends Error {
  override name = "PauseQueue";
  constructor(readonly delayMs: number, reason = "rate limited") {
    super(reason);
  }
}

/** Options for a queue's workers. */
export type WorkerOptions = {
  concurrency: number;
  /** At most `max` jobs started per `durationMs`, across every worker of this queue. */
  limiter?: { max: number; durationMs: number } | undefined;
};

/** Attempts before a job fails for good (RetryLater and PauseQueue do not count). */
export const JOB_ATTEMPTS = 6;
/** First retry delay after a failure (ms); doubles each attempt: 1 s, 2 s, 4 s, 8 s, 16 s. */
export const JOB_BACKOFF_MS = 1000;

/** Called once a job has failed its last attempt. */
export type FailedHandler<T> = (job: Job<T>, err: unknown) => Promise<void>;

/**
 * The queue interface both runners implement: BullMQ on Redis, or an in-process runner for one
 * process. Whatever must survive a restart lives in the database; a queue only carries work to do.
 */
export interface JobQueue<T> {
  readonly name: string;
  /**
   * Adds new work. A job id known to the queue is ignored: waiting, delayed or running, and also for a
   * while after it finished (an hour), so adding the same work twice is harmless.
   */
  add(jobs: readonly NewJob<T>[]): Promise<void>;
  /**
   * Puts back work the database says is still to do (the recovery sweep). A job with the same id that
   * still waits, is delayed or runs makes this a no-op; one that already *finished* (completed or
   * failed, and remembered for dedupe) is forgotten and the job added again, so work that is pending
   * again after its job ended (a broadcast resuming, a restored database beside an old Redis) still runs.
   * A job that finishes between the check and the add is remembered and skipped: the next sweep adds it.
   */
  requeue(jobs: readonly NewJob<T>[]): Promise<void>;
  process(handler: (job: Job<T>) => Promise<void>, options: WorkerOptions, onFailed?: FailedHandler<T>): void;
  /** Jobs waiting, delayed or running. */
  count(): Promise<number>;
  /** Stops taking jobs and waits for running ones. */
  close(): Promise<void>;
}

/** Creates queues by name; one factory per process. */
export interface QueueFactory {
  readonly kind: "memory" | "bullmq";
  create<T>(name: string, parse: (data: unknown) => T): JobQueue<T>;
  close(): Promise<void>;
}
