import { describe, expect, it } from "vitest";
import { FailoverJobQueue } from "../../src/queues/failover-job-queue.js";
import { MemoryJobQueue } from "../../src/queues/memory-job-queue.js";

type Data = { n: number };
const parse = (d: unknown): Data => {
  if (typeof d === "object" && d !== null && "n" in d && typeof d.n === "number") return { n: d.n };
  throw new Error("not a job");
};

/** Two in-process runners stand for Redis (primary) and this process's own; which one ran a job is the question. */
function setUp(redisUp = true) {
  const primary = new MemoryJobQueue<Data>("q", parse);
  const local = new MemoryJobQueue<Data>("q", parse);
  const ran: { where: string; n: number }[] = [];
  const failovers: number[] = [];
  const queue = new FailoverJobQueue(primary, local, () => redisUp, (_q, jobs) => failovers.push(jobs));
  const handler = (where: string) => async (job: { data: Data }) => void ran.push({ where, n: job.data.n });
  return { primary, local, queue, ran, failovers, handler };
}

describe("FailoverJobQueue", () => {
  it("runs jobs marked inProcess in this process once it has workers for the queue, and the others through the shared queue", async () => {
    const { primary, local, queue, ran, handler } = setUp();
    // `process` wires both runners to one handler; here each gets its own, to see which one ran a job.
    queue.process(handler("unused"), { concurrency: 1 });
    primary.process(handler("shared"), { concurrency: 1 });
    local.process(handler("here"), { concurrency: 1 });
    await queue.add([{ id: "a", data: { n: 1 }, inProcess: true }, { id: "b", data: { n: 2 } }]);
    await queue.requeue([{ id: "c", data: { n: 3 }, inProcess: true }, { id: "d", data: { n: 4 } }]);
    await Promise.all([primary.drained(), local.drained()]);
    expect(ran.sort((x, y) => x.n - y.n)).toEqual([
      { where: "here", n: 1 },
      { where: "shared", n: 2 },
      { where: "here", n: 3 },
      { where: "shared", n: 4 },
    ]);
  });

  it("sends jobs marked inProcess through the shared queue from a process without workers for it (a web-only process)", async () => {
    const { primary, local, queue } = setUp();
    await queue.add([{ id: "a", data: { n: 1 }, inProcess: true }]);
    expect(await primary.count()).toBe(1);
    expect(await local.count()).toBe(0);
  });

  it("an in-process job id still waiting here makes the same requeue a no-op (the sweep adds no second copy)", async () => {
    const { local, queue, ran, handler } = setUp();
    queue.process(handler("here"), { concurrency: 1 });
    local.process(handler("here"), { concurrency: 1 });
    await queue.add([{ id: "a", data: { n: 1 }, inProcess: true, delayMs: 50 }]);
    await queue.requeue([{ id: "a", data: { n: 1 }, inProcess: true }]);
    await new Promise((r) => setTimeout(r, 120));
    await local.drained();
    expect(ran).toEqual([{ where: "here", n: 1 }]);
  });

  it("runs shared jobs here while Redis is away, and says so", async () => {
    const { primary, local, queue, failovers } = setUp(false);
    await queue.add([{ id: "a", data: { n: 1 } }]);
    expect(await primary.count()).toBe(0);
    expect(await local.count()).toBe(1);
    expect(failovers).toEqual([1]);
  });
});
