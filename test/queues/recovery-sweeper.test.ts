import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Cipher } from "../../src/crypto/cipher.js";
import { MessageIds } from "../../src/crypto/pseudonymizer.js";
import { createLogger } from "../../src/logger.js";
import { BullmqQueueFactory } from "../../src/queues/bullmq-job-queue.js";
import type { JobQueue, QueueFactory } from "../../src/queues/job-queue.js";
import { inboundJobSchema, outboundJobSchema, type OutboundJob } from "../../src/queues/job-schemas.js";
import { MemoryQueueFactory } from "../../src/queues/memory-job-queue.js";
import { RecoverySweeper } from "../../src/queues/recovery-sweeper.js";
import { InboxStore } from "../../src/storage/inbox-store.js";
import { OutboxStore } from "../../src/storage/outbox-store.js";
import { WebMailboxStore } from "../../src/storage/web-mailbox-store.js";
import { describeWith } from "../support/services.js";
import { openTestDatabase } from "../support/test-database.js";

const cipher = new Cipher("c".repeat(64));
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let outbox: OutboxStore;

beforeAll(async () => {
  db = await openTestDatabase();
  outbox = new OutboxStore(db.prisma, new MessageIds("c".repeat(64)));
});
afterAll(async () => {
  await db.drop();
});

async function records(prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const payloadEnc = cipher.encryptJson({ address: "31600000000", message: { language: "nl", rtl: false, text: "hallo", choices: [], offset: 0 } });
  await db.prisma.outboundMessage.createMany({ data: ids.map((id) => ({ id, channel: "whatsapp", payloadEnc, createdAt: new Date(Date.now() - 60_000) })) });
  return ids;
}

/** What both queue adapters must do for the sweep: a re-queue of a send job that still waits or runs adds nothing. */
function sweepContract(make: () => QueueFactory) {
  let factory: QueueFactory | undefined;
  afterEach(async () => {
    await factory?.close();
    factory = undefined;
  });

  it("two sweeps in a row with a slow worker add no duplicate send jobs", async () => {
    factory = make();
    const tag = randomBytes(3).toString("hex");
    const queue: JobQueue<OutboundJob> = factory.create(`sweep-out-${tag}`, (d) => outboundJobSchema.parse(d));
    const inbound = factory.create(`sweep-in-${tag}`, (d) => inboundJobSchema.parse(d));
    const ids = await records(`sw${tag}`, 12);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const handled: string[] = [];
    queue.process(async (job) => {
      handled.push(job.data.outboundId);
      await gate; // a slow worker: nothing is claimed while the sweeps run
      await db.prisma.outboundMessage.update({ where: { id: job.data.outboundId }, data: { status: "sent" } });
    }, { concurrency: 1 });
    // The jobs the outbox queued when it wrote the records.
    await queue.add(ids.map((id) => ({ id: `out_${id}`, data: { outboundId: id } })));
    const sweeper = new RecoverySweeper({ inbox: new InboxStore(db.prisma), outbox, mailbox: new WebMailboxStore(db.prisma), inbound, outbound: new Map([["whatsapp", queue]]), log: createLogger("silent") });
    const first = await sweeper.sweep(1);
    const second = await sweeper.sweep(1);
    expect(first.outbound).toBe(12); // every waiting record was put back…
    expect(second.outbound).toBe(12);
    expect(await queue.count()).toBe(12); // …and no job was added twice
    open();
    await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(12);
    await new Promise((r) => setTimeout(r, 300));
    expect(handled.sort()).toEqual([...ids].sort());
  });
}

describe("recovery sweep, in-process queue", () => {
  sweepContract(() => new MemoryQueueFactory());
});

describeWith("REDIS_URL", "recovery sweep, BullMQ", () => {
  sweepContract(() => new BullmqQueueFactory(process.env.REDIS_URL!, `naast-sw-${randomBytes(3).toString("hex")}`));
});
