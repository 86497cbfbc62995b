import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Cipher } from "../../src/crypto/cipher.js";
import { MessageIds } from "../../src/crypto/pseudonymizer.js";
import { createLogger } from "../../src/logger.js";
import { BullmqQueueFactory } from "../../src/queues/bullmq-job-queue.js";
import type { JobQueue, QueueFactory } from "../../src/queues/job-queue.js";
import { broadcastJobSchema, inboundJobSchema, jobIds, outboundJobSchema, type BroadcastJob, type InboundJob, type OutboundJob } from "../../src/queues/job-schemas.js";
import { MemoryQueueFactory } from "../../src/queues/memory-job-queue.js";
import { RecoverySweeper, type RecoverySweeperOptions } from "../../src/queues/recovery-sweeper.js";
import { InboxStore, type Inserted } from "../../src/storage/inbox-store.js";
import { OutboxStore } from "../../src/storage/outbox-store.js";
import { WebMailboxStore } from "../../src/storage/web-mailbox-store.js";
import { describeWith } from "../support/services.js";
import { openTestDatabase } from "../support/test-database.js";

const cipher = new Cipher("c".repeat(64));
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let outbox: OutboxStore;

beforeAll(async () => {
  db = await openTestDatabase();
  outbox = new OutboxStore(db, new MessageIds("c".repeat(64)));
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
    const sweeper = new RecoverySweeper({ inbox: new InboxStore(db), outbox, mailbox: new WebMailboxStore(db.prisma), inbound, outbound: new Map([["whatsapp", queue]]), log: createLogger("silent") });
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

  it("wakes each resident with waiting messages once, named by the oldest message's keyed id: sweeps while that job waits add nothing", async () => {
    factory = make();
    const tag = randomBytes(3).toString("hex");
    const inbound: JobQueue<InboundJob> = factory.create(`sweep-in-${tag}`, (d) => inboundJobSchema.parse(d));
    const stored = await inboxRows(tag, 5, 2);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const woken: string[] = [];
    inbound.process(async (job) => {
      await gate;
      woken.push(job.id);
    }, { concurrency: 1 });
    // Ingest's own wake-ups, one per stored message.
    await inbound.add(stored.map((a) => ({ id: jobIds.inboundMessage(a.channel, a.keyedId), data: { pseudonym: a.pseudonym } })));
    const sweeper = sweeperFor(inbound);
    expect((await sweeper.sweep(1)).inbound).toBe(5);
    expect((await sweeper.sweep(1)).inbound).toBe(5);
    expect(await inbound.count()).toBe(10); // nothing added: every resident's oldest message has its job waiting
    open();
    await expect.poll(() => woken.length, { timeout: 10_000 }).toBe(10);
    await done(stored);
  });

  it("a restored database beside an old queue: work pending again after its job finished still runs, new work is no 'duplicate'", async () => {
    factory = make();
    const tag = randomBytes(3).toString("hex");
    const inbound: JobQueue<InboundJob> = factory.create(`sweep-in-${tag}`, (d) => inboundJobSchema.parse(d));
    const broadcastQueue: JobQueue<BroadcastJob> = factory.create(`sweep-bc-${tag}`, (d) => broadcastJobSchema.parse(d));
    const stored = await inboxRows(tag, 3, 1);
    const woken: string[] = [];
    inbound.process(async (job) => {
      woken.push(job.data.pseudonym);
    }, { concurrency: 2 });
    const fannedOut: string[] = [];
    broadcastQueue.process(async (job) => {
      fannedOut.push(job.data.broadcastId);
    }, { concurrency: 1 });
    // Before the restore: these messages were handled and a broadcast ran; the queue remembers the finished jobs.
    const broadcastId = randomUUID();
    await inbound.add(stored.map((a) => ({ id: jobIds.inboundMessage(a.channel, a.keyedId), data: { pseudonym: a.pseudonym } })));
    await broadcastQueue.add([{ id: jobIds.broadcast(broadcastId), data: { broadcastId } }]);
    await expect.poll(() => woken.length + fannedOut.length, { timeout: 10_000 }).toBe(4);
    await expect.poll(() => inbound.count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => broadcastQueue.count(), { timeout: 5_000 }).toBe(0);
    // The restored database says the messages wait and the broadcast runs: the sweep must get them going again.
    const broadcasts = { resumable: async () => [{ id: broadcastId, status: "sending" }], settleRunning: async () => undefined };
    const sweeper = sweeperFor(inbound, { service: broadcasts, queue: broadcastQueue });
    expect((await sweeper.sweep(1)).inbound).toBe(3);
    await expect.poll(() => woken.length, { timeout: 10_000 }).toBe(6);
    await expect.poll(() => fannedOut.length, { timeout: 10_000 }).toBe(2);
    expect(woken.sort()).toEqual([...stored.map((a) => a.pseudonym), ...stored.map((a) => a.pseudonym)].sort());
    // New work after the restore is named by new platform ids, never by a sequence number the old queue saw.
    const fresh = await inboxRows(`${tag}n`, 2, 1);
    await inbound.add(fresh.map((a) => ({ id: jobIds.inboundMessage(a.channel, a.keyedId), data: { pseudonym: a.pseudonym } })));
    await expect.poll(() => woken.length, { timeout: 10_000 }).toBe(8);
    await done([...stored, ...fresh]);
  });
}

/** `residents` residents with `each` messages each, received a minute ago and still waiting. */
async function inboxRows(tag: string, residents: number, each: number): Promise<Inserted[]> {
  const inbox = new InboxStore(db);
  const rows = Array.from({ length: residents * each }, (_, i) => ({
    channel: "telegram",
    platformMessageId: `${tag}-${i}`.padEnd(64, "0"),
    pseudonym: createHash("sha256").update(`${tag}-resident-${i % residents}`).digest("hex"),
    payloadEnc: cipher.encryptJson({ text: "hallo" }),
  }));
  const inserted = await inbox.insertMany(rows);
  await db.prisma.inboundMessage.updateMany({ where: { platformMessageId: { in: rows.map((r) => r.platformMessageId) } }, data: { receivedAt: new Date(Date.now() - 60_000) } });
  return inserted;
}

/** Marks rows handled so the next test's sweep does not see them. */
async function done(rows: readonly Inserted[]): Promise<void> {
  await db.prisma.inboundMessage.updateMany({ where: { platformMessageId: { in: rows.map((r) => r.keyedId) } }, data: { processedAt: new Date() } });
}

function sweeperFor(inbound: JobQueue<InboundJob>, broadcasts?: RecoverySweeperOptions["broadcasts"]): RecoverySweeper {
  return new RecoverySweeper({
    inbox: new InboxStore(db),
    outbox,
    mailbox: new WebMailboxStore(db.prisma),
    inbound,
    outbound: new Map(),
    log: createLogger("silent"),
    ...(broadcasts ? { broadcasts } : {}),
  });
}

describe("recovery sweep, in-process queue", () => {
  sweepContract(() => new MemoryQueueFactory());
});

describeWith("REDIS_URL", "recovery sweep, BullMQ", () => {
  sweepContract(() => new BullmqQueueFactory(process.env.REDIS_URL!, `naast-sw-${randomBytes(3).toString("hex")}`));
});
