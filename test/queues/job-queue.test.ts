import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { BullmqQueueFactory } from "../../src/queues/bullmq-job-queue.js";
import { PauseQueue, RetryLater, type QueueFactory } from "../../src/queues/job-queue.js";
import { MemoryKeyedRateLimiter, RedisKeyedRateLimiter, type KeyedRateLimiter } from "../../src/queues/keyed-rate-limiter.js";
import { MemoryQueueFactory } from "../../src/queues/memory-job-queue.js";
import { describeWith } from "../support/services.js";

type Data = { n: number };
const parse = (d: unknown) => d as Data;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same behaviour is asked of both runners. */
function queueContract(make: () => QueueFactory, limiter: () => KeyedRateLimiter) {
  let factory: QueueFactory | undefined;
  afterEach(async () => {
    await factory?.close();
    factory = undefined;
  });
  const queue = (name: string) => {
    factory ??= make();
    return factory.create<Data>(`${name}-${randomBytes(3).toString("hex")}`, parse);
  };

  it("runs each job id once, even when added twice", async () => {
    const q = queue("dedupe");
    const seen: number[] = [];
    q.process(async (job) => {
      seen.push(job.data.n);
    }, { concurrency: 4 });
    await q.add([{ id: "a", data: { n: 1 } }, { id: "a", data: { n: 1 } }, { id: "b", data: { n: 2 } }]);
    await q.add([{ id: "a", data: { n: 1 } }]);
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(2);
    await wait(300);
    expect(seen.sort()).toEqual([1, 2]);
  });

  it("ignores an id added again while its job runs or waits after a RetryLater (the sweep's re-queue)", async () => {
    const q = queue("requeue");
    const runs: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    q.process(async (job) => {
      runs.push(job.id);
      if (job.id === "j-run") await gate;
      if (job.id === "j-wait" && runs.filter((r) => r === "j-wait").length === 1) throw new RetryLater(600);
    }, { concurrency: 2 });
    try {
      await q.add([{ id: "j-run", data: { n: 1 } }, { id: "j-wait", data: { n: 2 } }]);
      await expect.poll(() => runs.length, { timeout: 5_000 }).toBe(2);
      await q.add([{ id: "j-run", data: { n: 1 } }, { id: "j-wait", data: { n: 2 } }]);
      await wait(200);
      expect(runs.sort()).toEqual(["j-run", "j-wait"]);
    } finally {
      open();
    }
    await expect.poll(() => runs.length, { timeout: 5_000 }).toBe(3); // the delayed job's own second run
    await wait(500);
    expect(runs.sort()).toEqual(["j-run", "j-wait", "j-wait"]);
  });

  it("requeue: adds nothing while the job waits or runs, runs it again once it finished (add still ignores it)", async () => {
    const q = queue("again");
    const runs: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    q.process(async (job) => {
      runs.push(job.id);
      if (runs.length === 1) await gate;
      if (job.id === "failing") throw new Error("always");
    }, { concurrency: 1 });
    await q.add([{ id: "r", data: { n: 1 } }, { id: "w", data: { n: 2 } }]);
    await expect.poll(() => runs.length, { timeout: 5_000 }).toBe(1);
    // "r" runs and "w" waits: a sweep's requeue of both adds nothing.
    await q.requeue([{ id: "r", data: { n: 1 } }, { id: "w", data: { n: 2 } }]);
    await q.requeue([{ id: "r", data: { n: 1 } }, { id: "w", data: { n: 2 } }]);
    expect(await q.count()).toBe(2);
    open();
    await expect.poll(() => runs.length, { timeout: 5_000 }).toBe(2);
    await expect.poll(() => q.count(), { timeout: 5_000 }).toBe(0);
    // Finished: a plain add is still a duplicate…
    await q.add([{ id: "r", data: { n: 1 } }]);
    await wait(300);
    expect(runs).toEqual(["r", "w"]);
    // …but the same work pending again (a broadcast resuming, a restored database) runs when put back.
    await q.requeue([{ id: "r", data: { n: 1 } }]);
    await expect.poll(() => runs.length, { timeout: 5_000 }).toBe(3);
    expect(runs).toEqual(["r", "w", "r"]);
  });

  it("retries later without counting an attempt (RetryLater), then succeeds", async () => {
    const q = queue("later");
    const attempts: number[] = [];
    let tries = 0;
    q.process(async (job) => {
      attempts.push(job.attemptsMade);
      if (++tries < 3) throw new RetryLater(100);
    }, { concurrency: 1 });
    const t0 = Date.now();
    await q.add([{ id: "x", data: { n: 1 } }]);
    await expect.poll(() => attempts.length, { timeout: 5_000 }).toBe(3);
    expect(attempts).toEqual([0, 0, 0]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
  });

  it("tells the handler when a job first fell due (added time plus its delay), unchanged by waits and retries", async () => {
    const q = queue("due");
    const dues: number[] = [];
    q.process(async (job) => {
      dues.push(job.dueAt);
      if (dues.length < 3) throw new RetryLater(50);
    }, { concurrency: 1 });
    const t0 = Date.now();
    await q.add([{ id: "d", data: { n: 1 }, delayMs: 200 }]);
    await expect.poll(() => dues.length, { timeout: 5_000 }).toBe(3);
    expect(new Set(dues).size).toBe(1);
    expect(dues[0]).toBeGreaterThanOrEqual(t0 + 200);
    expect(dues[0]).toBeLessThan(t0 + 200 + 1_000);
  });

  it("retries a failure with a counted attempt", async () => {
    const q = queue("fail");
    const attempts: number[] = [];
    q.process(async (job) => {
      attempts.push(job.attemptsMade);
      if (attempts.length === 1) throw new Error("boom");
    }, { concurrency: 1 });
    await q.add([{ id: "y", data: { n: 1 } }]);
    await expect.poll(() => attempts.length, { timeout: 8_000 }).toBe(2);
    expect(attempts).toEqual([0, 1]);
  });

  it("pauses the whole queue on PauseQueue without counting an attempt", async () => {
    const q = queue("pause");
    const starts: { n: number; at: number; attempt: number }[] = [];
    let paused = false;
    q.process(async (job) => {
      starts.push({ n: job.data.n, at: Date.now(), attempt: job.attemptsMade });
      if (!paused) {
        paused = true;
        throw new PauseQueue(600);
      }
    }, { concurrency: 1 });
    await q.add([{ id: "p1", data: { n: 1 } }]);
    await expect.poll(() => starts.length, { timeout: 5_000 }).toBe(2);
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(500);
    expect(starts.map((s) => s.attempt)).toEqual([0, 0]);
  });

  it("keeps a rate limit across the queue: at most 20 starts in any second", async () => {
    const q = queue("limit");
    const starts: number[] = [];
    q.process(async () => {
      starts.push(Date.now());
    }, { concurrency: 8, limiter: { max: 20, durationMs: 1000 } });
    await q.add(Array.from({ length: 50 }, (_, i) => ({ id: `l${i}`, data: { n: i } })));
    await expect.poll(() => starts.length, { timeout: 10_000 }).toBe(50);
    starts.sort((a, b) => a - b);
    // BullMQ counts starts per window in Redis and the handler sees them a network hop later, so a
    // start may be seen up to ~0.1 s early; 21 starts within 0.8 s would still be a broken limit.
    for (let i = 0; i + 20 < starts.length; i++) expect(starts[i + 20]! - starts[i]!).toBeGreaterThanOrEqual(800);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(1800);
  });

  it("spaces one key's events by the per-key rate", async () => {
    const l = limiter();
    const key = `chat-${randomBytes(3).toString("hex")}`;
    expect(await l.reserve(key, 1)).toBe(0);
    const w = await l.reserve(key, 1);
    expect(w).toBeGreaterThan(800);
    expect(w).toBeLessThanOrEqual(1000);
    expect(await l.reserve(`${key}-other`, 1)).toBe(0);
  });

  it("takes many consecutive slots at once, from the first free one on (a send batch)", async () => {
    const l = limiter();
    const key = `channel-${randomBytes(3).toString("hex")}`;
    expect(await l.reserveMany(key, 10, 3)).toBe(0);
    // The three slots (100 ms each) are taken: the next event waits for the end of the third.
    const w = await l.reserve(key, 10);
    expect(w).toBeGreaterThan(250);
    expect(w).toBeLessThanOrEqual(300);
    // Another batch gets the slots after those, without waiting to ask.
    const next = await l.reserveMany(key, 10, 2);
    expect(next).toBeGreaterThan(250);
    expect(next).toBeLessThanOrEqual(300);
    expect(await l.reserve(key, 10)).toBeGreaterThan(450);
  });

  it("keeps a rate whose interval is not a whole number of ms (800/s, 4,000/s)", async () => {
    const l = limiter();
    for (const [rate, count] of [[800, 80], [4000, 400]] as const) {
      const key = `channel-${randomBytes(3).toString("hex")}`;
      expect(await l.reserveMany(key, rate, count)).toBe(0);
      // The slots taken last 100 ms at the rate asked (whole ms rounded up would be 160 and 400 ms).
      const w = await l.reserve(key, rate);
      expect(w).toBeGreaterThan(80);
      expect(w).toBeLessThanOrEqual(101);
    }
  });
}

describe("in-process job queue", () => {
  queueContract(() => new MemoryQueueFactory(), () => new MemoryKeyedRateLimiter());
});

describeWith("REDIS_URL", "BullMQ job queue", () => {
  let shared: BullmqQueueFactory | undefined;
  const prefix = `naast-q-${randomBytes(3).toString("hex")}`;
  queueContract(
    () => new BullmqQueueFactory(process.env.REDIS_URL!, prefix),
    () => {
      shared ??= new BullmqQueueFactory(process.env.REDIS_URL!, prefix);
      return new RedisKeyedRateLimiter(shared.connection, prefix);
    },
  );
});
